/*
 * largepages3 size=S: the seed's largepages3 (the THP design's own
 * benchmark) as a flushlab workload. One anonymous mapping of S bytes:
 * a memset that faults it all in, two more (TLB misses only), and two
 * passes touching one byte per 4 KiB page. The THP policy in force
 * decides 2 MiB or 4 KiB pages; run it under `always` and `never`.
 * One line: # bench largepages3 accel= cpus= thp= size= fault_ns=
 *   memset2_ns= memset3_ns= stride1_ns= stride2_ns= anon_huge_kib= faults=
 * anon_huge_kib: AnonHugePages of /proc/PID/smaps_rollup once faulted in
 * (this process only), or, where that file is missing, the growth of
 * /proc/meminfo's AnonHugePages.
 */
#include "workload.h"

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

/* The bracketed word of the enabled knob, or "none" without THP. */
static const char *thp_policy(void)
{
	static char buf[128];
	char *o, *c;

	if (read_file(THP_ENABLED, buf, sizeof(buf)) <= 0 || !(o = strchr(buf, '[')) ||
	    !(c = strchr(o, ']')))
		return "none";
	*c = '\0';
	return o + 1;
}

/* Word stores: the compiler may not call memset (-fno-builtin), and bytes would be slow. */
static uint64_t fill(volatile uint64_t *p, uint64_t bytes, uint64_t v)
{
	uint64_t t0 = now_ns();

	for (uint64_t i = 0; i < bytes / 8; i++)
		p[i] = v;
	return now_ns() - t0;
}

static uint64_t stride(volatile char *p, uint64_t bytes)
{
	uint64_t t0 = now_ns();

	for (uint64_t off = 0; off < bytes; off += PAGE_SIZE)
		p[off] = 0;
	return now_ns() - t0;
}

int main(int argc, char **argv)
{
	const char *s = arg_value(argc, argv, "size");
	uint64_t size = 64ULL << 20, map_len, t[5];
	long huge_before, huge_after, faults;
	char *raw, *p, rollup[64];

	if (s && (parse_size(s, &size) < 0 || size < PAGE_SIZE)) {
		printf("largepages3: size=%s: Invalid argument\n", s);
		return 2;
	}
	size &= ~(uint64_t)(PAGE_SIZE - 1);
	/* 2 MiB of slack, so the used part can start on a 2 MiB boundary. */
	map_len = size + (2ULL << 20);
	raw = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_PTR(raw)) {
		printf("largepages3: mmap %lu bytes: %s\n", (unsigned long)map_len,
		       errno_name(PTR_ERR(raw)));
		return 1;
	}
	p = (char *)(((uintptr_t)raw + (2UL << 20) - 1) & ~((2UL << 20) - 1));
	snprintf(rollup, sizeof(rollup), "/proc/%d/smaps_rollup", (int)getpid());
	huge_before = wl_anon_huge_kib(rollup) >= 0 ? 0 : wl_anon_huge_kib("/proc/meminfo");
	faults = vmstat_read("pgfault");
	t[0] = fill((volatile uint64_t *)p, size, 0);
	faults = faults < 0 ? -1 : vmstat_read("pgfault") - faults;
	huge_after = wl_anon_huge_kib(rollup);
	if (huge_after < 0)
		huge_after = wl_anon_huge_kib("/proc/meminfo");
	t[1] = fill((volatile uint64_t *)p, size, 1);
	t[2] = fill((volatile uint64_t *)p, size, 2);
	t[3] = stride(p, size);
	t[4] = stride(p, size);
	printf("# bench largepages3 accel=%s cpus=%d thp=%s size=%lu fault_ns=%lu memset2_ns=%lu "
	       "memset3_ns=%lu stride1_ns=%lu stride2_ns=%lu anon_huge_kib=%ld faults=%ld\n",
	       wl_accel(), nr_cpus(), thp_policy(), (unsigned long)size, (unsigned long)t[0],
	       (unsigned long)t[1], (unsigned long)t[2], (unsigned long)t[3], (unsigned long)t[4],
	       huge_before < 0 || huge_after < 0 ? -1L : huge_after - huge_before, faults);
	munmap(raw, map_len);
	return 0;
}
