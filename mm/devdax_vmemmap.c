/*
 * The vmemmap of device memory, built when a device-dax instance is created
 * (Linux's vmemmap_populate_compound_pages, in our own words). With compound
 * pages of 2 MiB or 1 GiB, the first vmemmap page of each compound page (the
 * head and 63 tails) gets a frame of its own; every other one is born
 * mapped, read-only, onto HVO's shared tail page for that order
 * (hvo_shared_tail_page): nothing is written twice, nothing is remapped,
 * nothing is flushed. Teardown is the only step that needs a flush. Each
 * whole 2 MiB of such a vmemmap is built in its page table before the
 * table is linked (populate_chunk), so onlining costs one store per entry.
 */
#include "flushlab/layout.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/devdax_vmemmap.h"
#include "mm/hugetlb_vmemmap_priv.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "mm/pgtable_alloc.h"
#include "smp/tlbflush.h"

#define STRUCT_PAGES_PER_VMEMMAP_PAGE (PAGE_SIZE / sizeof(struct page))

/*
 * At align=1G a compound page's vmemmap spans 8 PMDs; 7 of them hold only
 * tails, so they all point at one read-only page table whose 512 entries map
 * the shared tail page (allocated once, kept for good, like that page).
 */
static uint64_t shared_tail_table;

int devmap_vmemmap_prepare(unsigned int order, bool dedup)
{
	uint64_t tail_pa;

	if (!order)
		return 0;
	tail_pa = hvo_shared_tail_page(order);
	if (!tail_pa)
		return -ENOMEM;
	if (order == HVO_ORDER_1G && dedup && !shared_tail_table)
		shared_tail_table = arch_mmu_alloc_filled_table(tail_pa, MMU_GLOBAL);
	return 0;
}

/*
 * Point the PMD at @va (a 2 MiB vmemmap chunk inside [.., end) that holds
 * only tails of a 1 GiB compound page) at the shared table. false if it
 * cannot (no shared table, or the PMD is in use): map page by page then.
 */
static bool link_shared_table(uintptr_t va, uintptr_t end, unsigned long idx, unsigned int order)
{
	if (order != HVO_ORDER_1G || !shared_tail_table || !idx || va & (PMD_SIZE - 1) ||
	    end - va < PMD_SIZE)
		return false;
	return arch_mmu_link_table(va, PG_LEVEL_2M, shared_tail_table) == 0;
}

/* Plain device pages: reserved (never the buddy allocator's), unmapped. */
static void init_plain_pages(struct page *p)
{
	for (unsigned long i = 0; i < STRUCT_PAGES_PER_VMEMMAP_PAGE; i++) {
		p[i] = (struct page){._mapcount = -1};
		__SetPageReserved(&p[i]);
	}
}

/*
 * Fill one fresh vmemmap frame @p: vmemmap page @idx of a compound page of
 * @order (0 holds the head), or plain pages when @order is 0. A tail-only
 * page of a full (not deduplicated) vmemmap is a copy of the shared page:
 * the same bytes every tail of that order has (mm/page.h).
 */
static void init_frame(struct page *p, unsigned int order, unsigned long idx, uint64_t tail_pa)
{
	if (!order) {
		init_plain_pages(p);
	} else if (idx) {
		memcpy(p, (const void *)(direct_map_base + tail_pa), PAGE_SIZE);
	} else {
		hvo_prep_compound_head_page(p, order);
		p->_mapcount = -1;
		__SetPageReserved(p);
	}
}

/*
 * Map a fresh frame at @va, written before it is published: the PTE store
 * comes after the struct page stores in program order, and x86 (TSO) makes
 * them visible in that order, so any CPU that walks to the frame sees it
 * complete. The entry was not present, so no TLB holds it (Intel SDM vol. 3,
 * 4.10.2.1): no flush.
 */
static int map_own_frame(uintptr_t va, unsigned int order, unsigned long idx, uint64_t tail_pa)
{
	struct page *frame = alloc_page(GFP_VMEMMAP | __GFP_ZERO | __GFP_NOWARN);
	uint64_t pa;
	int ret;

	if (!frame)
		return -ENOMEM;
	pa = PFN_PHYS(page_to_pfn(frame));
	init_frame(page_address(frame), order, idx, tail_pa);
	ret = arch_mmu_map(va, pa, PG_LEVEL_4K, MMU_WRITE | MMU_GLOBAL);
	if (ret)
		__free_page(frame);
	return ret;
}

