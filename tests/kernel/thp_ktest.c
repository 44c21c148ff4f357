/*
 * Transparent huge pages, in the kernel: which faults get a 2 MiB leaf
 * (the policy matrix), fallback under injected failures, splits that
 * succeed with every allocation failing, collapse and its give-ups,
 * mapcounts and refcounts against a page-table walk (mm_check_invariants,
 * which must also catch a wrong count), the split's shootdown aimed only at
 * mm_cpumask, the collapse's reaching lazy CPUs too, and MemFree exact
 * after every teardown.
 */
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"
#include "mm/huge_memory.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "smp/cross_call.h"
#include "smp/smp.h"
#include "tests/kernel/mm_ktest_util.h"

#define P PAGE_SIZE
#define H HPAGE_PMD_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define BASE 0x40000000UL /* 2 MiB-aligned, well above USER_BASE */

struct thp_env {
	struct mm_struct *mm;
	unsigned long free_before;
	int saved_enabled;
};

static void expect_consistent(struct ktest *t, struct mm_struct *mm)
{
	char why[160] = "";

	if (mm_check_invariants(mm, why, sizeof(why)))
		ktest_fail(t, __FILE__, __LINE__, "mm invariants: %s", why);
}

/* A fresh mm with [BASE + off, + len) mapped RW, the policy set to @enabled. */
static bool env_start(struct thp_env *e, int enabled, size_t off, size_t len)
{
	uintptr_t out = 0;

	e->free_before = nr_free_pages();
	e->saved_enabled = transparent_hugepage_enabled;
	transparent_hugepage_enabled = enabled;
	e->mm = mm_alloc();
	if (!e->mm)
		return false;
	return !do_mmap(e->mm, BASE + off, len, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out);
}

/* Tear down: checker first, then every frame must be back. */
static void env_end(struct ktest *t, struct thp_env *e)
{
	if (e->mm) {
		expect_consistent(t, e->mm);
		mmput(e->mm);
	}
	fail_page_alloc_reset();
	transparent_hugepage_enabled = e->saved_enabled;
	KEXPECT_EQ(t, e->free_before, nr_free_pages());
}

/* Fault in the huge page at BASE and write one byte per 4 KiB page: its index. */
static void fill_huge(struct ktest *t, struct mm_struct *mm)
{
	KASSERT_EQ(t, 0, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE));
	KASSERT_EQ(t, PG_LEVEL_2M, ktest_user_level(mm, BASE));
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		ktest_user_byte(mm, BASE + i * P)[7] = (uint8_t)(i + 1);
}

static int count_intact(struct mm_struct *mm)
{
	int n = 0;

	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		uint8_t *b = ktest_user_byte(mm, BASE + i * P);

		n += b && b[7] == (uint8_t)(i + 1);
	}
	return n;
}

static void inject_failures(long min_order)
{
	fail_page_alloc_reset();
	fail_page_alloc_set("min-order", min_order);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("probability", 100);
}

/*
 * always / madvise / never x no advice / MADV_HUGEPAGE / MADV_NOHUGEPAGE x
 * a VMA that holds a whole aligned 2 MiB block or not: huge exactly when
 * Linux's rules say so, counted as a fault alloc, else a 4 KiB page.
 */
static void fault_policy_matrix(struct ktest *t)
{
	static const int advice[3] = {-1, MADV_HUGEPAGE, MADV_NOHUGEPAGE};

	for (int en = THP_ENABLED_ALWAYS; en <= THP_ENABLED_NEVER; en++) {
		for (int a = 0; a < 3; a++) {
			for (int aligned = 0; aligned < 2; aligned++) {
				size_t off = aligned ? 0 : P;
				bool want = aligned && a != 2 &&
					    (en == THP_ENABLED_ALWAYS ||
					     (en == THP_ENABLED_MADVISE && a == 1));
				unsigned long allocs = thp_event_count(THP_FAULT_ALLOC);
				struct thp_env e;

				KASSERT_TRUE(t, env_start(&e, en, off, H));
				if (advice[a] >= 0)
					KEXPECT_EQ(t, 0,
						   do_madvise(e.mm, BASE + off, H, advice[a]));
				KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + P, FAULT_FLAG_WRITE));
				if (ktest_user_level(e.mm, BASE + P) !=
				    (want ? PG_LEVEL_2M : PG_LEVEL_4K))
					ktest_fail(t, __FILE__, __LINE__,
						   "enabled=%d advice=%d aligned=%d: level %d", en,
						   advice[a], aligned,
						   ktest_user_level(e.mm, BASE + P));
				KEXPECT_EQ(t, allocs + want, thp_event_count(THP_FAULT_ALLOC));
				KEXPECT_EQ(t, want ? HPAGE_PMD_NR : 1,
					   (long)get_mm_counter(e.mm, MM_ANONPAGES));
				env_end(t, &e);
			}
		}
	}
}

