/*
 * Linux's mmu_gather (mm/mmu_gather.c there): what an unmap clears is
 * gathered here and given back only after the TLB flush that makes it
 * unreachable, so no CPU can still reach a page or a page-table page
 * through a TLB or paging-structure-cache entry once it is reused.
 *
 * Two rules decide when a flush comes early, and both are Linux's, so
 * that flushlab's flush counts for the same program are Linux's:
 * - Pages another holder still references (the page cache, fork's other
 *   side) are held in an array that grows a page of pointers at a time,
 *   up to about 10,000 pages; only then, or when no page for the array can
 *   be had, is the gather flushed and emptied before it goes on.
 * - A page table that held a dirty page of a file or of shared memory is
 *   flushed when the unmap leaves that table (tlb_remove_file_page).
 */
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "mm/pgtable_alloc.h"
#include "smp/tlbflush.h"

/*
 * Linux caps a gather at MAX_GATHER_BATCH_COUNT batches of a page each,
 * 10,000 pages in all (include/asm-generic/tlb.h, mm/mmu_gather.c), so
 * that freeing one batch run never holds a CPU long enough for a soft
 * lockup; we keep its figure.
 */
#define MMU_GATHER_MAX_PAGES 10000
#define MMU_GATHER_MAX_BATCHES                                                                     \
	((MMU_GATHER_MAX_PAGES - MMU_GATHER_BUNDLE + MMU_GATHER_BATCH_PAGES - 1) /                 \
	 MMU_GATHER_BATCH_PAGES)
#define NO_DIRTY_TABLE UINTPTR_MAX

/* The gather's state between flushes; mm, batch pages and (unless reset) cause stay. */
static void tlb_gather_reset(struct mmu_gather *tlb)
{
	tlb->start = UINTPTR_MAX;
	tlb->end = 0;
	tlb->freed_tables = false;
	memset(tlb->dax_bytes, 0, sizeof(tlb->dax_bytes));
	tlb->nr_shared = 0;
	for (struct mmu_gather_batch *b = tlb->batches; b; b = b->next)
		b->nr = 0;
	tlb->dirty_table = NO_DIRTY_TABLE;
	INIT_LIST_HEAD(&tlb->pages);
	INIT_LIST_HEAD(&tlb->tables);
	INIT_LIST_HEAD(&tlb->hugetlb_folios);
	tlb->nr_zap_finish = 0;
}

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->cause = FLUSH_USER;
	tlb->batches = NULL;
	tlb->nr_batches = 0;
	tlb_gather_reset(tlb);
}

void tlb_flush_range_add(struct mmu_gather *tlb, uintptr_t start, uintptr_t end)
{
	tlb->start = MIN(tlb->start, start);
	tlb->end = MAX(tlb->end, end);
}

void tlb_remove_table_pa(struct mmu_gather *tlb, uint64_t table_pa)
{
	list_add_tail(&pfn_to_page(PFN_DOWN(table_pa))->lru, &tlb->tables);
	tlb->freed_tables = true;
}

static unsigned long pgtables_freed; /* by tlb_flush_mmu, after its flush: the tests' count */

unsigned long mmu_gather_tables_freed(void)
{
	return __atomic_load_n(&pgtables_freed, __ATOMIC_RELAXED);
}

/* Put every shared page gathered so far: the bundle, then each batch. */
static void tlb_put_shared(struct mmu_gather *tlb)
{
	for (unsigned int i = 0; i < tlb->nr_shared; i++)
		put_anon_page(tlb->shared[i]); /* another mm's mapping may still hold it */
	for (struct mmu_gather_batch *b = tlb->batches; b; b = b->next)
		for (unsigned int i = 0; i < b->nr; i++)
			put_anon_page(b->pages[i]);
}

/*
 * Flush, then free: Linux's tlb_flush_mmu. A freed table forces the
 * flush whatever else was gathered (Linux: freed_tables), and reaches
 * every CPU in mm_cpumask, lazy ones included, with late ack (smp/tlb_mm.c):
 * until each has flushed, its paging-structure caches may still point
 * into the table (SDM vol. 3, 4.10.3.1: a PDE-cache entry holds the
 * table's address, and stays after the PDE is cleared), and its walks,
 * speculative ones included (4.10.2.3: translations may be cached for
 * accesses the executed path never makes), would read the frame we are
 * about to reuse as a table (CVE-2025-22045). Every unlinker puts into the
 * range an address that each freed table maps (free_pgtables,
 * hugetlb_zap): INVLPG of it drops the cached entries that lead through
 * the table (AMD APM vol. 2, 5.5), and on Intel every paging-structure-
 * cache entry of the current PCID (SDM 4.10.4.1); above the ceiling a CR3
 * reload drops them all. Another PCID's entries are not used until that
 * PCID is loaded again, and its slot is flushed or behind by then
 * (smp/asid.c). The empty-range case cannot happen with those
 * callers; should one forget, the whole user half is flushed, not nothing.
 */