#define PTES_PER_TABLE (PMD_SIZE / PAGE_SIZE)
#define MAX_HEADS_PER_CHUNK (PTES_PER_TABLE / 8) /* order 9: 8 vmemmap pages each */

/*
 * A whole 2 MiB chunk of a deduplicated vmemmap (512 vmemmap pages, @first
 * the index in its compound page of the chunk's first one), built in a page
 * table of its own before it is linked: every entry maps the shared tail
 * page read-only, except each compound page's first vmemmap page, which
 * gets a fresh frame. One link instead of 512 map calls, each with its
 * walk and lock. The table is unreachable until the link (no flush, and
 * arch_mmu_link_own_table argues the ordering). -EEXIST if a table is
 * already there (the caller maps page by page), -ENOMEM; both undo.
 */
static int populate_chunk(uintptr_t va, unsigned long first, unsigned long per, unsigned int order,
			  uint64_t tail_pa, struct devmap_cost *cost)
{
	uint64_t table = arch_mmu_alloc_filled_table(tail_pa, MMU_GLOBAL), own[MAX_HEADS_PER_CHUNK];
	unsigned int n = 0;
	int ret = table ? 0 : -ENOMEM;

	for (unsigned int i = 0; i < PTES_PER_TABLE && !ret; i++) {
		struct page *frame;

		if ((first + i) % per)
			continue;
		frame = alloc_page(GFP_VMEMMAP | __GFP_ZERO | __GFP_NOWARN);
		if (!frame) {
			ret = -ENOMEM;
			break;
		}
		own[n] = PFN_PHYS(page_to_pfn(frame));
		init_frame(page_address(frame), order, 0, tail_pa);
		arch_mmu_table_set(table, i, own[n++], MMU_WRITE | MMU_GLOBAL);
	}
	if (!ret)
		ret = arch_mmu_link_own_table(va, PG_LEVEL_2M, table);
	if (!ret) {
		cost->memmap_pages += n;
		cost->shared_maps += PTES_PER_TABLE - n;
		return 0;
	}
	while (n)
		__free_page(pfn_to_page(PFN_DOWN(own[--n])));
	if (table)
		pgtable_free_page(table);
	return ret;
}

static bool chunk_ok(uintptr_t va, uintptr_t end, unsigned int order, bool dedup)
{
	return dedup && order && !(va & (PMD_SIZE - 1)) && end - va >= PMD_SIZE;
}

int devmap_vmemmap_populate(unsigned long start_pfn, unsigned long nr, unsigned int order,
			    bool dedup, struct devmap_cost *cost)
{
	uintptr_t start = (uintptr_t)pfn_to_page(start_pfn),
		  end = (uintptr_t)pfn_to_page(start_pfn + nr);
	unsigned long per = order ? (sizeof(struct page) << order) / PAGE_SIZE : 1;
	uint64_t tail_pa = 0;

	*cost = (struct devmap_cost){0};
	if (!nr || (start | end) & (PAGE_SIZE - 1) || start_pfn & ((1UL << order) - 1) ||
	    (order && order != HVO_ORDER_2M && order != HVO_ORDER_1G))
		return -EINVAL;
	if (!arch_mmu_range_unmapped(start, end))
		return -EBUSY;
	if (devmap_vmemmap_prepare(order, dedup))
		return -ENOMEM;
	tail_pa = order ? hvo_shared_tail_page(order) : 0;
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		unsigned long idx = (va - start) / PAGE_SIZE % per;
		int ret;

		if (dedup && link_shared_table(va, end, idx, order)) {
			cost->shared_maps += PMD_SIZE / PAGE_SIZE;
			va += PMD_SIZE - PAGE_SIZE;
			continue;
		}
		ret = chunk_ok(va, end, order, dedup)
			  ? populate_chunk(va, idx, per, order, tail_pa, cost)
			  : -EEXIST;
		if (!ret) {
			va += PMD_SIZE - PAGE_SIZE;
			continue;
		}
		if (ret != -EEXIST) {
			/* -ENOMEM: undone below */
		} else if (idx && dedup) {
			/* Read-only: a write through any tail faults. Not present before: no flush.
			 */
			ret = arch_mmu_map(va, tail_pa, PG_LEVEL_4K, MMU_GLOBAL);
			cost->shared_maps += !ret;
		} else {
			ret = map_own_frame(va, order, idx, tail_pa);
			cost->memmap_pages += !ret;
		}
		if (ret) {
			devmap_vmemmap_depopulate(start_pfn, nr);
			*cost = (struct devmap_cost){0};
			return ret;
		}
	}
	return 0;
}

