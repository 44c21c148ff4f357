/*
 * hugetlb in user address spaces and high-granularity mapping, in the
 * kernel: reservations and Linux's errors, each mapcount scheme's counts
 * (and RMWs, exactly) through fault, split, partial unmap, refault,
 * collapse and exit, checked against a page-table walk after every step;
 * the scheme knob's EBUSY; the HVO conflict (subpage refused); collapse
 * under fail_page_alloc (allocates nothing) and split under it (gives up,
 * nothing lost); every table-freeing step reaching a lazy CPU; a 1 GiB
 * page mixed of PTEs and PMDs when one can be had.
 * Every frame is back after each case.
 */
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_mapcount.h"
#include "mm/hugetlb_mm.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "smp/cross_call.h"
#include "smp/smp.h"
#include "tests/kernel/hugetlb_ktest_env.h"
#include "tests/kernel/mm_ktest_util.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define HUGE_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED)
#define BASE 0x40000000UL /* 1 GiB-aligned */

static const char *const schemes[] = {"subpage", "head", "pxd"};
static char saved_scheme[16];

struct env {
	struct mm_struct *mm;
	unsigned long free_before;
};

static void expect_consistent(struct ktest *t, struct mm_struct *mm, int line)
{
	char why[160] = "";

	if (mm_check_invariants(mm, why, sizeof(why)))
		ktest_fail(t, __FILE__, line, "mm invariants (%s): %s",
			   hugetlb_mapcount_scheme_name(hugetlb_mapcount_scheme()), why);
}
#define CHECK(t, mm) expect_consistent(t, mm, __LINE__)

/* @n pages in @h's pool, HVO @hvo, scheme @scheme; a fresh mm. False: not enough memory. */
static bool env_start(struct env *e, struct hstate *h, unsigned long n, bool hvo,
		      const char *scheme)
{
	e->free_before = nr_free_pages();
	e->mm = NULL;
	hugetlb_optimize_vmemmap = hvo;
	if (hugetlb_set_mapcount_scheme(scheme))
		return false;
	set_max_huge_pages(h, n);
	if (h->nr_huge_pages != n)
		return false;
	e->mm = mm_alloc();
	return e->mm != NULL;
}

static void env_end(struct ktest *t, struct env *e)
{
	struct hstate *h;

	if (e->mm) {
		CHECK(t, e->mm);
		mmput(e->mm);
	}
	fail_page_alloc_reset();
	for_each_hstate (h) {
		KEXPECT_EQ(t, 0, h->resv_huge_pages);
		KEXPECT_EQ(t, h->nr_huge_pages, h->free_huge_pages);
		set_max_huge_pages(h, 0);
	}
	KEXPECT_EQ(t, e->free_before, nr_free_pages());
}

static long map_huge(struct mm_struct *mm, uintptr_t va, size_t len, int size_flag)
{
	uintptr_t out;

	return do_mmap(mm, va, len, RW, HUGE_FLAGS | size_flag, &out);
}

static struct page *folio_at(struct mm_struct *mm, uintptr_t va, struct hstate *h)
{
	return hugetlb_block_folio(mm, va & ~(huge_page_size(h) - 1), h);
}

struct ops {
	unsigned long inc, dec;
};

static void ops_now(struct ops *o)
{
	o->inc = hugetlb_mapcount_incs();
	o->dec = hugetlb_mapcount_decs();
}

/* RMWs since @o: inc and dec, and @o moved to now. */
#define EXPECT_OPS(t, o, want_inc, want_dec)                                                       \
	do {                                                                                       \
		struct ops n_;                                                                     \
		ops_now(&n_);                                                                      \
		KEXPECT_EQ(t, want_inc, n_.inc - (o)->inc);                                        \
		KEXPECT_EQ(t, want_dec, n_.dec - (o)->dec);                                        \
		*(o) = n_;                                                                         \
	} while (0)

/* ---- stage 1: mmap, reservations, errors ---- */

