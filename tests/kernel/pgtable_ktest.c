/*
 * The kernel page tables and the vmemmap, checked by walking them: every
 * struct page is mapped, by a frame counted as vmemmap, with 2 MiB leaves
 * wherever a whole 2 MiB of the array is covered; and map, split, protect
 * and unmap do what mm/mmu.h promises on scratch addresses.
 */
#include "flushlab/layout.h"
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/memblock.h"
#include "mm/mmu.h"
#include "mm/pgtable_alloc.h"
#include "mm/page_alloc.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/mm.h"
#include "mm/vmemmap.h"
#include "smp/tlbflush.h"

struct vmemmap_walk {
	uint64_t frames;	  /* distinct frames reached (the shared tail pages not yet) */
	unsigned long pmd_leaves; /* 2 MiB leaves */
};

/*
 * Check one memmap range's vmemmap. Each page maps a vmemmap frame; each
 * whole 2 MiB of the array is one 2 MiB leaf unless HVO split it; every
 * frame but HVO's shared tail pages is mapped once, writable.
 */
static void check_vmemmap_range(struct ktest *t, unsigned long spfn, unsigned long epfn,
				struct vmemmap_walk *w)
{
	uintptr_t start = ALIGN_DOWN((uintptr_t)pfn_to_page(spfn), PAGE_SIZE);
	uintptr_t end = ALIGN_UP((uintptr_t)pfn_to_page(epfn), PAGE_SIZE);
	struct mmu_mapping m;

	for (uintptr_t va = start; va < end; va += pg_level_size(m.level)) {
		bool whole_pmd = IS_ALIGNED(va, PMD_SIZE) && va + PMD_SIZE <= end;

		KASSERT_EQ(t, 0, arch_mmu_query(va, &m));
		KEXPECT_TRUE(t, m.level == PG_LEVEL_4K || (whole_pmd && m.level == PG_LEVEL_2M));
		KEXPECT_EQ(t, PURPOSE_VMEMMAP, page_purpose(pfn_to_page(PFN_DOWN(m.pa))));
		KEXPECT_TRUE(t, m.prot & MMU_GLOBAL);
		if (hvo_is_shared_tail_page(m.pa)) {
			KEXPECT_EQ(t, 0, m.prot & MMU_WRITE);
			continue;
		}
		KEXPECT_TRUE(t, m.prot & MMU_WRITE);
		w->frames += pg_level_size(m.level) / PAGE_SIZE;
		w->pmd_leaves += m.level == PG_LEVEL_2M;
	}
}

static void vmemmap_maps_every_struct_page(struct ktest *t)
{
	struct vmemmap_walk w = {0, 0};
	unsigned long spfn, epfn;
	uint64_t i;

	for_each_memmap_range (i, &spfn, &epfn)
		check_vmemmap_range(t, spfn, epfn, &w);
	/* Every vmemmap frame is reached exactly once by the walk. */
	KEXPECT_EQ(t, nr_pages_by_purpose(PURPOSE_VMEMMAP), w.frames + hvo_nr_shared_tail_pages());
	/* Boot mapped whole 2 MiB chunks with 2 MiB leaves; only HVO splits them. */
	KEXPECT_EQ(t, vmemmap_stats.pmd_mappings - hvo_pmd_splits, w.pmd_leaves);
}

/* Write a struct page through the vmemmap; read it back through the direct map. */
static void check_struct_page_alias(struct ktest *t, unsigned long pfn, unsigned long tag)
{
	struct page *page = pfn_to_page(pfn);
	unsigned long saved = page->_spare;
	struct mmu_mapping m;

	KASSERT_EQ(t, 0, arch_mmu_query((uintptr_t)&page->_spare, &m));
	page->_spare = tag;
	KEXPECT_EQ(t, tag, *(volatile unsigned long *)(direct_map_base + m.pa));
	page->_spare = saved;
}

/*
 * The first, middle and last pfn of every range that has struct pages: pfns
 * in holes (the PCI hole below 4 GiB at MEM=3G..5G) have none to check.
 */
static void vmemmap_agrees_with_direct_map(struct ktest *t)
{
	unsigned long spfn, epfn, tag = 0x5eed0000;
	uint64_t i;

	for_each_memmap_range (i, &spfn, &epfn) {
		check_struct_page_alias(t, spfn, tag++);
		check_struct_page_alias(t, spfn + (epfn - spfn) / 2, tag++);
		check_struct_page_alias(t, epfn - 1, tag++);
	}
	KEXPECT_TRUE(t, tag > 0x5eed0000);
}

/* Unlink the empty table below @va's entry at @level, flush, free it. */
static void free_empty_table(struct ktest *t, uintptr_t va, enum pg_level level)
{
	uint64_t pa = arch_mmu_unlink_table(va, level);

	KASSERT_TRUE(t, pa != 0);
	flush_tlb_kernel_range(va, va + pg_level_size(level), FLUSH_TEST);
	pgtable_free_page(pa);
}

/* Map a fresh 2 MiB block at a scratch va; returns the block or NULL. */
static struct page *map_scratch_2m(struct ktest *t, uintptr_t va)
{
	struct page *block = alloc_pages(GFP_KERNEL, 9);

	if (!block)
		return NULL;
	if (arch_mmu_map(va, PFN_PHYS(page_to_pfn(block)), PG_LEVEL_2M, MMU_WRITE | MMU_GLOBAL)) {
		__free_pages(block, 9);
		return NULL;
	}
	return block;
}

