/*
 * trace_resize [ms=N]: two threads write /sys/kernel/tracing/buffer_size_kb
 * at once, with sizes in opposite orders, while a third turns tracing on,
 * writes a marker and turns it off again (the bug it guards against: two resizes at once
 * panicked with "Bad page state", trace_ring_resize having static arrays
 * and no lock; and a resize checked tracing_on, then freed rings that a
 * writer enabled in between could be using). Every write must answer 0,
 * EBUSY (flushlab resizes only while tracing is off) or, for the marker,
 * EBADF (tracing off); the size and tracing_on are put back as found.
 * One line: trace_resize: ok resizes= busy= toggles=
 */
#include "race.h"

#define TRACING "/sys/kernel/tracing/"

static volatile int stop;
static long resizes[2], busy[2], bad_err, toggles;
static volatile long bad;

static int resizer(void *arg)
{
	static const char *const sizes[] = {"8\n", "16\n", "64\n", "32\n", "4\n"};
	int id = (int)(uintptr_t)arg, n = (int)(sizeof(sizes) / sizeof(sizes[0]));

	race_arrive();
	for (int i = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
		long ret = race_write(TRACING "buffer_size_kb", sizes[id ? n - 1 - i % n : i % n]);

		if (ret == 0) {
			resizes[id]++;
		} else if (ret == -EBUSY) {
			busy[id]++;
		} else {
			bad_err = ret;
			bad++;
		}
	}
	return 0;
}

/* Tracing on, a marker, tracing off, until @ms have passed. */
static int toggler(void *arg)
{
	uint64_t end;

	race_wait(2);
	end = now_ns() + (uint64_t)(uintptr_t)arg * 1000000;

	while (now_ns() < end) {
		long a = race_write(TRACING "tracing_on", "1\n");
		long b = race_write(TRACING "trace_marker", "trace_resize\n");
		long c = race_write(TRACING "tracing_on", "0\n");

		if (a || c || (b && b != -EBADF)) {
			bad_err = a ?: c ?: b;
			bad++;
		}
		toggles++;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	return 0;
}

int main(int argc, char **argv)
{
	long ms = wl_arg(argc, argv, "trace_resize", "ms", 300, 60000), err;
	unsigned long size, on;
	int (*fns[3])(void *) = {toggler, resizer, resizer};
	void *args[3];
	char buf[24];

	if (ms < 0)
		return 2;
	if (race_read_ulong(TRACING "buffer_size_kb", &size) < 0 ||
	    race_read_ulong(TRACING "tracing_on", &on) < 0 ||
	    race_write(TRACING "tracing_on", "0\n") < 0)
		return printf("trace_resize: SKIP no writable " TRACING "\n"), 0;
	args[0] = (void *)(uintptr_t)ms;
	args[1] = (void *)(uintptr_t)0;
	args[2] = (void *)(uintptr_t)1;
	err = race_run(3, fns, args);
	snprintf(buf, sizeof(buf), "%lu\n", size);
	if (race_write(TRACING "buffer_size_kb", buf) ||
	    race_write(TRACING "tracing_on", on ? "1\n" : "0\n"))
		return printf("trace_resize: FAIL cannot put the size or tracing_on back\n"), 1;
	if (err < 0)
		return printf("trace_resize: FAIL threads: %s\n", errno_name(err)), 1;
	if (bad)
		return printf("trace_resize: FAIL %ld writes answered %s\n", bad,
			      errno_name(bad_err)),
		       1;
	if (!resizes[0] || !resizes[1])
		return printf("trace_resize: FAIL resizes=%ld+%ld: the race never ran\n",
			      resizes[0], resizes[1]),
		       1;
	printf("trace_resize: ok resizes=%ld busy=%ld toggles=%ld\n", resizes[0] + resizes[1],
	       busy[0] + busy[1], toggles);
	return 0;
}