/* No order-9 page to be had: the fault maps 4 KiB, counted, and nothing is lost. */
static void fault_falls_back_to_4k(struct ktest *t)
{
	unsigned long fb = thp_event_count(THP_FAULT_FALLBACK);
	struct thp_env e;

	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_ALWAYS, 0, H));
	inject_failures(HPAGE_PMD_ORDER);
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, fb + 1, thp_event_count(THP_FAULT_FALLBACK));
	KEXPECT_EQ(t, 0, ktest_user_byte(e.mm, BASE)[0]);
	env_end(t, &e);
}

/*
 * The huge page's counts (head refcount 1, entire mapcount 1, subpages
 * unmapped), then after a split (512 pages, refcount 1, mapcount 1): all
 * checked by the walker, which must notice one wrong entire mapcount.
 */
static void mapcounts_match_the_walk(struct ktest *t)
{
	unsigned long thps = nr_anon_thps();
	struct thp_env e;
	struct page *head;

	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_ALWAYS, 0, H));
	fill_huge(t, e.mm);
	KEXPECT_EQ(t, thps + 1, nr_anon_thps());
	head = pfn_to_page(PFN_DOWN((uintptr_t)ktest_user_byte(e.mm, BASE) - direct_map_base));
	KEXPECT_EQ(t, 1, page_ref_count(head));
	KEXPECT_EQ(t, 1, thp_entire_mapcount(head));
	KEXPECT_EQ(t, 0, page_mapcount(head + 5));
	KEXPECT_EQ(t, 1, (long)e.mm->nr_pmd_huge_pte);
	expect_consistent(t, e.mm);
	head[1]._spare = 2; /* a wrong entire mapcount: the checker must say so */
	KEXPECT_EQ(t, -EINVAL, mm_check_invariants(e.mm, (char[80]){0}, 80));
	head[1]._spare = 1;
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, P, MADV_DONTNEED));
	KEXPECT_TRUE(t, !PageCompound(head + 5));
	KEXPECT_EQ(t, 1, page_mapcount(head + 5));
	KEXPECT_EQ(t, 1, page_ref_count(head + 5));
	KEXPECT_EQ(t, 0, (long)e.mm->nr_pmd_huge_pte);
	expect_consistent(t, e.mm);
	env_end(t, &e);
}

/*
 * With every allocation failing, a partial MADV_DONTNEED still splits:
 * the deposit is the page table, the page's own struct pages the rest.
 * The split flushed once, under its own cause; 511 pages keep their data.
 */
static void split_succeeds_under_total_failure(struct ktest *t)
{
	unsigned long pmd = thp_event_count(THP_SPLIT_PMD), pg = thp_event_count(THP_SPLIT_PAGE);
	struct tlb_ledger_totals before, now;
	struct thp_env e;

	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_ALWAYS, 0, H));
	fill_huge(t, e.mm);
	inject_failures(0);
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + 100 * P, P, MADV_DONTNEED));
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	fail_page_alloc_reset();
	KEXPECT_EQ(t, pmd + 1, thp_event_count(THP_SPLIT_PMD));
	KEXPECT_EQ(t, pg + 1, thp_event_count(THP_SPLIT_PAGE));
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_THP_SPLIT]);
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, PG_LEVEL_NONE, ktest_user_level(e.mm, BASE + 100 * P));
	KEXPECT_EQ(t, HPAGE_PMD_NR - 1, count_intact(e.mm));
	KEXPECT_EQ(t, HPAGE_PMD_NR - 1, (long)get_mm_counter(e.mm, MM_ANONPAGES));
	env_end(t, &e);
}

