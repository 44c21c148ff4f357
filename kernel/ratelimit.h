/*
 * Rate limits for console lines a user program can trigger at will (a
 * refused mmap), as Linux's lib/ratelimit.c: at most @burst messages per
 * @interval, and when a new interval begins after some were held back,
 * one line "FUNC: N callbacks suppressed". printk_ratelimit() is Linux's
 * shared limit (10 per 5 s).
 */
#ifndef KERNEL_RATELIMIT_H
#define KERNEL_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit_state {
	unsigned int locked;  /* a trylock: a contended caller is suppressed */
	uint64_t interval_ns; /* 0: no limit */
	int burst;
	uint64_t begin_ns; /* start of the current interval; 0 before the first call */
	int printed, missed;
};

#define DEFINE_RATELIMIT_STATE(name, interval, nburst)                                             \
	struct ratelimit_state name = {.interval_ns = (interval), .burst = (nburst)}

/* Linux's DEFAULT_RATELIMIT_INTERVAL and _BURST. */
#define DEFAULT_RATELIMIT_INTERVAL_NS (5ULL * 1000000000ULL)
#define DEFAULT_RATELIMIT_BURST 10

/* May the caller (@func, for the suppressed line) print now? Any context. */
bool ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(rs) ___ratelimit(rs, __func__)

extern struct ratelimit_state printk_ratelimit_state;
#define printk_ratelimit() __ratelimit(&printk_ratelimit_state)

#endif
