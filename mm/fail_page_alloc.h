/*
 * fail_page_alloc: fault injection for page allocations, with the knobs of
 * Linux's Documentation/fault-injection (probability, interval, times, space,
 * min-order) plus a seed for a repeatable run. Off by default (probability 0).
 * Meant for /sys/kernel/debug/fail_page_alloc/<knob>.
 */
#ifndef MM_FAIL_PAGE_ALLOC_H
#define MM_FAIL_PAGE_ALLOC_H

#include <stdbool.h>

#include "mm/gfp.h"

/*
 * Should this allocation fail? Linux's order of tests: never for __GFP_NOFAIL
 * or below min-order; not once times reaches 0; not while space (in pages)
 * lasts; only every interval-th call; then with probability percent. A yes
 * decrements times (unless -1) and counts in "injected". Called by the buddy
 * allocator for every zone (the real one and arenas) with that zone's lock
 * held; the state has its own lock, taken inside the zone's.
 */
bool should_fail_alloc_page(gfp_t gfp, unsigned int order);

/*
 * Knobs by name: "probability" (percent, 0-100), "interval" (>= 1), "times"
 * (-1 = unlimited), "space" (pages to let through first), "min-order",
 * "seed" (restarts the xorshift sequence), "injected" (read-only count).
 * 0 on success, -ENOENT for an unknown name, -EINVAL for a bad value.
 */
int fail_page_alloc_get(const char *knob, long *val);
int fail_page_alloc_set(const char *knob, long val);

/* NULL-terminated list of the knob names, for a directory listing. */
extern const char *const fail_page_alloc_knobs[];

/* Back to the defaults (off; interval 1, times 1, as Linux), counters cleared. */
void fail_page_alloc_reset(void);

/*
 * For the selftest runner: pause() remembers every knob and counter, then
 * resets to the defaults; it returns whether injection was armed. resume()
 * puts back what pause() remembered. Not nested.
 */
bool fail_page_alloc_pause(void);
void fail_page_alloc_resume(void);

#endif