static void reservations_follow_linux(struct ktest *t)
{
	struct hstate *h = &hstates[0];
	struct env e;
	uintptr_t out;

	KASSERT_TRUE(t, env_start(&e, h, 2, false, "head"));
	KEXPECT_EQ(t, -ENOMEM, map_huge(e.mm, BASE, 3 * PMD_SIZE, MAP_HUGE_2MB)); /* pool short */
	KEXPECT_EQ(t, 0, h->resv_huge_pages);
	KEXPECT_EQ(t, 0,
		   map_huge(e.mm, BASE, PMD_SIZE + P, MAP_HUGE_2MB)); /* rounded up: 2 pages */
	KEXPECT_EQ(t, 2, h->resv_huge_pages);
	KEXPECT_EQ(t, -EBUSY, hugetlb_set_mapcount_scheme("pxd")); /* reserved: no switch */
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + 5 * P, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, 1, h->resv_huge_pages);
	KEXPECT_EQ(t, 1, h->free_huge_pages);
	CHECK(t, e.mm);
	/* Linux's errors: an unknown size, misaligned fixed address and unmap, mprotect. */
	KEXPECT_EQ(t, -EINVAL, map_huge(e.mm, BASE + PUD_SIZE, PMD_SIZE, 25 << MAP_HUGE_SHIFT));
	KEXPECT_EQ(t, -EINVAL, map_huge(e.mm, BASE + PUD_SIZE + P, PMD_SIZE, MAP_HUGE_2MB));
	KEXPECT_EQ(t, -EINVAL, do_munmap(e.mm, BASE + P, P));
	KEXPECT_EQ(t, -EINVAL, do_munmap(e.mm, BASE, PMD_SIZE + P));
	KEXPECT_EQ(t, -EOPNOTSUPP, do_mprotect(e.mm, BASE, PMD_SIZE, PROT_READ));
	KEXPECT_EQ(t, 0,
		   do_mmap(e.mm, BASE + PUD_SIZE, PMD_SIZE, RW, HUGE_FLAGS | MAP_NORESERVE, &out));
	KEXPECT_EQ(t, 1, h->resv_huge_pages); /* MAP_NORESERVE reserves nothing */
	KEXPECT_EQ(
	    t, 0,
	    do_munmap(e.mm, BASE + PMD_SIZE, PMD_SIZE)); /* the unfaulted page's promise goes */
	KEXPECT_EQ(t, 0, h->resv_huge_pages);
	CHECK(t, e.mm);
	KEXPECT_EQ(t, 0, do_munmap(e.mm, BASE, PMD_SIZE));
	KEXPECT_EQ(t, 2, h->free_huge_pages);
	env_end(t, &e);
}

/* ---- stages 2 and 3 on a 2 MiB page, every scheme ---- */

/* Counts and RMWs of one scheme through split, partial unmap, refault, collapse, exit. */
static void one_scheme_2m(struct ktest *t, const char *scheme)
{
	struct hstate *h = &hstates[0];
	bool sub = !strcmp(scheme, "subpage"), head = !strcmp(scheme, "head");
	struct page *f;
	struct ops o;
	struct env e;

	KASSERT_TRUE(t, env_start(&e, h, 1, false, scheme));
	KASSERT_EQ(t, 0, map_huge(e.mm, BASE, PMD_SIZE, MAP_HUGE_2MB));
	ops_now(&o);
	KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	f = folio_at(e.mm, BASE, h);
	EXPECT_OPS(t, &o, 1, 0); /* subpage: entire; head: one entry; pxd: the PMD */
	KEXPECT_EQ(t, 1, hugetlb_folio_mapcount(f, h->order));
	ktest_user_byte(e.mm, BASE + 7 * P)[3] = 0x5a;
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT));
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE + 7 * P));
	EXPECT_OPS(t, &o, sub || head ? 512 : 0, sub || head ? 1 : 0);
	KEXPECT_EQ(t, sub ? 512 : head ? 512 : 1, hugetlb_folio_mapcount(f, h->order));
	KEXPECT_EQ(t, sub ? 1 : head ? 512 : 1, hugetlb_page_mapcount(f, 7));
	KEXPECT_EQ(t, 0x5a, ktest_user_byte(e.mm, BASE + 7 * P)[3]);
	CHECK(t, e.mm);
	/* Partial unmap (HGM's DONTNEED): one subpage goes, then faults back zeroed. */
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + 7 * P, P, MADV_DONTNEED));
	EXPECT_OPS(t, &o, 0, sub || head ? 1 : 0);
	KEXPECT_EQ(t, sub ? 0 : head ? 511 : 1, hugetlb_page_mapcount(f, 7));
	CHECK(t, e.mm);
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + 7 * P, FAULT_FLAG_USER));
	KEXPECT_EQ(t, 0, ktest_user_byte(e.mm, BASE + 7 * P)[3]);
	EXPECT_OPS(t, &o, sub || head ? 1 : 0, 0);
	KEXPECT_EQ(t, 0,
		   do_madvise(e.mm, BASE + 9 * P, P, MADV_DONTNEED)); /* a hole to collapse over */
	ops_now(&o);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_COLLAPSE));
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE + 9 * P));
	EXPECT_OPS(t, &o, sub || head ? 1 : 0, sub || head ? 511 : 0);
	KEXPECT_EQ(t, 1, hugetlb_folio_mapcount(f, h->order));
	CHECK(t, e.mm);
	/* DONTNEED of the whole page: back to the pool, reserved again for this mapping. */
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_DONTNEED));
	EXPECT_OPS(t, &o, 0, 1); /* entire, entry or PMD: one count each way */
	KEXPECT_EQ(t, 1, h->resv_huge_pages);
	KEXPECT_EQ(t, 0,
		   handle_mm_fault(e.mm, BASE + P, FAULT_FLAG_USER)); /* exit with it mapped */
	env_end(t, &e);
}

