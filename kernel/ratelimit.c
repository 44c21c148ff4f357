/*
 * Linux's ___ratelimit in our words (kernel/ratelimit.h has the rules).
 * The clock is the kernel's monotonic nanoseconds; the state has a trylock,
 * so a caller never waits to learn that it may not print.
 */
#include "kernel/platform.h"
#include "kernel/ratelimit.h"
#include "lib/kernel.h"

DEFINE_RATELIMIT_STATE(printk_ratelimit_state, DEFAULT_RATELIMIT_INTERVAL_NS,
		       DEFAULT_RATELIMIT_BURST);

bool ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	uint64_t now = clock_ns();
	bool ok;

	if (!rs->interval_ns)
		return true;
	if (__atomic_exchange_n(&rs->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	if (!rs->begin_ns)
		rs->begin_ns = now;
	if (now - rs->begin_ns >= rs->interval_ns) {
		if (rs->missed)
			printk("%s: %d callbacks suppressed\n", func, rs->missed);
		rs->begin_ns = now;
		rs->printed = rs->missed = 0;
	}
	ok = rs->burst > rs->printed;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	__atomic_store_n(&rs->locked, 0, __ATOMIC_RELEASE);
	return ok;
}
