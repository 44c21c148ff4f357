/*
 * Private anonymous memory, the kind plain mmap(MAP_PRIVATE|MAP_ANONYMOUS)
 * makes: its table of operations (mm/vm_ops.h). Demand-zero 4 KiB pages,
 * or one 2 MiB THP where the policy allows it (mm/huge_memory.c); zap,
 * protection changes and flag advice split a THP that a range cuts.
 * Per-page accounting: a page mapped once has _mapcount 0 (one mapping,
 * Linux's -1 bias) and refcount 1 (the mapping's reference).
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "uapi/mman.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"

/* ---- fault ---- */

/* Linux's do_anonymous_page: a new zeroed page at @addr (mm locked). 0 or -ENOMEM. */
static int do_anonymous_page(struct vm_area_struct *vma, uintptr_t addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = alloc_page(GFP_USER_ANON);
	int err;

	if (!page)
		return -ENOMEM;
	err = arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(page_to_pfn(page)),
				vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages);
	if (err) {
		__free_page(page); /* tables made on the way stay, counted, freed at munmap */
		return err;
	}
	page_add_new_anon_rmap(page);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
	return 0;
}

/*
 * A fault on a not-present page: one 2 MiB leaf when the policy allows it
 * and no page table is there yet (Linux's create_huge_pmd: a range that has
 * 4 KiB pages is khugepaged's business), else, or when the huge page cannot
 * be had, a 4 KiB page.
 */
static int anon_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags)
{
	uintptr_t haddr = addr & ~(HPAGE_PMD_SIZE - 1);

	(void)flags;
	khugepaged_enter_vma(vma); /* an eligible VMA puts its mm on khugepaged's list */
	if (thp_vma_allowable(vma, haddr, true) &&
	    arch_mmu_user_pmd_state(vma->vm_mm->pgd, haddr) == PMD_STATE_NONE &&
	    !do_huge_pmd_anonymous_page(vma, addr))
		return 0;
	return do_anonymous_page(vma, addr);
}

/* ---- zap ---- */

struct zap_args {
	struct mmu_gather *tlb;
	struct mm_struct *mm;
};

static int zap_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct zap_args *z = arg;
	uint64_t pa;
	struct page *page;

	if (m->level == PG_LEVEL_2M) {
		zap_huge_pmd(z->tlb, z->mm, va); /* whole: anon_zap split the cut ones */
		return 0;
	}
	pa = arch_mmu_user_unmap(z->mm->pgd, va);
	BUG_ON(!pa);
	page = pfn_to_page(PFN_DOWN(pa));
	page_remove_rmap(page);
	add_mm_counter(z->mm, MM_ANONPAGES, -1);
	list_add_tail(&page->lru,
		      &z->tlb->pages); /* the mapping's reference, put after the flush */
	return 0;
}

/* Every leaf of [start, end) goes; a 2 MiB leaf the range cuts is split first (cannot fail). */
static int anon_zap(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		    uintptr_t end, bool final)
{
	struct zap_args z = {tlb, vma->vm_mm};

	(void) final;
	split_huge_pmd_edges(vma->vm_mm, start, end);
	arch_mmu_user_walk(vma->vm_mm->pgd, start, end, zap_one, &z, NULL);
	tlb_flush_range_add(tlb, start, end);
	return 0;
}

/* ---- protection and advice ---- */

struct protect_args {
	uint64_t pgd;
	unsigned int prot;
};

static int protect_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct protect_args *p = arg;

	if (m->level == PG_LEVEL_2M) /* whole and readable: split otherwise */
		arch_mmu_user_protect_pmd(p->pgd, va, p->prot);
	else
		arch_mmu_user_protect(p->pgd, va, p->prot);
	return 0;
}

static void anon_change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma)
{
	struct protect_args p = {vma->vm_mm->pgd, vm_flags_to_mmu_prot(vma->vm_flags)};

	if (p.prot & MMU_READ)
		split_huge_pmd_edges(vma->vm_mm, vma->vm_start, vma->vm_end);
	else /* PROT_NONE: a 2 MiB leaf is always present, so split them all */
		split_huge_pmd_range(vma->vm_mm, vma->vm_start, vma->vm_end);
	arch_mmu_user_walk(p.pgd, vma->vm_start, vma->vm_end, protect_one, &p, NULL);
	tlb_flush_range_add(tlb, vma->vm_start, vma->vm_end);
}

/*
 * A VMA split at an address inside a 2 MiB leaf would leave the leaf in two
 * VMAs: split the leaf too (Linux's vma_adjust_trans_huge). MADV_NOHUGEPAGE
 * splits every leaf of the range (split cannot fail).
 */
static void anon_advise(struct vm_area_struct *vma, int advice)
{
	if (advice == MADV_NOHUGEPAGE)
		split_huge_pmd_range(vma->vm_mm, vma->vm_start, vma->vm_end);
	else
		split_huge_pmd_edges(vma->vm_mm, vma->vm_start, vma->vm_end);
}

/* MADV_COLLAPSE is THP's madvise_collapse, mmap.c's default: no hook needed. */
const struct vm_operations_struct anon_vm_ops = {
    .name = "anon",
    .fault = anon_fault,
    .zap = anon_zap,
    .change_protection = anon_change_protection,
    .advise = anon_advise,
};
