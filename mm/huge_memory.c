/*
 * Transparent huge pages for anonymous memory (Linux's mm/huge_memory.c and
 * the MADV_COLLAPSE half of khugepaged.c): a fault maps a zeroed 2 MiB page
 * with one PMD or falls back to 4 KiB; a split, which may never fail, turns
 * the leaf into 512 PTEs from a page table deposited at fault time; a
 * collapse copies 512 small pages into a new huge page and gives up at the
 * first sign of trouble. Knobs and counters: huge_memory_sysfs.c.
 *
 * Page accounting (Linux's rules for a PMD-mapped folio): the head holds
 * refcount 1 for the PMD's mapping; the entire mapcount (Linux's
 * folio->_entire_mapcount, here unbiased in page[1]._spare) is 1; every
 * subpage's own _mapcount stays -1. A split moves that to 512 PTE
 * mappings (refcount 512, each _mapcount 0) and then splits the page
 * itself into 512 order-0 pages with refcount 1 each.
 *
 * No huge zero page (use_zero_page reads 0 and refuses 1: huge_memory_sysfs.c):
 * a read fault of never-written memory maps a real zeroed 2 MiB page, as a
 * write would, and as Linux does with use_zero_page 0. Linux's use_zero_page saves that
 * memory for read-mostly sparse mappings, at the price of a second kind of
 * PMD leaf (read-only, shared, never freed) that every path here would have
 * to tell apart, and a write fault that must replace one leaf with another
 * (one more page-size change to flush). flushlab's workloads write what
 * they map, so thp_zero_page_alloc stays 0 and is shown for Linux's sake.
 */
#include "arch/x86_64/cpu.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/huge_memory.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "mm/pgtable_alloc.h"
#include "smp/tlbflush.h"

#define HPAGE_MASK (~(HPAGE_PMD_SIZE - 1))
/* A THP: anonymous, compound; zeroed at fault, copied into at collapse. */
#define GFP_TRANSHUGE_LIGHT (__GFP_PURPOSE(PURPOSE_ANON) | __GFP_COMP | __GFP_NOWARN)

int transparent_hugepage_enabled = THP_ENABLED_MADVISE;
void (*thp_collapse_test_hook)(struct mm_struct *mm, uintptr_t haddr);

static unsigned long thp_events[NR_THP_EVENTS];
static long anon_thps;

void thp_count_event(enum thp_event e)
{
	__atomic_add_fetch(&thp_events[e], 1, __ATOMIC_RELAXED);
}

unsigned long thp_event_count(enum thp_event e)
{
	return __atomic_load_n(&thp_events[e], __ATOMIC_RELAXED);
}

unsigned long nr_anon_thps(void)
{
	return (unsigned long)__atomic_load_n(&anon_thps, __ATOMIC_RELAXED);
}

/* ---- mapcounts ---- */

int thp_entire_mapcount(const struct page *head)
{
	return (int)head[1]._spare;
}

static void thp_set_entire_mapcount(struct page *head, int v)
{
	head[1]._spare = (unsigned long)v;
}

const char *thp_check_mapped_page(const struct page *head)
{
	if (!PageHead(head) || compound_order(head) != HPAGE_PMD_ORDER)
		return "not the head of an order-9 compound page";
	if (page_purpose(head) != PURPOSE_ANON)
		return "not an anon page";
	if (thp_entire_mapcount(head) != 1 || page_ref_count(head) != 1)
		return "entire mapcount or refcount is not 1";
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		if (page_mapcount(head + i) != 0 || (i && page_ref_count(head + i) != 0))
			return "a subpage has its own mapping or reference";
	return NULL;
}

/* ---- the deposit (Linux's pgtable_trans_huge_deposit/withdraw) ---- */

static void pgtable_trans_huge_deposit(struct mm_struct *mm, uint64_t table)
{
	pfn_to_page(PFN_DOWN(table))->private = mm->pmd_huge_pte;
	mm->pmd_huge_pte = table;
	mm->nr_pmd_huge_pte++;
}

