/*
 * Fault injection for the page allocator (see fail_page_alloc.h). A
 * deterministic xorshift64 generator decides the probability test so a seed
 * replays the same failures; the out-of-memory paths of later code (vmemmap
 * split, hugetlb grow) are tested by turning this on. One state for every
 * zone (the real one and test arenas), under its own lock.
 */
#include "mm/fail_page_alloc.h"

#include <stdint.h>

#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"

#define FAIL_DEFAULT_SEED 0x2545f4914f6cdd1dULL

static struct {
	long probability; /* percent */
	long interval;	  /* fail only every interval-th eligible call */
	long times;	  /* failures left, -1 = unlimited */
	long space;	  /* pages allowed through before any failure */
	long min_order;	  /* smaller allocations never fail */
	long seed;
	unsigned long count; /* eligible calls seen, for interval */
	unsigned long injected;
	uint64_t state; /* xorshift64 state, never 0 */
} fail = {
    .interval = 1,
    .times = 1,
    .seed = 0,
    .state = FAIL_DEFAULT_SEED,
};

/*
 * Callers hold some zone's lock, and zones are several, so the state has its
 * own lock, taken inside a zone lock (never the other way round).
 */
static DEFINE_SPINLOCK(fail_lock);

const char *const fail_page_alloc_knobs[] = {
    "probability", "interval", "times", "space", "min-order", "seed", "injected", NULL,
};

static uint64_t xorshift64(void)
{
	uint64_t x = fail.state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	fail.state = x;
	return x;
}

static bool __should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	if (fail.probability == 0 || (gfp & __GFP_NOFAIL) || order < fail.min_order)
		return false;
	if (fail.times == 0)
		return false;
	if (fail.space > 0) {
		fail.space -= (long)(1UL << order);
		if (fail.space > 0)
			return false;
		fail.space = 0;
	}
	if (fail.interval > 1 && ++fail.count % (unsigned long)fail.interval)
		return false;
	if ((long)(xorshift64() % 100) >= fail.probability)
		return false;
	if (fail.times > 0)
		fail.times--;
	fail.injected++;
	return true;
}

bool should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	bool ret;

	if (READ_ONCE(fail.probability) == 0)
		return false; /* off: the common case takes no lock */
	spin_lock(&fail_lock);
	ret = __should_fail_alloc_page(gfp, order);
	spin_unlock(&fail_lock);
	return ret;
}

static long *knob_field(const char *knob)
{
	if (!strcmp(knob, "probability"))
		return &fail.probability;
	if (!strcmp(knob, "interval"))
		return &fail.interval;
	if (!strcmp(knob, "times"))
		return &fail.times;
	if (!strcmp(knob, "space"))
		return &fail.space;
	if (!strcmp(knob, "min-order"))
		return &fail.min_order;
	if (!strcmp(knob, "seed"))
		return &fail.seed;
	return NULL;
}

int fail_page_alloc_get(const char *knob, long *val)
{
	long *f;

	if (!strcmp(knob, "injected")) {
		*val = (long)READ_ONCE(fail.injected);
		return 0;
	}
	f = knob_field(knob);
	if (!f)
		return -ENOENT;
	*val = READ_ONCE(*f);
	return 0;
}

static bool knob_valid(const char *knob, long val)
{
	if (!strcmp(knob, "probability"))
		return val >= 0 && val <= 100;
	if (!strcmp(knob, "interval"))
		return val >= 1;
	if (!strcmp(knob, "times"))
		return val >= -1;
	if (!strcmp(knob, "seed"))
		return true;
	return val >= 0; /* space, min-order */
}

int fail_page_alloc_set(const char *knob, long val)
{
	long *f = knob_field(knob);

	if (!f)
		return strcmp(knob, "injected") ? -ENOENT : -EINVAL;
	if (!knob_valid(knob, val))
		return -EINVAL;
	spin_lock(&fail_lock);
	*f = val;
	if (f == &fail.seed)
		fail.state = val ? (uint64_t)val : FAIL_DEFAULT_SEED;
	if (f == &fail.interval)
		fail.count = 0;
	spin_unlock(&fail_lock);
	return 0;
}

void fail_page_alloc_reset(void)
{
	spin_lock(&fail_lock);
	fail.probability = 0;
	fail.interval = 1;
	fail.times = 1;
	fail.space = 0;
	fail.min_order = 0;
	fail.seed = 0;
	fail.count = 0;
	fail.injected = 0;
	fail.state = FAIL_DEFAULT_SEED;
	spin_unlock(&fail_lock);
}

static __typeof__(fail) paused_state;

bool fail_page_alloc_pause(void)
{
	bool armed;

	spin_lock(&fail_lock);
	paused_state = fail;
	armed = fail.probability != 0 && fail.times != 0;
	spin_unlock(&fail_lock);
	fail_page_alloc_reset();
	return armed;
}

void fail_page_alloc_resume(void)
{
	spin_lock(&fail_lock);
	fail = paused_state;
	spin_unlock(&fail_lock);
}