/* munmap of part, mprotect of part, MADV_NOHUGEPAGE: split; mprotect of all: not. */
static void split_paths(struct ktest *t)
{
	unsigned long pmd = thp_event_count(THP_SPLIT_PMD);
	struct mmu_mapping m;
	struct thp_env e;

	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_ALWAYS, 0, 2 * H));
	fill_huge(t, e.mm);
	KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE + H, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, 0, do_mprotect(e.mm, BASE + H, H, PROT_READ)); /* whole leaf: stays huge */
	KEXPECT_EQ(t, 0, arch_mmu_user_query(mm_pgd_phys(e.mm), BASE + H, &m));
	KEXPECT_EQ(t, PG_LEVEL_2M, m.level);
	KEXPECT_EQ(t, 0, m.prot & MMU_WRITE);
	KEXPECT_EQ(t, pmd, thp_event_count(THP_SPLIT_PMD));
	KEXPECT_EQ(t, 0, do_mprotect(e.mm, BASE, H / 2, PROT_READ)); /* half: split */
	KEXPECT_EQ(t, pmd + 1, thp_event_count(THP_SPLIT_PMD));
	KEXPECT_EQ(t, HPAGE_PMD_NR, count_intact(e.mm));
	expect_consistent(t, e.mm);
	KEXPECT_EQ(t, 0, do_munmap(e.mm, BASE + H + H - P, P)); /* the last 4 KiB: split */
	KEXPECT_EQ(t, pmd + 2, thp_event_count(THP_SPLIT_PMD));
	expect_consistent(t, e.mm);
	KEXPECT_EQ(t, 0, do_mprotect(e.mm, BASE + H / 2, H / 2, PROT_READ)); /* one VMA again */
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_COLLAPSE));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + P, P, MADV_RANDOM)); /* VMA split inside: split */
	KEXPECT_EQ(t, pmd + 3, thp_event_count(THP_SPLIT_PMD));
	expect_consistent(t, e.mm);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_NORMAL)); /* one VMA again */
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_COLLAPSE));
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_NOHUGEPAGE)); /* opt out: split */
	KEXPECT_EQ(t, pmd + 4, thp_event_count(THP_SPLIT_PMD));
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, -EINVAL, do_madvise(e.mm, BASE, H, MADV_COLLAPSE)); /* and stays out */
	KEXPECT_EQ(t, HPAGE_PMD_NR, count_intact(e.mm));
	env_end(t, &e);
}

/* Split then collapse: one leaf again, data kept, the none PTE now zeroes, flushed once. */
static void collapse_restores_the_leaf(struct ktest *t)
{
	unsigned long ok = thp_event_count(THP_COLLAPSE_ALLOC);
	struct tlb_ledger_totals before, now;
	struct thp_env e;

	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_NEVER, 0, H));
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE + i * P, FAULT_FLAG_WRITE));
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		ktest_user_byte(e.mm, BASE + i * P)[7] = (uint8_t)(i + 1);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + 3 * P, P, MADV_DONTNEED));
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_COLLAPSE)); /* ignores "never", as Linux */
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	KEXPECT_EQ(t, ok + 1, thp_event_count(THP_COLLAPSE_ALLOC));
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_THP_COLLAPSE]);
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, HPAGE_PMD_NR - 1, count_intact(e.mm));
	KEXPECT_EQ(t, 0, ktest_user_byte(e.mm, BASE + 3 * P)[7]);
	KEXPECT_EQ(t, HPAGE_PMD_NR, (long)get_mm_counter(e.mm, MM_ANONPAGES));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_COLLAPSE)); /* already huge: fine */
	expect_consistent(t, e.mm);
	env_end(t, &e);
}

/* Word @w of small page @i in collapse_copies_every_word: no two alike, none zero. */
static uint64_t word_pattern(int i, int w)
{
	return 0x5a5a000000000000ULL | ((uint64_t)i << 16) | (uint64_t)(w + 1);
}

/*
 * Every word of every small page reaches the huge page, in place (the
 * collapse copies 64 bytes at a time: a lost or shifted block shows here,
 * where the one-byte-per-page checks above would miss it); the dropped
 * page reads as zeroes.
 */
static void collapse_copies_every_word(struct ktest *t)
{
	const int hole = 5;
	int wrong = 0, nonzero = 0;
	struct thp_env e;

	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_NEVER, 0, H));
	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		uint64_t *page;

		KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE + i * P, FAULT_FLAG_WRITE));
		page = (uint64_t *)ktest_user_byte(e.mm, BASE + i * P);
		for (int w = 0; w < (int)(P / 8); w++)
			page[w] = word_pattern(i, w);
	}
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + hole * P, P, MADV_DONTNEED));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_COLLAPSE));
	KASSERT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		const uint64_t *page = (const uint64_t *)ktest_user_byte(e.mm, BASE + i * P);

		for (int w = 0; w < (int)(P / 8); w++) {
			if (i == hole)
				nonzero += page[w] != 0;
			else
				wrong += page[w] != word_pattern(i, w);
		}
	}
	KEXPECT_EQ(t, 0, wrong);
	KEXPECT_EQ(t, 0, nonzero);
	env_end(t, &e);
}

/* While collapse has the lock dropped, another fault fills the hole. */
static void touch_the_hole(struct mm_struct *mm, uintptr_t haddr)
{
	handle_mm_fault(mm, haddr + 3 * P, FAULT_FLAG_WRITE);
}