static uint64_t pgtable_trans_huge_withdraw(struct mm_struct *mm)
{
	uint64_t table = mm->pmd_huge_pte;

	BUG_ON(!table || mm->nr_pmd_huge_pte <= 0); /* one per 2 MiB leaf, always */
	mm->pmd_huge_pte = pfn_to_page(PFN_DOWN(table))->private;
	pfn_to_page(PFN_DOWN(table))->private = 0;
	mm->nr_pmd_huge_pte--;
	return table;
}

/* ---- policy ---- */

bool thp_vma_allowable(const struct vm_area_struct *vma, uintptr_t haddr, bool enforce_sysfs)
{
	int enabled = READ_ONCE(transparent_hugepage_enabled);

	if (!vma_is_anonymous(vma) || (vma->vm_flags & (VM_NOHUGEPAGE | VM_HUGETLB)))
		return false;
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return false; /* PROT_NONE: huge leaves are always present */
	if (haddr < vma->vm_start || haddr + HPAGE_PMD_SIZE > vma->vm_end)
		return false;
	if (!enforce_sysfs)
		return true;
	return enabled == THP_ENABLED_ALWAYS ||
	       (enabled == THP_ENABLED_MADVISE && (vma->vm_flags & VM_HUGEPAGE));
}

/* ---- fault ---- */

/* Map @page at @haddr with its deposit; the PMD entry is empty, the tables above exist or are made.
 */
static int map_huge_page(struct vm_area_struct *vma, uintptr_t haddr, struct page *page,
			 uint64_t table)
{
	struct mm_struct *mm = vma->vm_mm;
	int err = arch_mmu_user_map_pmd(mm->pgd, haddr, PFN_PHYS(page_to_pfn(page)),
					vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages);

	if (!err)
		thp_account_pmd_map(mm, page, table);
	return err;
}

int do_huge_pmd_anonymous_page(struct vm_area_struct *vma, uintptr_t addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = alloc_pages(GFP_TRANSHUGE_LIGHT | __GFP_ZERO, HPAGE_PMD_ORDER);
	uint64_t table = page ? pgtable_alloc_page() : 0;

	if (table && !map_huge_page(vma, addr & HPAGE_MASK, page, table)) {
		add_mm_counter(mm, MM_ANONPAGES, HPAGE_PMD_NR); /* Linux counts THPs in anon RSS */
		if (get_mm_rss(mm) > mm->hiwater_rss)
			mm->hiwater_rss = get_mm_rss(mm);
		thp_count_event(THP_FAULT_ALLOC);
		return 0;
	}
	if (table)
		pgtable_free_page(table); /* never linked */
	if (page)
		__free_pages(page, HPAGE_PMD_ORDER);
	thp_count_event(THP_FAULT_FALLBACK);
	return -EAGAIN;
}

void thp_account_pmd_map(struct mm_struct *mm, struct page *hpage, uint64_t table)
{
	pgtable_trans_huge_deposit(mm, table);
	mm->pgtables_pages++; /* Linux's mm_inc_nr_ptes at deposit */
	thp_set_entire_mapcount(hpage, 1);
	__atomic_add_fetch(&anon_thps, 1, __ATOMIC_RELAXED);
}

/* ---- unmap ---- */

void zap_huge_pmd(struct mmu_gather *tlb, struct mm_struct *mm, uintptr_t haddr)
{
	uint64_t pa = arch_mmu_user_unmap_pmd(mm->pgd, haddr);
	struct page *page = pfn_to_page(PFN_DOWN(pa));

	BUG_ON(!pa);
	thp_set_entire_mapcount(page, 0);
	add_mm_counter(mm, MM_ANONPAGES, -HPAGE_PMD_NR);
	__atomic_sub_fetch(&anon_thps, 1, __ATOMIC_RELAXED);
	/* The deposit was never reachable by any walker since its last flush: free it now. */
	pgtable_free_page(pgtable_trans_huge_withdraw(mm));
	mm->pgtables_pages--;
	tlb_flush_range_add(tlb, haddr, haddr + HPAGE_PMD_SIZE);
	list_add_tail(&page->lru, &tlb->pages); /* freed, all 512 frames, after the flush */
}

/* ---- split ---- */

