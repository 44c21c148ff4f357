/*
 * HVO checked from the page tables and the counters, under every flush
 * strategy: 7 vmemmap frames saved per 2 MiB page and all of them back after
 * a shrink; tail vmemmap pages read-only and shared, the head page writable;
 * every tail still resolving to its head; a write to a tail faulting; and
 * randomized out-of-memory points across grow and shrink cycles ending with
 * exact accounting.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/ktest.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "tests/kernel/hugetlb_ktest_env.h"

#define NR_PAGES 8

static unsigned long memmap_pages(void)
{
	return nr_pages_by_purpose(PURPOSE_VMEMMAP);
}

static unsigned long pgtable_pages(void)
{
	return nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
}

/* Grow to @n 2 MiB pages and read back how many the pool got. */
static unsigned long grow(unsigned long n)
{
	set_max_huge_pages(&default_hstate, n);
	return default_hstate.nr_huge_pages;
}

/* One grow and shrink of NR_PAGES under the current knobs: 7 frames saved per page, all back. */
static void check_saves_7_per_2m(struct ktest *t)
{
	unsigned long free0 = nr_free_pages(), memmap0 = memmap_pages();
	unsigned long tables0 = pgtable_pages(), tables;

	KASSERT_EQ(t, NR_PAGES, grow(NR_PAGES));
	tables = pgtable_pages() - tables0; /* splits: counted as page tables */
	KEXPECT_EQ(t, memmap0 - 7 * NR_PAGES, memmap_pages());
	KEXPECT_EQ(t, free0 - NR_PAGES * 512 + 7 * NR_PAGES - tables, nr_free_pages());
	KEXPECT_EQ(t, 0, grow(0));
	KEXPECT_EQ(t, memmap0, memmap_pages());
	KEXPECT_EQ(t, free0 - tables, nr_free_pages());
}

/* Every strategy x init form x restore form (the suite's exit puts the knobs back). */
static void each_strategy_saves_7_per_2m(struct ktest *t)
{
	hugetlb_optimize_vmemmap = true;
	grow(1); /* the shared tail page is allocated once and kept */
	grow(0);
	for (int i = 0; hugetlb_vmemmap_strategies[i]; i++) {
		KASSERT_EQ(t, 0, hugetlb_vmemmap_set_strategy(hugetlb_vmemmap_strategies[i]));
		for (int j = 0; hugetlb_vmemmap_inits[j]; j++) {
			KASSERT_EQ(t, 0, hugetlb_vmemmap_set_init(hugetlb_vmemmap_inits[j]));
			for (int k = 0; hugetlb_vmemmap_restores[k]; k++) {
				KASSERT_EQ(
				    t, 0, hugetlb_vmemmap_set_restore(hugetlb_vmemmap_restores[k]));
				check_saves_7_per_2m(t);
			}
		}
	}
}

static void hvo_off_saves_nothing(struct ktest *t)
{
	unsigned long memmap0 = memmap_pages(), free0 = nr_free_pages();

	hugetlb_optimize_vmemmap = false;
	KASSERT_EQ(t, NR_PAGES, grow(NR_PAGES));
	KEXPECT_EQ(t, memmap0, memmap_pages());
	KEXPECT_EQ(t, free0 - NR_PAGES * 512, nr_free_pages());
	grow(0);
	hugetlb_optimize_vmemmap = true;
	KEXPECT_EQ(t, free0, nr_free_pages());
}

/* Every huge page in the pool: head, 511 tails that find it, vmemmap layout. */
static void check_one_page(struct ktest *t, struct page *head)
{
	uintptr_t va = (uintptr_t)head;
	struct mmu_mapping m0, m;

	KEXPECT_TRUE(t, PageHead(head) && PageVmemmapOptimized(head));
	KEXPECT_EQ(t, 9, compound_order(head));
	for (int i = 1; i < 512; i++)
		KEXPECT_TRUE(t, PageTail(head + i) && compound_head(head + i) == head);
	KASSERT_EQ(t, 0, arch_mmu_query(va, &m0));
	KEXPECT_TRUE(t, m0.prot & MMU_WRITE);
	for (int p = 1; p < 8; p++) {
		KASSERT_EQ(t, 0, arch_mmu_query(va + p * PAGE_SIZE, &m));
		KEXPECT_EQ(t, PG_LEVEL_4K, m.level);
		KEXPECT_EQ(t, 0, m.prot & MMU_WRITE);
		KEXPECT_TRUE(t, m.pa != m0.pa);
		if (p > 1) { /* all tail pages share one frame */
			struct mmu_mapping m1;

			KASSERT_EQ(t, 0, arch_mmu_query(va + PAGE_SIZE, &m1));
			KEXPECT_EQ(t, m1.pa, m.pa);
		}
	}
}