static void split_2m_keeps_contents(struct ktest *t)
{
	uintptr_t va = SCRATCH_BASE;
	struct page *block = map_scratch_2m(t, va);
	unsigned long tables = nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
	volatile uint64_t *p = (volatile uint64_t *)(va + 4096 * 7 + 8);
	struct mmu_mapping m;

	KASSERT_TRUE(t, block != NULL);
	*p = 0xfeedface;
	KEXPECT_EQ(t, 0, arch_mmu_split(va, PG_LEVEL_2M));
	flush_tlb_kernel_range(va, va + PMD_SIZE, FLUSH_TEST);
	KEXPECT_EQ(t, -ENOENT, arch_mmu_split(va, PG_LEVEL_2M)); /* already split */
	KASSERT_EQ(t, 0, arch_mmu_query(va + 4096 * 7, &m));
	KEXPECT_EQ(t, PG_LEVEL_4K, m.level);
	KEXPECT_EQ(t, PFN_PHYS(page_to_pfn(block)) + 4096 * 7, m.pa);
	KEXPECT_EQ(t, 0xfeedface, *p);
	KEXPECT_TRUE(t, nr_pages_by_purpose(PURPOSE_PAGE_TABLE) > tables);

	KEXPECT_EQ(t, 0, arch_mmu_protect(va + 4096 * 7, PG_LEVEL_4K, MMU_GLOBAL));
	flush_tlb_kernel_range(va + 4096 * 7, va + 4096 * 8, FLUSH_TEST);
	KASSERT_EQ(t, 0, arch_mmu_query(va + 4096 * 7, &m));
	KEXPECT_EQ(t, 0, m.prot & MMU_WRITE);
	KEXPECT_EQ(t, 0xfeedface, *p); /* still readable */

	for (uintptr_t a = va; a < va + PMD_SIZE; a += 4096)
		KEXPECT_EQ(t, 0, arch_mmu_unmap(a, PG_LEVEL_4K));
	flush_tlb_kernel_range(va, va + PMD_SIZE, FLUSH_TEST);
	KEXPECT_EQ(t, -ENOENT, arch_mmu_query(va, &m));
	__free_pages(block, 9);
	/* Leave nothing behind: the split's table goes too, so a rerun can map. */
	free_empty_table(t, va, PG_LEVEL_2M);
	KEXPECT_EQ(t, tables, nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
}

static void split_1g_into_2m(struct ktest *t)
{
	uintptr_t va = SCRATCH_BASE + GiB;
	unsigned long tables;
	struct mmu_mapping m;

	/*
	 * Physical 0-1 GiB read-only and uncached: touched by nobody, only
	 * walked. The GiB holds MMIO and several MTRR types (SDM 11.11.9): a
	 * write-back mapping of it could be prefetched; an uncached one cannot.
	 */
	KASSERT_EQ(t, 0, arch_mmu_map(va, 0, PG_LEVEL_1G, MMU_GLOBAL | MMU_NOCACHE));
	tables = nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
	KASSERT_EQ(t, 0, arch_mmu_split(va, PG_LEVEL_1G));
	flush_tlb_kernel_range(va, va + GiB, FLUSH_TEST);
	KASSERT_EQ(t, 0, arch_mmu_query(va + 3 * PMD_SIZE + 5, &m));
	KEXPECT_EQ(t, PG_LEVEL_2M, m.level);
	KEXPECT_EQ(t, 3 * PMD_SIZE + 5, m.pa);
	KEXPECT_EQ(t, 0, m.prot & MMU_WRITE);
	KEXPECT_EQ(t, MMU_NOCACHE, m.prot & MMU_NOCACHE); /* the split keeps the type */
	for (uintptr_t a = va; a < va + GiB; a += PMD_SIZE)
		KEXPECT_EQ(t, 0, arch_mmu_unmap(a, PG_LEVEL_2M));
	flush_tlb_kernel_range(va, va + GiB, FLUSH_TEST);
	KEXPECT_EQ(t, -ENOENT, arch_mmu_query(va, &m));
	free_empty_table(t, va, PG_LEVEL_1G);
	KEXPECT_EQ(t, tables, nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
}

static void map_refuses_overlap(struct ktest *t)
{
	uintptr_t va = SCRATCH_BASE + 2 * GiB;
	struct mmu_mapping m;

	KASSERT_EQ(
	    t, 0,
	    arch_mmu_map(va, 0, PG_LEVEL_2M, MMU_GLOBAL | MMU_NOCACHE)); /* MMIO inside: uncached */
	KEXPECT_EQ(t, -EEXIST, arch_mmu_map(va, 0, PG_LEVEL_2M, MMU_GLOBAL | MMU_NOCACHE));
	KEXPECT_EQ(t, -EEXIST, arch_mmu_map(va + 4096, 0, PG_LEVEL_4K, MMU_GLOBAL));
	KEXPECT_EQ(t, -ENOENT, arch_mmu_unmap(va, PG_LEVEL_4K));
	KEXPECT_EQ(t, 0, arch_mmu_unmap(va, PG_LEVEL_2M));
	flush_tlb_kernel_range(va, va + PMD_SIZE, FLUSH_TEST);
	KEXPECT_EQ(t, -ENOENT, arch_mmu_query(va, &m));
}

static const struct ktest_case pgtable_cases[] = {
    KTEST_CASE(vmemmap_maps_every_struct_page),
    KTEST_CASE(vmemmap_agrees_with_direct_map),
    KTEST_CASE(split_2m_keeps_contents),
    KTEST_CASE(split_1g_into_2m),
    KTEST_CASE(map_refuses_overlap),
    {},
};
DEFINE_KTEST_SUITE(pgtable, pgtable_cases);
