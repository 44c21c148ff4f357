/*
 * mremaptest: mremap's cases, each checked by contents and, on flushlab,
 * by the flushes it cost (tlb_flush_mremap_move in /proc/vmstat): growing
 * in place moves nothing and flushes nothing; a move (MREMAP_MAYMOVE,
 * MREMAP_FIXED, MREMAP_DONTUNMAP) keeps every byte and flushes the old
 * range exactly once; Linux's errors for bad arguments. Then
 * MADV_POPULATE_READ/WRITE and mlock. Prints "mremaptest: ok" or FAIL
 * lines. The same source runs on Linux (flush counts not checked there).
 */
#include "ktap_check.h"
#include "ulib.h"

#define PAGES 16

static bool flushlab;

static long moves(void)
{
	return flushlab ? vmstat_read("tlb_flush_mremap_move") : 0;
}

static char *map(long pages)
{
	char *p = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	CHECK(!IS_ERR_PTR(p), "mmap: %s", errno_name(PTR_ERR(p)));
	if (!IS_ERR_PTR(p))
		madvise(p, pages * PAGE_SIZE, MADV_NOHUGEPAGE);
	return p;
}

static void fill(char *p, long pages, int seed)
{
	for (long i = 0; i < pages; i++)
		p[i * PAGE_SIZE + 7] = (char)(seed + i);
}

static int bad_pages(const char *p, long pages, int seed)
{
	int bad = 0;

	for (long i = 0; i < pages; i++)
		bad += p[i * PAGE_SIZE + 7] != (char)(seed + i);
	return bad;
}

/* Grow where the mapping is (the next pages are free): same address, no flush. */
static void test_grow_in_place(void)
{
	char *p = map(2 * PAGES), *q;
	long m0;

	munmap(p + PAGES * PAGE_SIZE, PAGES * PAGE_SIZE);
	fill(p, PAGES, 1);
	m0 = moves();
	q = mremap(p, PAGES * PAGE_SIZE, 2 * PAGES * PAGE_SIZE, 0);
	CHECK(q == p, "grow in place: %p, want %p", q, p);
	CHECK(!flushlab || moves() - m0 == 0, "grow in place flushed %ld times", moves() - m0);
	if (q == p) {
		CHECK(!bad_pages(q, PAGES, 1), "contents changed");
		q[(2 * PAGES - 1) * PAGE_SIZE] = 1; /* the new part is there, zero-filled */
		munmap(q, 2 * PAGES * PAGE_SIZE);
	}
}

/* Grow where the next pages are taken: moved, contents kept, one flush. */
static void test_move(void)
{
	char *p = map(2 * PAGES), *q;
	long m0;

	fill(p, PAGES, 2);
	m0 = moves();
	CHECK(mremap(p, PAGES * PAGE_SIZE, 2 * PAGES * PAGE_SIZE, 0) == (void *)-ENOMEM,
	      "grow without MREMAP_MAYMOVE: not ENOMEM");
	q = mremap(p, PAGES * PAGE_SIZE, 2 * PAGES * PAGE_SIZE, MREMAP_MAYMOVE);
	CHECK(!IS_ERR_PTR(q) && q != p, "MREMAP_MAYMOVE: %p", q);
	CHECK(!flushlab || moves() - m0 == 1, "move flushed %ld times, want 1", moves() - m0);
	if (!IS_ERR_PTR(q)) {
		CHECK(!bad_pages(q, PAGES, 2), "contents changed");
		CHECK(q[(2 * PAGES - 1) * PAGE_SIZE] == 0, "new part not zero");
		munmap(q, 2 * PAGES * PAGE_SIZE);
	}
	munmap(p + PAGES * PAGE_SIZE, PAGES * PAGE_SIZE);
}