void tlb_flush_mmu(struct mmu_gather *tlb)
{
	struct page *page, *n;

	if (tlb->freed_tables && tlb->start >= tlb->end)
		tlb_flush_range_add(tlb, 0, TASK_SIZE);
	if (tlb->start < tlb->end && (tlb->freed_tables || tlb->cause == FLUSH_USER))
		flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end, PAGE_SHIFT, tlb->freed_tables);
	else if (tlb->start < tlb->end)
		flush_tlb_mm_range_cause(tlb->mm, tlb->start, tlb->end, PAGE_SHIFT, 0, tlb->cause);
	list_for_each_entry_safe (page, n, &tlb->pages, lru) {
		list_del(&page->lru);
		BUG_ON(page_ref_count(page) != 1);
		__free_pages(page, compound_order(page)); /* a 2 MiB page goes back whole */
	}
	tlb_put_shared(tlb);
	list_for_each_entry_safe (page, n, &tlb->tables, lru) {
		list_del(&page->lru);
		pgtable_free_page(PFN_PHYS(page_to_pfn(page)));
		__atomic_add_fetch(&pgtables_freed, 1, __ATOMIC_RELAXED);
	}
	for (int i = 0; i < tlb->nr_zap_finish; i++)
		tlb->zap_finish[i]->zap_finish(tlb); /* what the kind held until the flush above */
	tlb_gather_reset(tlb);			     /* same mm and cause: the unmap goes on */
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
	while (tlb->batches) {
		struct mmu_gather_batch *b = tlb->batches;

		tlb->batches = b->next;
		__free_pages(b->page, 0);
	}
	tlb_gather_mmu(tlb, tlb->mm); /* reusable, as a new gather */
}

/*
 * A slot for a page another holder still references: in the bundle, in
 * the newest batch, or in a new batch page (no failure injection or
 * console line: a gather that cannot grow just flushes sooner). False
 * when the gather is at its cap or no page could be had.
 */
static bool tlb_add_shared(struct mmu_gather *tlb, struct page *page)
{
	struct mmu_gather_batch *b = tlb->batches;
	struct page *bp;

	if (tlb->nr_shared < MMU_GATHER_BUNDLE) {
		tlb->shared[tlb->nr_shared++] = page;
		return true;
	}
	for (; b; b = b->next)
		if (b->nr < MMU_GATHER_BATCH_PAGES) {
			b->pages[b->nr++] = page;
			return true;
		}
	if (tlb->nr_batches == MMU_GATHER_MAX_BATCHES)
		return false;
	bp = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	if (!bp)
		return false;
	b = page_address(bp);
	b->page = bp;
	b->next = tlb->batches;
	b->nr = 0;
	tlb->batches = b;
	tlb->nr_batches++;
	b->pages[b->nr++] = page;
	return true;
}

/*
 * A page only this mapping holds goes on the gather's list (page->lru is
 * then ours alone); one that another mm maps too, or the page cache
 * holds, goes in the arrays, since another gather may be linking the same
 * page at the same time. A full gather is flushed and emptied at once
 * (Linux's tlb_flush_mmu when __tlb_remove_page finds no room): the
 * zappers add each page's address to the range first, so the early flush
 * covers every leaf cleared so far.
 */
void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	if (page_ref_count(page) == 1) {
		list_add_tail(&page->lru, &tlb->pages);
		return;
	}
	if (!tlb_add_shared(tlb, page)) {
		tlb_flush_mmu(tlb); /* flush, put, and go on with an empty gather */
		BUG_ON(!tlb_add_shared(tlb, page));
	}
}

/*
 * Linux flushes before it leaves a page table that held a dirty page of
 * a file or of shared memory, and drops those pages' reverse map only
 * then (zap_pte_range's force_flush with delay_rmap; Torvalds, "mm: delay
 * page_remove_rmap() until after the TLB has been flushed", v6.2), so
 * that writeback cannot see a page clean while some CPU can still write
 * it through a stale TLB entry. tmpfs has no writeback here, so nothing
 * would break without it; it is kept so that an unmap of written file
 * pages makes Linux's count of flushes: one per 2 MiB table.
 * flushlab sets the D bit in every leaf it makes, so the caller's "dirty"
 * means writable: a shared file mapping that was only read flushes as if
 * it had been written.
 */
void tlb_remove_file_page(struct mmu_gather *tlb, struct page *page, uintptr_t va, bool dirty)
{
	uintptr_t table = va & ~(PMD_SIZE - 1);

	if (tlb->dirty_table != NO_DIRTY_TABLE && tlb->dirty_table != table)
		tlb_flush_mmu(tlb); /* the dirty table is left: its flush */
	tlb_remove_page(tlb, page);
	if (dirty)
		tlb->dirty_table = table;
}

void tlb_end_file_zap(struct mmu_gather *tlb)
{
	if (tlb->dirty_table != NO_DIRTY_TABLE)
		tlb_flush_mmu(tlb);
}
