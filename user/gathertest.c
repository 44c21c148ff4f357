/*
 * gathertest: how many flushes one munmap makes, against Linux's
 * mmu_gather rules (flushlab's mm/mmu_gather.c). A second thread spins on
 * CPU 1, so every flush of this mm is a shootdown and shows in
 * nr_tlb_remote_flush:
 * - 2,048 written anonymous pages that a forked child still shares: the
 *   gather keeps them in pages of pointers, so the whole munmap is one
 *   flush (a fixed 64-page array made 33);
 * - 2,048 written pages of a shared memfd mapping: one flush as the unmap
 *   leaves each 2 MiB page table that held them, one for the freed tables.
 * KTAP. Linux shows nr_tlb_remote_flush only with CONFIG_DEBUG_TLBFLUSH;
 * without it the count checks say SKIP and the rest still runs.
 */
#include "ktap_check.h"
#include "ulib.h"

#define NPAGES 2048UL
#define LEN (NPAGES * PAGE_SIZE)
#define TABLE_SPAN (2UL << 20) /* what one page table maps */

static volatile int stop, spins;

/* Keeps this mm live on CPU 1: its flushes are shootdowns, not lazy skips. */
static int spinner(void *arg)
{
	(void)arg;
	pin_to_cpu(1);
	while (!stop) {
		spins++;
		sched_yield();
	}
	return 0;
}

static void write_pages(uint8_t *p)
{
	for (unsigned long i = 0; i < NPAGES; i++)
		p[i * PAGE_SIZE] = (uint8_t)i | 1;
}

/* munmap(@p) and how many remote flushes it made (-1: the counter is not shown). */
static long munmap_flushes(uint8_t *p, int *err)
{
	long before = vmstat_read("nr_tlb_remote_flush"), after;

	*err = munmap(p, LEN);
	after = vmstat_read("nr_tlb_remote_flush");
	return before < 0 || after < 0 ? -1 : after - before;
}

static void count_check(long got, long lo, long hi, const char *name)
{
	char why[96];

	if (got < 0) {
		nr_tests++;
		printf("ok %d %s # SKIP no nr_tlb_remote_flush in /proc/vmstat\n", nr_tests, name);
		return;
	}
	snprintf(why, sizeof(why), "%ld remote flushes, want %ld to %ld", got, lo, hi);
	printf("# %s: %s\n", name, why);
	check(got >= lo && got <= hi, name, why);
}

static void test_forked_pages(void)
{
	uint8_t *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fds[2], err, status = -1;
	char c = 0;
	long got;
	pid_t pid;

	check(!IS_ERR_PTR(p) && pipe2(fds, 0) == 0, "forked_setup", "mmap or pipe failed");
	if (IS_ERR_PTR(p))
		return;
	write_pages(p);
	pid = fork();
	if (pid == 0) { /* holds every page until the parent has unmapped its side */
		read(fds[0], &c, 1);
		exit(p[5 * PAGE_SIZE] == (5 | 1) ? 0 : 1);
	}
	check(pid > 0, "fork", "fork failed");
	got = munmap_flushes(p, &err);
	check(err == 0, "forked_munmap", "munmap failed");
	count_check(got, 1, 2, "forked_munmap_is_one_flush");
	write(fds[1], "x", 1);
	check(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0, "child_kept_its_copy",
	      "the child's pages changed or it failed");
	close(fds[0]);
	close(fds[1]);
}

static void test_shared_file(void)
{
	int fd = memfd_create("gathertest", 0), err;
	uint8_t *p;
	long got, tables;

	check(fd >= 0 && ftruncate(fd, LEN) == 0, "memfd_setup",
	      "memfd_create or ftruncate failed");
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(!IS_ERR_PTR(p), "memfd_mmap", "mmap MAP_SHARED failed");
	if (IS_ERR_PTR(p))
		return;
	write_pages(p);
	tables = ((uintptr_t)p + LEN - 1) / TABLE_SPAN - (uintptr_t)p / TABLE_SPAN + 1;
	got = munmap_flushes(p, &err);
	check(err == 0, "memfd_munmap", "munmap failed");
	count_check(got, tables, tables + 2, "memfd_munmap_flushes_per_table");
	close(fd);
}

int main(void)
{
	struct thread *t;

	printf("KTAP version 1\n1..9\n");
	pin_to_cpu(0);
	t = thread_create(spinner, NULL);
	if (IS_ERR_PTR(t)) {
		printf("# thread_create: %ld\nBail out!\n", (long)t);
		return 1;
	}
	while (!spins)
		sched_yield();
	test_forked_pages();
	test_shared_file();
	stop = 1;
	thread_join(t);
	printf("# gathertest: %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
