/*
 * Device memory's vmemmap, checked from the page tables and the counters:
 * exact frames per align (1 GiB: 4096 at 4 KiB, 512 at 2 MiB, 1 at 1 GiB),
 * every tail resolving to its head, a write to a shared tail faulting,
 * no flush to build it and one to tear it down, Linux's errors for bad
 * requests, and 20 create/destroy cycles that give back every frame. Runs
 * on pfns at 2 TiB (beyond RAM, the simulated region's neighbour) that
 * nothing else maps.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/devdax_vmemmap.h"
#include "mm/devmem.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/smp.h"
#include "smp/tlbflush.h"

#define TEST_PFN ((2ULL << 40) >> PAGE_SHIFT)
#define GIB_PAGES (1UL << 18)

/* Remote requests since @before that asked for late ack. */
static uint64_t late_acks(const struct tlb_ledger_totals *before)
{
	struct tlb_ledger_totals now;

	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, before);
	return now.late_ack;
}

static uint64_t flush_calls(const struct tlb_ledger_totals *before)
{
	struct tlb_ledger_totals now;
	uint64_t n = 0;

	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, before);
	for (int c = 0; c < NR_FLUSH_CAUSES; c++)
		n += now.by_cause[c];
	return n;
}

/* The shared tail pages exist before any count is taken (they stay for good). */
static void warm_up(void)
{
	devmap_vmemmap_prepare(HVO_ORDER_2M, true);
	devmap_vmemmap_prepare(HVO_ORDER_1G, true);
}

/*
 * Populate 1 GiB at @order, check its frames and page tables (@tables: one
 * PMD table for this GiB of vmemmap, plus one page table per 2 MiB of it
 * that is not the shared one) and that it costs no flush, then free it all.
 */
static void check_gib(struct ktest *t, unsigned int order, bool dedup, unsigned long frames,
		      unsigned long tables)
{
	unsigned long free0, memmap0, tables0;
	struct tlb_ledger_totals l0;
	struct devmap_cost cost;

	warm_up();
	free0 = nr_free_pages();
	memmap0 = nr_pages_by_purpose(PURPOSE_VMEMMAP);
	tables0 = nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
	tlb_ledger_totals(&l0);
	KASSERT_EQ(t, 0, devmap_vmemmap_populate(TEST_PFN, GIB_PAGES, order, dedup, &cost));
	KEXPECT_EQ(t, 0, flush_calls(&l0));
	KEXPECT_EQ(t, frames, cost.memmap_pages);
	KEXPECT_EQ(t, 4096 - frames, cost.shared_maps);
	KEXPECT_EQ(t, memmap0 + frames, nr_pages_by_purpose(PURPOSE_VMEMMAP));
	KEXPECT_EQ(t, tables0 + tables, nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
	tlb_ledger_totals(&l0);
	devmap_vmemmap_depopulate(TEST_PFN, GIB_PAGES);
	KEXPECT_EQ(t, 1, flush_calls(&l0));
	/* It freed live kernel tables: late ack, whatever the protocol (0 with no other CPU). */
	KEXPECT_EQ(t, nr_cpus_online > 1, late_acks(&l0));
	KEXPECT_EQ(t, memmap0, nr_pages_by_purpose(PURPOSE_VMEMMAP));
	KEXPECT_EQ(t, tables0, nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
	KEXPECT_EQ(t, free0, nr_free_pages());
}

static void memmap_4k_is_4096_per_gib(struct ktest *t)
{
	check_gib(t, 0, false, 4096, 1 + 8);
}

static void memmap_2m_dedup_is_512_per_gib(struct ktest *t)
{
	check_gib(t, HVO_ORDER_2M, true, 512, 1 + 8);
}

static void memmap_1g_dedup_is_1_per_gib(struct ktest *t)
{
	check_gib(t, HVO_ORDER_1G, true, 1, 1 + 1); /* 7 PMDs share one table */
}

static void memmap_2m_full_is_4096_per_gib(struct ktest *t)
{
	check_gib(t, HVO_ORDER_2M, false, 4096, 1 + 8);
}

/* Every struct page of [pfn, pfn + nr) finds the head of its order-@order page. */
static unsigned long wrong_heads(unsigned long pfn, unsigned long nr, unsigned int order)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = pfn_to_page(pfn + i);
		struct page *head = pfn_to_page(pfn + (i & ~((1UL << order) - 1)));

		bad += compound_head(p) != head;
		if (p == head)
			bad += !PageHead(p) || compound_order(p) != order;
	}
	return bad;
}

