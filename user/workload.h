/*
 * What the shootdown workloads (madv_touch, munmap_lat, ctxswitch) share:
 * which kernel runs them, the flush counters before and after, the CPUs
 * they may pin to, sorting samples, and per-op ratios printed without
 * floating point (user code is -mgeneral-regs-only). Static inline, so a
 * program that uses only some of it compiles without warnings.
 */
#ifndef USER_WORKLOAD_H
#define USER_WORKLOAD_H

#include "ulib.h"

#define WL_FLUSHLAB_DIR "/sys/kernel/debug/flushlab/"
#define WL_MAX_CPUS 64

/*
 * flushlab has its debugfs directory; anything else is taken to be Linux.
 * ENOMEM is flushlab failing the read under fault injection (the 100-run
 * series once printed accel=linux that way), not a missing file.
 */
static inline bool wl_on_flushlab(void)
{
	char buf[128];
	ssize_t n = read_file(WL_FLUSHLAB_DIR "shootdown_protocol", buf, sizeof(buf));

	return n > 0 || n == -ENOMEM;
}

/* accel= for the bench line: tcg/kvm/metal under flushlab, "linux" on Linux. */
static inline const char *wl_accel(void)
{
	return wl_on_flushlab() ? accel_name() : "linux";
}

/* The shootdown protocol in use ("linux ... [cacheline]" -> "cacheline"). */
static inline const char *wl_protocol(void)
{
	static char buf[128];
	char *open_br, *close_br;

	if (read_file(WL_FLUSHLAB_DIR "shootdown_protocol", buf, sizeof(buf)) <= 0)
		return "linux";
	open_br = strchr(buf, '[');
	close_br = open_br ? strchr(open_br, ']') : NULL;
	if (!close_br)
		return "unknown";
	*close_br = '\0';
	return open_br + 1;
}

/* "name value" in @text (one per line), or -1 where that line is missing. */
static inline long wl_field(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (strncmp(p, name, n) == 0 && p[n] == ' ') {
			long v = 0;

			for (p += n + 1; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
			return v;
		}
	}
	return -1;
}

/* "AnonHugePages:   4096 kB" (meminfo, smaps_rollup) from @path, or -1. */
static inline long wl_anon_huge_kib(const char *path)
{
	static char buf[8192];
	const char *p;
	long v = 0;

	if (read_file(path, buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "AnonHugePages:")))
		return -1;
	for (p += 14; *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/* Linux's /proc/interrupts "TLB:" row summed over CPUs: shootdowns received. */
static inline long wl_interrupts_tlb(void)
{
	static char buf[65536];
	const char *p;
	long sum = 0;

	if (read_file("/proc/interrupts", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "TLB:")))
		return -1;
	for (p += 4; *p && *p != '\n' && (*p == ' ' || (*p >= '0' && *p <= '9'));) {
		long v = 0;

		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			break;
		for (; *p >= '0' && *p <= '9'; p++)
			v = v * 10 + (*p - '0');
		sum += v;
	}
	return sum;
}

/* The flush counters a workload reports; -1 for one this kernel lacks. */
struct wl_counters {
	long remote;	   /* nr_tlb_remote_flush: shootdown requests sent */
	long ipis;	   /* tlb_ipis_sent (flushlab) */
	long received;	   /* nr_tlb_remote_flush_received, else Linux's TLB interrupts */
	long lazy_skipped; /* tlb_lazy_skipped (flushlab): lazy CPUs not interrupted */
	long switch_cr3;   /* tlb_switch_cr3 (flushlab): CR3 writes by switch_mm */
	long switch_flush; /* tlb_switch_flush (flushlab): those that flushed the TLB */
};

static inline void wl_snapshot(struct wl_counters *c)
{
	static char buf[16384];

	if (read_file("/proc/vmstat", buf, sizeof(buf)) <= 0)
		buf[0] = '\0';
	c->remote = wl_field(buf, "nr_tlb_remote_flush");
	c->ipis = wl_field(buf, "tlb_ipis_sent");
	c->received = wl_field(buf, "nr_tlb_remote_flush_received");
	if (c->received < 0)
		c->received = wl_interrupts_tlb();
	c->lazy_skipped = wl_field(buf, "tlb_lazy_skipped");
	c->switch_cr3 = wl_field(buf, "tlb_switch_cr3");
	c->switch_flush = wl_field(buf, "tlb_switch_flush");
}

/* after - before per op, "N.NNN" (exact to 1/1000), or "-1" if unknown. */
static inline const char *wl_per_op(char *buf, size_t size, long before, long after, uint64_t ops)
{
	uint64_t milli;

	if (before < 0 || after < before || !ops) {
		snprintf(buf, size, "-1");
		return buf;
	}
	milli = (uint64_t)(after - before) * 1000 / ops;
	snprintf(buf, size, "%lu.%03lu", (unsigned long)(milli / 1000),
		 (unsigned long)(milli % 1000));
	return buf;
}

/* Shell sort: thousands of samples, no recursion, no libc. */
static inline void wl_sort(uint64_t *v, uint64_t n)
{
	for (uint64_t gap = n / 2; gap; gap /= 2)
		for (uint64_t i = gap; i < n; i++)
			for (uint64_t j = i; j >= gap && v[j - gap] > v[j]; j -= gap) {
				uint64_t t = v[j];

				v[j] = v[j - gap];
				v[j - gap] = t;
			}
}

/* The CPUs this process may use, ascending, into @cpus; how many. */
static inline int wl_allowed_cpus(int *cpus)
{
	uint64_t mask = 0;
	int n = 0;

	if (sched_getaffinity(0, sizeof(mask), &mask) < 0)
		mask = 1;
	for (int c = 0; c < WL_MAX_CPUS; c++)
		if (mask & (1ULL << c))
			cpus[n++] = c;
	return n;
}

/* Pin the calling thread to @cpu and check that it runs there: 0 or -errno. */
static inline int wl_pin(int cpu)
{
	int err = pin_to_cpu(cpu);

	if (err)
		return err;
	return sched_getcpu() == cpu ? 0 : -EAGAIN;
}

/* key=N with 1 <= N <= max, or @def when absent; -1 (after a message) if bad. */
static inline long wl_arg(int argc, char **argv, const char *prog, const char *key, long def,
			  long max)
{
	const char *s = arg_value(argc, argv, key);
	uint64_t v;

	if (!s)
		return def;
	if (parse_size(s, &v) < 0 || v < 1 || v > (uint64_t)max) {
		printf("%s: %s=%s: Invalid argument (1..%ld)\n", prog, key, s, max);
		return -1;
	}
	return (long)v;
}

#endif