/* MREMAP_FIXED to a given place; MREMAP_DONTUNMAP leaves the old range mapped, empty. */
static void test_fixed_dontunmap(void)
{
	char *p = map(PAGES), *target = map(PAGES), *q;
	long m0;

	fill(p, PAGES, 3);
	m0 = moves();
	q = mremap(p, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	CHECK(q == target, "MREMAP_FIXED: %p, want %p", q, target);
	CHECK(!flushlab || moves() - m0 == 1, "fixed move flushed %ld times, want 1", moves() - m0);
	CHECK(q != target || !bad_pages(q, PAGES, 3), "contents changed");
	p = map(PAGES);
	fill(p, PAGES, 4);
	m0 = moves();
	q = mremap(p, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
	CHECK(!IS_ERR_PTR(q) && q != p, "MREMAP_DONTUNMAP: %p", q);
	CHECK(!flushlab || moves() - m0 == 1, "dontunmap move flushed %ld times, want 1",
	      moves() - m0);
	if (!IS_ERR_PTR(q)) {
		CHECK(!bad_pages(q, PAGES, 4), "contents changed");
		CHECK(p[7] == 0, "old range after MREMAP_DONTUNMAP: %d, want 0", p[7]);
		munmap(q, PAGES * PAGE_SIZE);
	}
	munmap(p, PAGES * PAGE_SIZE);
	munmap(target, PAGES * PAGE_SIZE);
}

static void test_errors(void)
{
	char *p = map(PAGES);

	CHECK(mremap(p, PAGE_SIZE, PAGE_SIZE, 8) == (void *)-EINVAL, "unknown flag");
	CHECK(mremap(p, PAGE_SIZE, PAGE_SIZE, MREMAP_FIXED, p + PAGE_SIZE) == (void *)-EINVAL,
	      "MREMAP_FIXED without MREMAP_MAYMOVE");
	CHECK(mremap(p + 1, PAGE_SIZE, PAGE_SIZE, 0) == (void *)-EINVAL, "unaligned");
	CHECK(mremap(p, PAGE_SIZE, 0, 0) == (void *)-EINVAL, "new_len 0");
	CHECK(mremap(p, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP) ==
		  (void *)-EINVAL,
	      "MREMAP_DONTUNMAP with another length");
	CHECK(mremap(p, PAGES * PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
		     p + PAGE_SIZE) == (void *)-EINVAL,
	      "overlapping MREMAP_FIXED");
	munmap(p, PAGES * PAGE_SIZE);
	CHECK(mremap(p, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE) == (void *)-EFAULT,
	      "unmapped old range: not EFAULT");
}

/* MADV_POPULATE_WRITE faults every page in; mlock of a mapped range, munlock; errors. */
static void test_populate_mlock(void)
{
	char *p = map(PAGES);
	char *ro = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long f0 = vmstat_read("pgfault"), f1;

	CHECK(madvise(p, PAGES * PAGE_SIZE, MADV_POPULATE_WRITE) == 0, "MADV_POPULATE_WRITE");
	f1 = vmstat_read("pgfault");
	fill(p, PAGES, 5); /* no fault now: every page is there and writable */
	CHECK(!flushlab || vmstat_read("pgfault") == f1, "faults after populate: %ld",
	      vmstat_read("pgfault") - f1);
	CHECK(!flushlab || f1 - f0 >= PAGES, "populate faulted %ld pages, want %d", f1 - f0, PAGES);
	CHECK(madvise(p, PAGES * PAGE_SIZE, MADV_POPULATE_READ) == 0, "MADV_POPULATE_READ");
	CHECK(madvise(ro, PAGE_SIZE, MADV_POPULATE_WRITE) == -EINVAL,
	      "MADV_POPULATE_WRITE of read-only memory: not EINVAL");
	CHECK(mlock(p, PAGES * PAGE_SIZE) == 0, "mlock");
	CHECK(munlock(p, PAGES * PAGE_SIZE) == 0, "munlock");
	munmap(p, PAGES * PAGE_SIZE);
	munmap(ro, PAGE_SIZE);
	CHECK(mlock(p, PAGE_SIZE) == -ENOMEM, "mlock of unmapped memory: not ENOMEM");
	CHECK(madvise(p, PAGE_SIZE, MADV_POPULATE_READ) == -ENOMEM,
	      "MADV_POPULATE_READ of unmapped memory: not ENOMEM");
}

int main(void)
{
	flushlab = vmstat_read("tlb_flush_mremap_move") >= 0;
	if (!flushlab)
		printf("mremaptest: no tlb_flush_mremap_move in /proc/vmstat (not flushlab): "
		       "flush counts not checked\n");
	moves(); /* vmstat_read's buffer is faulted in before any count is taken */
	test_grow_in_place();
	test_move();
	test_fixed_dontunmap();
	test_errors();
	test_populate_mlock();
	printf("mremaptest: %s\n", nr_failed ? "FAIL" : "ok");
	return nr_failed ? 1 : 0;
}