static void schemes_count_through_every_step(struct ktest *t)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(schemes); i++)
		one_scheme_2m(t, schemes[i]);
}

/* ---- the HVO conflict ---- */

static void hvo_conflict_refuses_subpage(struct ktest *t)
{
	struct hstate *h = &hstates[0];
	struct env e;

	/* Warm up: the first HVO grow splits vmemmap PMDs, tables that stay (docs/hvo.md). */
	hugetlb_optimize_vmemmap = true;
	set_max_huge_pages(h, 1);
	set_max_huge_pages(h, 0);
	KASSERT_TRUE(t, env_start(&e, h, 1, true, "subpage"));
	if (!hugetlb_nr_optimized(h)) {
		env_end(t, &e);
		KTEST_SKIP(t, "the pool page could not be optimized (no memory for HVO)");
	}
	KEXPECT_EQ(t, -EOPNOTSUPP, map_huge(e.mm, BASE, PMD_SIZE, MAP_HUGE_2MB));
	KEXPECT_EQ(t, 0, h->resv_huge_pages);		       /* refused before reserving */
	KASSERT_EQ(t, 0, hugetlb_set_mapcount_scheme("head")); /* the others count on the head */
	KEXPECT_EQ(t, 0, map_huge(e.mm, BASE, PMD_SIZE, MAP_HUGE_2MB));
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT));
	CHECK(t, e.mm);
	KEXPECT_EQ(t, 512, hugetlb_folio_mapcount(folio_at(e.mm, BASE, h), h->order));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_COLLAPSE));
	env_end(t, &e);
}

/* ---- failures ---- */

static void collapse_and_split_under_fail_page_alloc(struct ktest *t)
{
	struct hstate *h = &hstates[0];
	struct tlb_ledger_totals before, now;
	long tables;
	struct env e;

	KASSERT_TRUE(t, env_start(&e, h, 1, false, "head"));
	KASSERT_EQ(t, 0, map_huge(e.mm, BASE, PMD_SIZE, MAP_HUGE_2MB));
	KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("probability", 100);
	tables = e.mm->pgtables_pages;
	KEXPECT_EQ(t, -ENOMEM,
		   do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT)); /* needs a table: gives up */
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, tables, e.mm->pgtables_pages);
	KEXPECT_EQ(t, -ENOMEM, do_madvise(e.mm, BASE + P, P, MADV_DONTNEED)); /* so does a cut */
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE + P));
	CHECK(t, e.mm);
	fail_page_alloc_reset();
	KASSERT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT));
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("probability", 100);
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_COLLAPSE)); /* allocates nothing */
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_HGM_COLLAPSE]);
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, tables, e.mm->pgtables_pages);
	fail_page_alloc_reset();
	env_end(t, &e);
}