/* Unmap every 4 KiB leaf in [start, end); own frames go on @frames. */
static void unmap_leaves(uintptr_t start, uintptr_t end, struct list_head *frames)
{
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		struct mmu_mapping m;
		uint64_t pa;

		if (arch_mmu_query(va, &m) || m.level != PG_LEVEL_4K)
			continue;
		pa = m.pa & ~(PAGE_SIZE - 1);
		BUG_ON(arch_mmu_unmap(va, PG_LEVEL_4K));
		if (!hvo_is_shared_tail_page(pa))
			list_add_tail(&pfn_to_page(PFN_DOWN(pa))->lru, frames);
	}
}

/* Unlink the tables of @level over [start, end) that are now empty. */
static void unlink_tables(uintptr_t start, uintptr_t end, uintptr_t span, enum pg_level level,
			  struct list_head *tables)
{
	for (uintptr_t va = ALIGN_DOWN(start, span); va < end; va += span) {
		uint64_t pa = arch_mmu_unlink_table(va, level);

		if (pa)
			list_add_tail(&pfn_to_page(PFN_DOWN(pa))->lru, tables);
	}
}

static void free_list(struct list_head *list, bool tables)
{
	while (!list_empty(list)) {
		struct page *p = list_first_entry(list, struct page, lru);

		list_del(&p->lru);
		if (PageReserved(p))
			free_reserved_page(p); /* a table from boot */
		else if (tables)
			pgtable_free_page(PFN_PHYS(page_to_pfn(p)));
		else
			__free_page(p);
	}
}

/*
 * Flush argument. Until every CPU has dropped them, a TLB may hold the old
 * translations of the vmemmap (global entries: a CR3 write would not drop
 * them), and a paging-structure cache may hold the unlinked tables' entries
 * (Intel SDM vol. 3, 4.10.2 and 4.10.3). So the frames and tables are freed
 * only after one kernel-range shootdown: INVLPG per page under the ceiling,
 * which also drops every paging-structure-cache entry (SDM 4.10.4.1), or a
 * full flush above it. Nothing reads these struct pages meanwhile: the
 * instance is already gone from every list.
 *
 * The tables are live kernel tables until that flush has happened on every
 * CPU: an early-ack target has only read the request when the initiator
 * returns, and its speculative walks could still follow a cached PDE into
 * a table we have handed back (SDM vol. 3, 4.10.3.1 and 4.10.5: software
 * must wait for the other processors' invalidations; AMD APM vol. 2, 5.5).
 * So the flush is the freed-tables form: the engine acks late for it.
 */
void devmap_vmemmap_depopulate(unsigned long start_pfn, unsigned long nr)
{
	uintptr_t start = (uintptr_t)pfn_to_page(start_pfn),
		  end = (uintptr_t)pfn_to_page(start_pfn + nr);
	struct list_head frames, tables;

	INIT_LIST_HEAD(&frames);
	INIT_LIST_HEAD(&tables);
	for (uintptr_t va = ALIGN_DOWN(start, PMD_SIZE); va < end && shared_tail_table;
	     va += PMD_SIZE)
		arch_mmu_unlink_shared_table(va, PG_LEVEL_2M, shared_tail_table);
	unmap_leaves(start, end, &frames);
	unlink_tables(start, end, PMD_SIZE, PG_LEVEL_2M, &tables);
	unlink_tables(start, end, PUD_SIZE, PG_LEVEL_1G, &tables);
	flush_tlb_kernel_range_freed_tables(start, end, FLUSH_DEVMEM_OFFLINE);
	free_list(&frames, false);
	free_list(&tables, true);
}
