/*
 * khugepaged_wait [limit_ms=N]: see khugepaged collapse a process's memory.
 * It faults 2 MiB of small pages (no advice yet, so under "madvise" each
 * fault maps 4 KiB), writes a pattern, then says MADV_HUGEPAGE and waits
 * until /proc/PID/smaps_rollup shows AnonHugePages (khugepaged's work: it
 * never calls MADV_COLLAPSE), and checks every byte of the pattern. The
 * wait is bounded by limit_ms (default 30000) so a kernel without the
 * thread fails instead of hanging. Builds for Linux too (make user-linux).
 */
#include "workload.h"

#define HPAGE (2UL << 20)

/* AnonHugePages of this process in kB, or -1 if the file or line is missing. */
static long anon_huge_kib(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)getpid());
	return wl_anon_huge_kib(path);
}

static long check_pattern(const char *p)
{
	long bad = 0;

	for (uint64_t off = 0; off < HPAGE; off += 64)
		bad += p[off] != (char)(off / PAGE_SIZE + off / 64);
	return bad;
}

int main(int argc, char **argv)
{
	long limit = wl_arg(argc, argv, "khugepaged_wait", "limit_ms", 30000, 600000);
	long before, kib = 0, polls = 0, bad;
	uint64_t t0, waited;
	char *raw, *p;

	if (limit < 0)
		return 2;
	raw = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_PTR(raw)) {
		printf("khugepaged_wait: mmap: %s\n", errno_name(PTR_ERR(raw)));
		return 1;
	}
	p = (char *)(((uintptr_t)raw + HPAGE - 1) & ~(HPAGE - 1));
	for (uint64_t off = 0; off < HPAGE; off += 64)
		p[off] = (char)(off / PAGE_SIZE + off / 64);
	before = anon_huge_kib();
	madvise(p, HPAGE, MADV_HUGEPAGE);
	t0 = now_ns();
	while ((kib = anon_huge_kib()) < 2048 && now_ns() - t0 < (uint64_t)limit * 1000000) {
		polls++;
		sched_yield();
	}
	waited = (now_ns() - t0) / 1000000;
	bad = check_pattern(p);
	printf("khugepaged_wait: AnonHugePages %ld kB before, %ld kB after %lu ms (%ld polls); "
	       "pattern %s\n",
	       before, kib, (unsigned long)waited, polls, bad ? "CORRUPTED" : "intact");
	munmap(raw, 2 * HPAGE);
	return kib >= 2048 && !bad ? 0 : 1;
}