/* A PTE changed under it, or no huge page: collapse gives up, counted, nothing lost. */
static void collapse_gives_up_cleanly(struct ktest *t)
{
	unsigned long abort = thp_event_count(THP_COLLAPSE_ABORT);
	unsigned long failed = thp_event_count(THP_COLLAPSE_ALLOC_FAILED);
	struct thp_env e;

	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_ALWAYS, 0, H));
	fill_huge(t, e.mm);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + 3 * P, P, MADV_DONTNEED));
	thp_collapse_test_hook = touch_the_hole;
	KEXPECT_EQ(t, -EAGAIN, do_madvise(e.mm, BASE, H, MADV_COLLAPSE));
	thp_collapse_test_hook = NULL;
	KEXPECT_EQ(t, abort + 1, thp_event_count(THP_COLLAPSE_ABORT));
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, HPAGE_PMD_NR - 1, count_intact(e.mm));
	KEXPECT_EQ(t, HPAGE_PMD_NR, (long)get_mm_counter(e.mm, MM_ANONPAGES));
	expect_consistent(t, e.mm);
	inject_failures(HPAGE_PMD_ORDER);
	KEXPECT_EQ(t, -ENOMEM, do_madvise(e.mm, BASE, H, MADV_COLLAPSE));
	fail_page_alloc_reset();
	KEXPECT_EQ(t, failed + 1, thp_event_count(THP_COLLAPSE_ALLOC_FAILED));
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, HPAGE_PMD_NR - 1, count_intact(e.mm));
	env_end(t, &e);
}

/* A split's shootdown goes to the CPUs that have the mm loaded, and only there. */
static void split_flush_reaches_only_mm_cpumask(struct ktest *t)
{
	struct tlb_ledger_totals before, d1, d2;
	struct load_args there = {NULL, NULL};
	struct thp_env e;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_ALWAYS, 0, 2 * H));
	fill_huge(t, e.mm);
	KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE + H, FAULT_FLAG_WRITE));
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, P, MADV_DONTNEED)); /* loaded nowhere */
	tlb_ledger_totals(&d1);
	there.mm = e.mm;
	smp_call_function_single(1, ktest_load_mm_here, &there, true);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + H, P, MADV_DONTNEED)); /* loaded on CPU 1 */
	tlb_ledger_totals(&d2);
	smp_call_function_single(1, ktest_unload_mm_here, &there, true);
	tlb_ledger_delta(&d2, &d1);
	tlb_ledger_delta(&d1, &before);
	KEXPECT_EQ(t, 1, d1.by_cause[FLUSH_THP_SPLIT]);
	KEXPECT_EQ(t, 0, d1.remote_flush);
	KEXPECT_EQ(t, 1, d2.by_cause[FLUSH_THP_SPLIT]);
	KEXPECT_EQ(t, 2, d2.remote_flush); /* the split's, then the DONTNEED's own */
	KEXPECT_EQ(t, 1, d2.late_ack);	   /* the split's: break-before-make */
	KEXPECT_EQ(t, 2, d2.remote_flush_received);
	env_end(t, &e);
}

/*
 * A collapse unlinks the page table (kept as the deposit) before the
 * 2 MiB leaf replaces it: its flush must reach a CPU holding the mm
 * lazily, whose paging-structure caches may point at that table (fails
 * if collapse_commit passes no TLB_FREED_TABLES: lazy_reached 0).
 */
static void collapse_flush_reaches_lazy_cpus(struct ktest *t)
{
	struct tlb_ledger_totals before, now;
	struct lazy_cpu lazy;
	struct thp_env e;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	KASSERT_TRUE(t, env_start(&e, THP_ENABLED_NEVER, 0, H));
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		KASSERT_EQ(t, 0, handle_mm_fault(e.mm, BASE + i * P, FAULT_FLAG_WRITE));
	ktest_lazy_start(&lazy, 1, e.mm);
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, H, MADV_COLLAPSE));
	tlb_ledger_totals(&now);
	KEXPECT_TRUE(t, ktest_cpu_lazy_for(1, e.mm));
	ktest_lazy_end(&lazy);
	tlb_ledger_delta(&now, &before);
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_THP_COLLAPSE]);
	KEXPECT_EQ(t, 1, now.lazy_reached);
	KEXPECT_EQ(t, 0, now.lazy_skipped);
	env_end(t, &e);
}

static const struct ktest_case thp_cases[] = {
    KTEST_CASE(fault_policy_matrix),
    KTEST_CASE(fault_falls_back_to_4k),
    KTEST_CASE(mapcounts_match_the_walk),
    KTEST_CASE(split_succeeds_under_total_failure),
    KTEST_CASE(split_paths),
    KTEST_CASE(collapse_restores_the_leaf),
    KTEST_CASE(collapse_copies_every_word),
    KTEST_CASE(collapse_gives_up_cleanly),
    KTEST_CASE(split_flush_reaches_only_mm_cpumask),
    KTEST_CASE(collapse_flush_reaches_lazy_cpus),
    {},
};

DEFINE_KTEST_SUITE(thp, thp_cases);