/* ---- whom the flushes reach ---- */

/* One 2 MiB page in the pool, mapped at BASE in a fresh mm and faulted. */
static bool env_start_one_2m(struct env *e, struct hstate *h)
{
	return env_start(e, h, 1, false, "head") &&
	       !map_huge(e->mm, BASE, PMD_SIZE, MAP_HUGE_2MB) &&
	       !handle_mm_fault(e->mm, BASE, FAULT_FLAG_WRITE | FAULT_FLAG_USER);
}

/*
 * A split and a collapse flush only where the mm is loaded: nowhere (this
 * CPU runs the kernel's root), then on CPU 1, where each step is one
 * shootdown that CPU 1 serves.
 */
static void flushes_reach_only_mm_cpumask(struct ktest *t)
{
	struct tlb_ledger_totals before, now;
	struct load_args there = {NULL, NULL};
	struct hstate *h = &hstates[0];
	struct env e;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	KASSERT_TRUE(t, env_start_one_2m(&e, h));
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT)); /* loaded nowhere */
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_COLLAPSE));
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_HGM_SPLIT]);
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_HGM_COLLAPSE]);
	KEXPECT_EQ(t, 0, now.remote_flush);
	there.mm = e.mm;
	smp_call_function_single(1, ktest_load_mm_here, &there, true);
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT)); /* loaded on CPU 1 */
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_COLLAPSE));
	tlb_ledger_totals(&now);
	smp_call_function_single(1, ktest_unload_mm_here, &there, true);
	tlb_ledger_delta(&now, &before);
	KEXPECT_EQ(t, 2, now.remote_flush);
	KEXPECT_EQ(t, 2, now.remote_flush_received);
	KEXPECT_EQ(t, 2, now.late_ack); /* both break before make; the collapse frees tables */
	env_end(t, &e);
}

/* What one step did: tables freed by it, and the ledger. */
struct step {
	long tables;
	struct tlb_ledger_totals l;
};

/*
 * With CPU 1 holding the mm lazily, run @advice over the split 2 MiB page
 * at BASE (@advice 0: munmap it) and expect its one table-freeing flush to
 * reach CPU 1, which stays lazy.
 */
static void lazy_step(struct ktest *t, struct env *e, int advice)
{
	struct lazy_cpu lazy;
	struct step s = {e->mm->pgtables_pages, {0}};
	struct tlb_ledger_totals before;

	ktest_lazy_start(&lazy, 1, e->mm);
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0,
		   advice ? do_madvise(e->mm, BASE, PMD_SIZE, advice)
			  : do_munmap(e->mm, BASE, PMD_SIZE));
	tlb_ledger_totals(&s.l);
	KEXPECT_TRUE(t, ktest_cpu_lazy_for(1, e->mm));
	ktest_lazy_end(&lazy);
	tlb_ledger_delta(&s.l, &before);
	s.tables -= e->mm->pgtables_pages;
	KEXPECT_TRUE(t, s.tables > 0); /* the step did free tables */
	KEXPECT_EQ(t, 1, s.l.lazy_reached);
	KEXPECT_EQ(t, 0, s.l.lazy_skipped);
}

/*
 * Every HGM path that frees page tables reaches a CPU holding the mm
 * lazily: collapse (fails if collapse_flush passes no TLB_FREED_TABLES),
 * MADV_DONTNEED and munmap of a split page (fail if tlb_finish_mmu passes
 * freed_tables=false). Each: lazy_reached 1, lazy_skipped 0.
 */
static void table_frees_reach_lazy_cpus(struct ktest *t)
{
	struct hstate *h = &hstates[0];
	struct env e;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	KASSERT_TRUE(t, env_start_one_2m(&e, h));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT));
	lazy_step(t, &e, MADV_COLLAPSE);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT));
	lazy_step(t, &e, MADV_DONTNEED);
	KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_SPLIT));
	lazy_step(t, &e, 0);
	env_end(t, &e);
}

/* ---- a 1 GiB page of PTEs and PMDs ---- */