static void tails_find_head_and_are_read_only(struct ktest *t)
{
	struct page *head = pfn_to_page(TEST_PFN + 512);
	struct mmu_mapping a, b;
	struct devmap_cost cost;

	warm_up();
	KASSERT_EQ(t, 0, devmap_vmemmap_populate(TEST_PFN, 4096, HVO_ORDER_2M, true, &cost));
	KEXPECT_EQ(t, 0, wrong_heads(TEST_PFN, 4096, HVO_ORDER_2M));
	/* Tails of two different compound pages map one frame, read-only. */
	KEXPECT_EQ(t, 0, arch_mmu_query((uintptr_t)(head + 100), &a));
	KEXPECT_EQ(t, 0, arch_mmu_query((uintptr_t)(head + 512 + 200), &b));
	KEXPECT_EQ(t, a.pa & ~0xfffULL, b.pa & ~0xfffULL);
	KEXPECT_TRUE(t, !(a.prot & MMU_WRITE));
	KEXPECT_EQ(t, 1, write_u64_nofault((volatile uint64_t *)&head[100]._spare, 1));
	KEXPECT_EQ(t, 0, head[100]._spare);
	KEXPECT_EQ(t, 0, write_u64_nofault((volatile uint64_t *)&head[10]._spare, 0));
	devmap_vmemmap_depopulate(TEST_PFN, 4096);
	KASSERT_EQ(t, 0, devmap_vmemmap_populate(TEST_PFN, GIB_PAGES, HVO_ORDER_1G, true, &cost));
	KEXPECT_EQ(t, 0, wrong_heads(TEST_PFN, GIB_PAGES, HVO_ORDER_1G));
	/* A tail behind the shared page table is read-only too (its PMD says so). */
	head = pfn_to_page(TEST_PFN);
	KEXPECT_EQ(t, 1, write_u64_nofault((volatile uint64_t *)&head[GIB_PAGES - 1]._spare, 1));
	KEXPECT_EQ(t, 0, head[GIB_PAGES - 1]._spare);
	devmap_vmemmap_depopulate(TEST_PFN, GIB_PAGES);
}

static void plain_pages_are_their_own_heads(struct ktest *t)
{
	struct devmap_cost cost;
	unsigned long bad = 0;

	KASSERT_EQ(t, 0, devmap_vmemmap_populate(TEST_PFN, 4096, 0, false, &cost));
	for (unsigned long i = 0; i < 4096; i++) {
		struct page *p = pfn_to_page(TEST_PFN + i);

		bad += compound_head(p) != p || PageCompound(p) || !PageReserved(p);
	}
	KEXPECT_EQ(t, 0, bad);
	devmap_vmemmap_depopulate(TEST_PFN, 4096);
}

static void busy_ranges_are_refused(struct ktest *t)
{
	struct devmap_cost cost;

	KEXPECT_EQ(t, -EBUSY, devmap_vmemmap_populate(0, 4096, 0, false, &cost)); /* RAM */
	KASSERT_EQ(t, 0, devmap_vmemmap_populate(TEST_PFN, 4096, 0, false, &cost));
	KEXPECT_EQ(t, -EBUSY, devmap_vmemmap_populate(TEST_PFN + 2048, 4096, 0, false, &cost));
	devmap_vmemmap_depopulate(TEST_PFN, 4096);
	KEXPECT_EQ(t, -EINVAL,
		   devmap_vmemmap_populate(TEST_PFN + 1, 4096, HVO_ORDER_2M, true, &cost));
}

