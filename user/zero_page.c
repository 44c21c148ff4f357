/*
 * zero_page [pages=N]: the shared zero page, as Linux's do_anonymous_page
 * and wp_page_copy make it. Maps N private anonymous pages (MADV_NOHUGEPAGE:
 * 4 KiB on either kernel), reads one word of each (a read fault each: the
 * zero page, read-only), makes the range read-only and writable again
 * (mprotect must leave the zero page read-only), then writes each page (a
 * second fault each, which breaks the zero page: a page of its own and one
 * flush), and checks every page.
 * One line: # bench zero_page accel= cpus= pages= read_faults_per_page=
 *   write_faults_per_page= zero_page_breaks_per_page=
 * The faults are /proc/vmstat's pgfault (on Linux every process's, so run
 * it on a quiet machine); the breaks are flushlab's tlb_flush_zero_page_break
 * (-1 on Linux, which counts no flush by cause).
 */
#include "workload.h"

/* pgfault and the zero-page breaks now, or -1 each where the kernel lacks the line. */
static void counters(long *faults, long *breaks)
{
	static char buf[16384];

	if (read_file("/proc/vmstat", buf, sizeof(buf)) <= 0)
		buf[0] = '\0';
	*faults = wl_field(buf, "pgfault");
	*breaks = wl_field(buf, "tlb_flush_zero_page_break");
}

/* 0 if every page holds its own value in word 1 and zero elsewhere of the two words read. */
static int check(const volatile uint64_t *p, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		const volatile uint64_t *w = p + i * (PAGE_SIZE / 8);

		if (w[0] != 0 || w[1] != i + 1) {
			printf("zero_page: page %lu holds %lx %lx, expected 0 %lx\n",
			       (unsigned long)i, (unsigned long)w[0], (unsigned long)w[1],
			       (unsigned long)(i + 1));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	long pages = wl_arg(argc, argv, "zero_page", "pages", 64, 65536), f[3], b[3];
	char rf[32], wf[32], br[32];
	volatile uint64_t *p;
	uint64_t sum = 0;
	int err, cpus[WL_MAX_CPUS];

	if (pages < 0)
		return 2;
	p = mmap(NULL, (size_t)pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_PTR(p)) {
		printf("zero_page: mmap: %s\n", errno_name(PTR_ERR(p)));
		return 1;
	}
	if ((err = madvise((void *)p, (size_t)pages * PAGE_SIZE, MADV_NOHUGEPAGE))) {
		printf("zero_page: madvise(MADV_NOHUGEPAGE): %s\n", errno_name(err));
		return 1;
	}
	counters(&f[0], &b[0]); /* twice: the first faults the buffer in */
	counters(&f[0], &b[0]);
	for (long i = 0; i < pages; i++)
		sum += p[i * (PAGE_SIZE / 8)]; /* a read fault: the zero page */
	counters(&f[1], &b[1]);
	err = mprotect((void *)p, (size_t)pages * PAGE_SIZE, PROT_READ)
		  ?: mprotect((void *)p, (size_t)pages * PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (err) {
		printf("zero_page: mprotect: %s\n", errno_name(err));
		return 1;
	}
	for (long i = 0; i < pages; i++)
		p[i * (PAGE_SIZE / 8) + 1] = (uint64_t)i + 1; /* a write fault: the break */
	counters(&f[2], &b[2]);
	err = sum != 0 || check(p, (uint64_t)pages);
	if (munmap((void *)p, (size_t)pages * PAGE_SIZE))
		err = 1;
	if (err)
		return 1;
	printf("# bench zero_page accel=%s cpus=%d pages=%ld read_faults_per_page=%s "
	       "write_faults_per_page=%s zero_page_breaks_per_page=%s\n",
	       wl_accel(), wl_allowed_cpus(cpus), pages,
	       wl_per_op(rf, sizeof(rf), f[0], f[1], (uint64_t)pages),
	       wl_per_op(wf, sizeof(wf), f[1], f[2], (uint64_t)pages),
	       wl_per_op(br, sizeof(br), b[1], b[2], (uint64_t)pages));
	return 0;
}
