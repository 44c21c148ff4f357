/*
 * Copy-on-write, the fault side of fork (Linux's do_wp_page and
 * wp_page_copy in mm/memory.c): a write to a page that fork left read-only
 * in both processes either reuses the page, when no other mapping holds it
 * any more, or copies it, clearing and flushing the old leaf first. Also
 * the put of a page that other address spaces may still map (an
 * mmu_gather's shared pages go back through it).
 *
 * Accounting (Linux's rule for anonymous pages): each leaf that maps a
 * page holds one reference and one _mapcount, so a page fork shared has
 * refcount 2 and mapcount 2 until one side copies or unmaps it.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"

static unsigned long cow_copies, cow_reuses; /* /proc/vmstat: cow_fault_copy, cow_fault_reuse */

bool vma_is_cow(const struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) && is_cow_mapping(vma->vm_flags) && !is_vm_hugetlb_page(vma);
}

unsigned int cow_leaf_prot(bool cow, uint64_t pa, unsigned int prot)
{
	if (cow && (prot & MMU_WRITE) && page_ref_count(pfn_to_page(PFN_DOWN(pa))) > 1)
		prot &= ~MMU_WRITE;
	return prot;
}

void put_anon_page(struct page *page)
{
	if (page_ref_dec_return(page) == 0) {
		set_page_count(page, 1); /* what the free path expects of a page it is given */
		__free_pages(page, 0);
	}
}

/*
 * Copy the page at @addr for this mm alone. The old leaf is cleared and
 * flushed before the new one is set (Linux's ptep_clear_flush in
 * wp_page_copy): another thread of this mm on another CPU may hold the
 * read-only translation of the old frame, and once we let go of the old
 * page the other mm that shares it may write it (its own copy-on-write
 * reuse) or free it. Until every CPU of ours has dropped the translation
 * such a thread could read bytes that are no longer this process's, or
 * a reused frame. With the leaf not present, an access in the window
 * faults and waits on the mm lock we hold, then finds the new page. The
 * flush is counted under FLUSH_COW; a single-threaded process makes it a
 * local INVLPG (mm_cpumask is this CPU).
 */
static int wp_page_copy(struct vm_area_struct *vma, uintptr_t addr, struct page *old)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *new = alloc_page(GFP_USER_ANON & ~__GFP_ZERO);

	if (!new)
		return -ENOMEM;
	memcpy(page_address(new), page_address(old), PAGE_SIZE); /* every mapping is read-only */
	BUG_ON(arch_mmu_user_unmap(mm->pgd, addr) != PFN_PHYS(page_to_pfn(old)));
	flush_tlb_mm_range_cause(mm, addr, addr + PAGE_SIZE, PAGE_SHIFT, 0, FLUSH_COW);
	/* The page table is there (the old leaf was in it): the map cannot fail. */
	BUG_ON(arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(page_to_pfn(new)),
				 vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages));
	page_add_new_anon_rmap(new);
	page_remove_rmap(old);
	put_anon_page(old); /* after the flush: no CPU of ours reaches it any more */
	__atomic_add_fetch(&cow_copies, 1, __ATOMIC_RELAXED);
	return 0;
}

/*
 * A write to a read-only leaf of a private writable VMA (mm locked). A
 * page with one reference is ours alone (every other mapping was copied
 * away or unmapped, and each held a reference): make the leaf writable in
 * place. That needs no flush: a CPU may still hold the read-only
 * translation, and a write through it faults, and a #PF invalidates the
 * translations of the faulting address before it is delivered (SDM vol. 3,
 * 4.10.4.3: no invalidation is required after a change that only adds
 * permission); handle_mm_fault then finds the leaf writable and retries.
 */
int do_wp_page(struct vm_area_struct *vma, uintptr_t addr, uint64_t pa)
{
	struct page *page = pfn_to_page(PFN_DOWN(pa));

	if (page_ref_count(page) == 1) {
		BUG_ON(arch_mmu_user_protect(vma->vm_mm->pgd, addr,
					     vm_flags_to_mmu_prot(vma->vm_flags)));
		__atomic_add_fetch(&cow_reuses, 1, __ATOMIC_RELAXED);
		return 0;
	}
	return wp_page_copy(vma, addr, page);
}

void cow_vmstat(struct seq_buf *s)
{
	seq_printf(s, "cow_fault_copy %lu\n", __atomic_load_n(&cow_copies, __ATOMIC_RELAXED));
	seq_printf(s, "cow_fault_reuse %lu\n", __atomic_load_n(&cow_reuses, __ATOMIC_RELAXED));
}
