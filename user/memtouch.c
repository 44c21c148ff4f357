/*
 * memtouch size=16M [reps=3]: map anonymous memory, write one word in every
 * 4 KiB page (one demand-zero fault each), check every page kept its value,
 * unmap. Prints one line for scripts:
 *   # bench memtouch accel=tcg cpus=2 size=16777216 pages=4096 reps=3
 *     touch_ns_per_page_median=... _min=... _max=... munmap_us_median=... faults=...
 * faults= is the /proc/vmstat pgfault delta over all reps where that counter
 * exists (on Linux it counts every process's faults, not only ours).
 * accel= says linux on Linux (wl_accel), as the other workloads do.
 */
#include "workload.h"

#define MAX_REPS 64

/* One map-touch-check-unmap round; times in ns, or -errno / 1 (bad data). */
static int one_round(uint64_t size, uint64_t *touch_ns, uint64_t *unmap_ns)
{
	uint64_t pages = size / PAGE_SIZE, t0, t1;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int err;

	if (IS_ERR_PTR(p)) {
		printf("memtouch: mmap(%lu bytes): %s\n", (unsigned long)size,
		       errno_name(PTR_ERR(p)));
		return 1;
	}
	t0 = now_ns();
	for (uint64_t i = 0; i < pages; i++)
		*(volatile uint64_t *)(p + i * PAGE_SIZE) = i ^ 0x5a5a5a5a;
	t1 = now_ns();
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t *w = (uint64_t *)(p + i * PAGE_SIZE);

		if (w[0] != (i ^ 0x5a5a5a5a) || w[1] != 0) {
			printf("memtouch: page %lu holds %lx %lx, expected %lx 0\n",
			       (unsigned long)i, (unsigned long)w[0], (unsigned long)w[1],
			       (unsigned long)(i ^ 0x5a5a5a5a));
			return 1;
		}
	}
	*touch_ns = t1 - t0;
	t0 = now_ns();
	err = munmap(p, size);
	*unmap_ns = now_ns() - t0;
	if (err) {
		printf("memtouch: munmap: %s\n", errno_name(err));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t size = 16 << 20, reps = 3, touch[MAX_REPS], unmap[MAX_REPS], pages;
	const char *s;
	long f0, f1;
	char line[512];
	int n;

	if ((s = arg_value(argc, argv, "size")) && parse_size(s, &size) < 0) {
		printf("memtouch: size=%s: Invalid argument (e.g. size=64M)\n", s);
		return 2;
	}
	if ((s = arg_value(argc, argv, "reps")) &&
	    (parse_size(s, &reps) < 0 || !reps || reps > MAX_REPS)) {
		printf("memtouch: reps=%s: Invalid argument (1..%d)\n", s, MAX_REPS);
		return 2;
	}
	pages = size / PAGE_SIZE;
	if (!pages) {
		printf("memtouch: size=%lu: less than one page\n", (unsigned long)size);
		return 2;
	}
	size = pages * PAGE_SIZE;
	f0 = vmstat_read("pgfault");
	for (uint64_t r = 0; r < reps; r++)
		if (one_round(size, &touch[r], &unmap[r]))
			return 1;
	f1 = vmstat_read("pgfault");
	sort_u64(touch, reps);
	sort_u64(unmap, reps);
	/* One write: a line built in pieces could interleave with other CPUs' output. */
	n = snprintf(line, sizeof(line),
		     "# bench memtouch accel=%s cpus=%d size=%lu pages=%lu reps=%lu "
		     "touch_ns_per_page_median=%lu touch_ns_per_page_min=%lu "
		     "touch_ns_per_page_max=%lu munmap_us_median=%lu",
		     wl_accel(), nr_cpus(), (unsigned long)size, (unsigned long)pages,
		     (unsigned long)reps, (unsigned long)(touch[reps / 2] / pages),
		     (unsigned long)(touch[0] / pages), (unsigned long)(touch[reps - 1] / pages),
		     (unsigned long)(unmap[reps / 2] / 1000));
	if (f0 >= 0 && f1 >= f0 && n < (int)sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, " faults=%ld", f1 - f0);
	printf("%s\n", line);
	return 0;
}