/* Split to 2 MiB, split half of those to 4 KiB, collapse 2 MiB blocks, then to 1 GiB. */
static void one_scheme_1g(struct ktest *t, const char *scheme, bool *skipped)
{
	struct hstate *h = &hstates[1];
	bool sub = !strcmp(scheme, "subpage"), head = !strcmp(scheme, "head");
	struct tlb_ledger_totals before, now;
	unsigned long freed;
	struct ops o;
	struct env e;

	if (!env_start(&e, h, 1, false, scheme)) {
		*skipped = true;
		env_end(t, &e);
		return;
	}
	KASSERT_EQ(t, 0, map_huge(e.mm, BASE, PUD_SIZE, MAP_HUGE_1GB));
	KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	KEXPECT_EQ(t, PG_LEVEL_1G, ktest_user_level(e.mm, BASE + PUD_SIZE - P));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PUD_SIZE, MADV_SPLIT));
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE + PUD_SIZE - P));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PUD_SIZE / 2, MADV_SPLIT)); /* 256 PMDs -> PTEs */
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	CHECK(t, e.mm);
	KEXPECT_EQ(t,
		   sub	  ? 256 * 512 + 256 * 512
		   : head ? 256 + 256 * 512
			  : 1,
		   hugetlb_folio_mapcount(folio_at(e.mm, BASE, h), h->order));
	ops_now(&o);
	freed = hgm_stat_read(HGM_PT_PAGES_FREED);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, PMD_SIZE, MADV_COLLAPSE)); /* one 2 MiB block */
	EXPECT_OPS(t, &o, sub ? 512 : head ? 1 : 0, sub || head ? 512 : 0);
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	CHECK(t, e.mm);
	tlb_ledger_totals(&before);
	KEXPECT_EQ(
	    t, 0,
	    do_madvise(e.mm, BASE, PUD_SIZE, MADV_COLLAPSE)); /* the rest, straight to 1 GiB */
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_HGM_COLLAPSE]);
	/* 257 PMD leaves and 255 * 512 PTEs go: subpage uncounts every 4 KiB subpage. */
	EXPECT_OPS(t, &o, sub || head ? 1 : 0, sub ? 262144 : head ? 257 + 255 * 512 : 0);
	KEXPECT_EQ(t, 1 + 256,
		   hgm_stat_read(HGM_PT_PAGES_FREED) - freed); /* PMD table + 255 PTE + 1 */
	KEXPECT_EQ(t, PG_LEVEL_1G, ktest_user_level(e.mm, BASE + PMD_SIZE));
	CHECK(t, e.mm);
	env_end(t, &e);
}

static void gigantic_page_mixed_granularity(struct ktest *t)
{
	bool skipped = false;

	for (unsigned int i = 0; i < ARRAY_SIZE(schemes) && !skipped; i++)
		one_scheme_1g(t, schemes[i], &skipped);
	if (skipped)
		KTEST_SKIP(t, "no free 1 GiB-aligned GiB (boot with 4G: tests/scripts/hgm-*.fl)");
}

/* ---- the suite ---- */

static const char *hgm_enter(void)
{
	const char *why = hugetlb_ktest_enter();
	char buf[64];

	if (why)
		return why;
	snprintf(buf, sizeof(buf), "%s", hugetlb_mapcount_scheme_name(hugetlb_mapcount_scheme()));
	memcpy(saved_scheme, buf, sizeof(saved_scheme) - 1);
	return NULL;
}

static void hgm_exit(void)
{
	hugetlb_set_mapcount_scheme(saved_scheme);
	hugetlb_ktest_exit();
}

static const struct ktest_case hgm_cases[] = {
    KTEST_CASE(reservations_follow_linux),
    KTEST_CASE(schemes_count_through_every_step),
    KTEST_CASE(hvo_conflict_refuses_subpage),
    KTEST_CASE(collapse_and_split_under_fail_page_alloc),
    KTEST_CASE(flushes_reach_only_mm_cpumask),
    KTEST_CASE(table_frees_reach_lazy_cpus),
    KTEST_CASE(gigantic_page_mixed_granularity),
    {},
};

DEFINE_KTEST_SUITE_ENV(hgm, hgm_cases, hgm_enter, hgm_exit);