/*
 * split_huge_page for a compound page that 512 PTEs map (refcount 512,
 * each subpage _mapcount 0): 512 order-0 pages, each with the reference
 * and the mapping of its own PTE. Only struct pages are written: no
 * allocation, no failure (nobody but the page tables holds a reference:
 * flushlab has no GUP pins, Linux's one reason to refuse a split).
 */
static void split_huge_page(struct page *head)
{
	BUG_ON(page_ref_count(head) != HPAGE_PMD_NR || thp_entire_mapcount(head) != 0);
	for (int i = 1; i < HPAGE_PMD_NR; i++)
		clear_compound_head(head + i);
	set_compound_order(head, 0);
	__ClearPageHead(head);
	set_page_count(head, 1);
	split_page(head, HPAGE_PMD_ORDER); /* tails: refcount 1, nr_alloc 1, purpose anon */
	thp_count_event(THP_SPLIT_PAGE);
}

/*
 * Why break-before-make. Replacing a 2 MiB leaf by a table of 4 KiB
 * leaves changes the page size that maps these addresses. The Intel SDM
 * (vol. 3, 4.10.2.3) says that if software changes the page size without
 * invalidating, a processor may end up holding both the 2 MiB and 4 KiB
 * translations of one address, and which it uses is not defined, even
 * with identical frames and attributes; AMD family 10h erratum 383 turns
 * that state into a machine check (a TLB multi-match). So, as Linux's
 * __split_huge_pmd_locked does: (1) make the PMD not present, (2) flush
 * the 2 MiB from every CPU that may cache it (mm_cpumask: a CPU outside it
 * has not loaded this root since its last flush of it; a lazy CPU catches
 * up with a full flush before it runs this mm again), then (3) link the
 * deposited table. Between (1) and (3) an access faults and waits on the
 * mm lock we hold, and finds the small pages. No step allocates.
 * Step (3) may come only once every target has flushed, not merely read
 * the request (SDM 4.10.5: the initiator must wait for the other
 * processors' invalidations; an early-ack target could cache a 4 KiB
 * entry from the new table while its 2 MiB one is still there): TLB_BBM
 * makes the engine ack late whatever the shootdown protocol.
 */
void split_huge_pmd_address(struct mm_struct *mm, uintptr_t haddr)
{
	struct mmu_mapping m;
	struct page *head;
	uint64_t pa;

	if (arch_mmu_user_pmd_state(mm->pgd, haddr) != PMD_STATE_LEAF)
		return;
	BUG_ON(arch_mmu_user_query(mm->pgd, haddr, &m) || m.level != PG_LEVEL_2M);
	pa = arch_mmu_user_unmap_pmd(mm->pgd, haddr); /* (1) */
	flush_tlb_mm_range_cause(mm, haddr, haddr + HPAGE_PMD_SIZE, HPAGE_PMD_SHIFT, TLB_BBM,
				 FLUSH_THP_SPLIT); /* (2) */
	arch_mmu_user_pmd_populate(mm->pgd, haddr, pgtable_trans_huge_withdraw(mm), pa,
				   m.prot); /* (3): the deposit, counted as a table already */
	head = pfn_to_page(PFN_DOWN(pa));
	thp_set_entire_mapcount(head, 0);
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		page_add_new_anon_rmap(head + i); /* _mapcount 0: one PTE each */
	set_page_count(head, HPAGE_PMD_NR); /* Linux's folio_ref_add(folio, HPAGE_PMD_NR - 1) */
	__atomic_sub_fetch(&anon_thps, 1, __ATOMIC_RELAXED);
	thp_count_event(THP_SPLIT_PMD);
	split_huge_page(head);
}

void split_huge_pmd_edges(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	if (start & ~HPAGE_MASK)
		split_huge_pmd_address(mm, start & HPAGE_MASK);
	if (end & ~HPAGE_MASK)
		split_huge_pmd_address(mm, end & HPAGE_MASK);
}

void split_huge_pmd_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	for (uintptr_t h = start & HPAGE_MASK; h < end; h += HPAGE_PMD_SIZE)
		split_huge_pmd_address(mm, h);
}