static void tails_shared_read_only(struct ktest *t)
{
	struct page *head, *other;
	struct mmu_mapping a, b;

	hugetlb_optimize_vmemmap = true;
	KASSERT_EQ(t, 2, grow(2));
	list_for_each_entry (head, &default_hstate.hugepage_freelists, lru)
		check_one_page(t, head);
	head = list_first_entry(&default_hstate.hugepage_freelists, struct page, lru);
	other = list_next_entry(head, lru);
	/* Tail vmemmap pages of two different huge pages map the same frame. */
	KEXPECT_EQ(t, 0, arch_mmu_query((uintptr_t)(head + 100), &a));
	KEXPECT_EQ(t, 0, arch_mmu_query((uintptr_t)(other + 200), &b));
	KEXPECT_EQ(t, a.pa & ~0xfffULL, b.pa & ~0xfffULL);
	/* A write to a shared tail faults; a tail in the head's page does not. */
	KEXPECT_EQ(t, 1, write_u64_nofault((volatile uint64_t *)&head[100]._spare, 1));
	KEXPECT_EQ(t, 0, head[100]._spare);
	KEXPECT_EQ(t, 0, write_u64_nofault((volatile uint64_t *)&head[10]._spare, 0));
	KEXPECT_EQ(t, 0, grow(0));
}

static void fail_points_leave_exact_accounting(struct ktest *t)
{
	unsigned long free0 = nr_free_pages(), memmap0 = memmap_pages();
	unsigned long tables0 = pgtable_pages(), injected = 0;
	char why[160];
	long n;

	hugetlb_optimize_vmemmap = true;
	for (int run = 0; run < 96; run++) {
		hugetlb_vmemmap_set_strategy(hugetlb_vmemmap_strategies[run % 4]);
		hugetlb_vmemmap_set_init(hugetlb_vmemmap_inits[run / 4 % 2]);
		hugetlb_vmemmap_set_restore(hugetlb_vmemmap_restores[run / 8 % 2]);
		fail_page_alloc_reset();
		fail_page_alloc_set("seed", 1000 + run);
		fail_page_alloc_set("probability", 10 + run % 40);
		fail_page_alloc_set("times", -1);
		grow(4 + run % 13);
		grow(run % 3);
		fail_page_alloc_get("injected", &n);
		injected += n;
		fail_page_alloc_reset(); /* now every restore can succeed */
		grow(0);
		KEXPECT_EQ(t, 0, default_hstate.nr_huge_pages);
		KASSERT_EQ(t, 0, page_alloc_check_invariants(why, sizeof(why)));
		KASSERT_EQ(t, 0, hugetlb_check_pools(why, sizeof(why)));
	}
	printk("    # %lu allocation failures injected across 96 grow/shrink cycles\n", injected);
	KEXPECT_TRUE(t, injected >= 150);
	/* Only page tables made by splits remain; every other frame came back. */
	KEXPECT_EQ(t, memmap0, memmap_pages());
	KEXPECT_EQ(t, free0 - (pgtable_pages() - tables0), nr_free_pages());
}

/* 1 GiB pages: 4095 of 4096 vmemmap frames saved, all back on shrink. */
static void saves_4095_per_1g(struct ktest *t)
{
	struct hstate *h = size_to_hstate(1048576);
	unsigned long memmap0;

	hugetlb_optimize_vmemmap = true;
	set_max_huge_pages(h, 1); /* warm-up: the shared 1 GiB tail page, the splits */
	if (h->nr_huge_pages != 1) {
		set_max_huge_pages(h, 0);
		KTEST_SKIP(t, "no free 1 GiB-aligned GiB (boot with -m 4G)");
	}
	set_max_huge_pages(h, 0);
	memmap0 = memmap_pages();
	KASSERT_EQ(t, 0, set_max_huge_pages(h, 1));
	KASSERT_EQ(t, 1, h->nr_huge_pages);
	KEXPECT_EQ(t, memmap0 - 4095, memmap_pages());
	set_max_huge_pages(h, 0);
	KEXPECT_EQ(t, 0, h->nr_huge_pages);
	KEXPECT_EQ(t, memmap0, memmap_pages());
}

static const struct ktest_case hvo_cases[] = {
    KTEST_CASE(saves_4095_per_1g),
    KTEST_CASE(each_strategy_saves_7_per_2m),
    KTEST_CASE(hvo_off_saves_nothing),
    KTEST_CASE(tails_shared_read_only),
    KTEST_CASE(fail_points_leave_exact_accounting),
    {},
};
DEFINE_KTEST_SUITE_ENV(hvo, hvo_cases, hugetlb_ktest_enter, hugetlb_ktest_exit);