static int simulated_region(void)
{
	for (int i = 0; i < devmem_nr_regions; i++)
		if (devmem_regions[i].simulated)
			return i;
	return -1;
}

static int create(int region, uint64_t size, unsigned long align, struct dev_dax **d)
{
	struct devdax_create req = {.region = region, .size = size, .align = align};

	return devdax_create(&req, d);
}

static void linux_errors_for_bad_requests(struct ktest *t)
{
	int r = simulated_region();
	struct devdax_create req = {.region = r,
				    .size = 4UL << 20,
				    .align = PMD_SIZE,
				    .has_offset = true,
				    .offset = 2UL << 20};
	struct dev_dax *d, *e;

	if (r < 0)
		KTEST_SKIP(t, "no simulated region (RAM reaches 1 TiB)");
	KEXPECT_EQ(t, -EINVAL, create(r, 2UL << 20, 8192, &d));	     /* not 4K/2M/1G */
	KEXPECT_EQ(t, -EINVAL, create(r, 3UL << 20, 2UL << 20, &d)); /* size % align */
	KEXPECT_EQ(t, -EINVAL, create(r, 0, 4096, &d));
	KEXPECT_EQ(t, -ENOSPC, create(r, 2ULL << 40, 1UL << 30, &d)); /* bigger than the region */
	KEXPECT_EQ(t, -ENODEV, create(DEVMEM_MAX_REGIONS, 4096, 4096, &d));
	KASSERT_EQ(t, 0, create(r, 4UL << 20, 2UL << 20, &d));
	KEXPECT_EQ(t, -EBUSY, devdax_create(&req, &e)); /* over a range in use */
	req.offset = 4096;
	KEXPECT_EQ(t, -EINVAL, devdax_create(&req, &e)); /* offset not aligned */
	d->nr_mapped = 1;				 /* as a user mapping would */
	KEXPECT_EQ(t, -EBUSY, devdax_destroy(d->name));
	d->nr_mapped = 0;
	KEXPECT_EQ(t, 0, devdax_destroy(d->name));
	KEXPECT_EQ(t, -ENODEV, devdax_destroy(d->name));
}

static void twenty_cycles_leak_nothing(struct ktest *t)
{
	static const unsigned long aligns[] = {PAGE_SIZE, PMD_SIZE, PUD_SIZE};
	int r = simulated_region();
	unsigned long free0, tables0, memmap0;
	struct dev_dax *d;

	if (r < 0)
		KTEST_SKIP(t, "no simulated region (RAM reaches 1 TiB)");
	warm_up();
	free0 = nr_free_pages();
	tables0 = nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
	memmap0 = nr_pages_by_purpose(PURPOSE_VMEMMAP);
	for (int i = 0; i < 20; i++) {
		KASSERT_EQ(t, 0, create(r, 1UL << 30, aligns[i % 3], &d));
		KASSERT_EQ(t, 0, devdax_destroy(d->name));
	}
	KEXPECT_EQ(t, free0, nr_free_pages());
	KEXPECT_EQ(t, tables0, nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
	KEXPECT_EQ(t, memmap0, nr_pages_by_purpose(PURPOSE_VMEMMAP));
}

static const struct ktest_case devdax_cases[] = {
    KTEST_CASE(memmap_4k_is_4096_per_gib),	   KTEST_CASE(memmap_2m_dedup_is_512_per_gib),
    KTEST_CASE(memmap_1g_dedup_is_1_per_gib),	   KTEST_CASE(memmap_2m_full_is_4096_per_gib),
    KTEST_CASE(tails_find_head_and_are_read_only), KTEST_CASE(plain_pages_are_their_own_heads),
    KTEST_CASE(busy_ranges_are_refused),	   KTEST_CASE(linux_errors_for_bad_requests),
    KTEST_CASE(twenty_cycles_leak_nothing),	   {0},
};
DEFINE_KTEST_SUITE(devdax, devdax_cases);
