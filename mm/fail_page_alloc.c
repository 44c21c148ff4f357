/*
 * Fault injection for the page allocator (see fail_page_alloc.h). A
 * deterministic xorshift64 generator decides the probability test so a seed
 * replays the same failures; the out-of-memory paths of later code (vmemmap
 * split, hugetlb grow) are tested by turning this on.
 */
#include "mm/fail_page_alloc.h"

#include <stdint.h>

#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"

#define FAIL_DEFAULT_SEED 0x2545f4914f6cdd1dULL

static struct {
	long probability;	/* percent */
	long interval;		/* fail only every interval-th eligible call */
	long times;		/* failures left, -1 = unlimited */
	long space;		/* pages allowed through before any failure */
	long min_order;		/* smaller allocations never fail */
	long seed;
	unsigned long count;	/* eligible calls seen, for interval */
	unsigned long injected;
	uint64_t state;		/* xorshift64 state, never 0 */
} fail = {
	.interval = 1, .times = 1, .seed = 0, .state = FAIL_DEFAULT_SEED,
};

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

bool should_fail_alloc_page(gfp_t gfp, unsigned int order)
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
		*val = (long)fail.injected;
		return 0;
	}
	f = knob_field(knob);
	if (!f)
		return -ENOENT;
	*val = *f;
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
	*f = val;
	if (f == &fail.seed)
		fail.state = val ? (uint64_t)val : FAIL_DEFAULT_SEED;
	if (f == &fail.interval)
		fail.count = 0;
	return 0;
}

void fail_page_alloc_reset(void)
{
	fail.probability = 0;
	fail.interval = 1;
	fail.times = 1;
	fail.space = 0;
	fail.min_order = 0;
	fail.seed = 0;
	fail.count = 0;
	fail.injected = 0;
	fail.state = FAIL_DEFAULT_SEED;
}
