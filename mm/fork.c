/*
 * fork's half in mm (Linux's dup_mm, dup_mmap and copy_page_range): a new
 * address space with the parent's VMAs and leaves. Private writable pages
 * are shared copy-on-write: read-only in both, one more reference and
 * mapcount each (mm/cow.c breaks the sharing on a write). What Linux does
 * per kind, and what flushlab does:
 * - anonymous 4 KiB pages: shared copy-on-write (private) or shared (MAP_SHARED);
 * - THP: Linux copies the PMD write-protected and splits it at the first
 *   write (do_huge_pmd_wp_page); flushlab splits the parent's 2 MiB leaves
 *   first (one FLUSH_THP_SPLIT each) and copies the 4 KiB leaves;
 * - private hugetlb: Linux shares the huge page and copies it on write;
 *   not implemented here: fork answers -EOPNOTSUPP and says so;
 * - device-dax (always shared): the child maps the same device pages.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/devmem.h"
#include "mm/huge_memory.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"
#include "smp/tlbflush.h"

struct copy_args {
	struct mm_struct *dst, *src;
	bool cow;		   /* this VMA's private writable pages become read-only */
	uintptr_t wp_lo, wp_hi;	   /* the parent's leaves made read-only: the range to flush */
	unsigned long wrprotected; /* how many */
};

static int copy_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct copy_args *c = arg;
	struct page *page;
	int ret;

	BUG_ON(m->level != PG_LEVEL_4K); /* 2 MiB leaves were split; hugetlb is refused */
	ret = arch_mmu_user_copy_pte(c->src->pgd, c->dst->pgd, va, c->cow, &c->dst->pgtables_pages);
	if (ret < 0)
		return ret;
	if (ret) {
		c->wp_lo = MIN(c->wp_lo, va);
		c->wp_hi = MAX(c->wp_hi, va + PAGE_SIZE);
		c->wrprotected++;
	}
	page = pfn_to_page(PFN_DOWN(m->pa));
	get_page(page); /* the child's leaf holds a reference and a mapcount, as the parent's */
	page_dup_rmap(page);
	add_mm_counter(c->dst, MM_ANONPAGES, 1);
	return 0;
}

/* The child's copy of @vma's pages (both mms' VMAs exist). */
static int copy_page_range(struct copy_args *c, struct vm_area_struct *dst,
			   struct vm_area_struct *src)
{
	if (vma_is_devdax(src)) {
		/* Shared device memory: the child maps it whole, as do_mmap_devdax did. */
		devdax_count(src->vm_private_data,
			     &((struct dev_dax *)src->vm_private_data)->nr_mapped,
			     (long)(src->vm_end - src->vm_start));
		return devdax_mmap_populate(dst);
	}
	c->cow = vma_is_cow(src);
	split_huge_pmd_range(c->src, src->vm_start, src->vm_end);
	return arch_mmu_user_walk(c->src->pgd, src->vm_start, src->vm_end, copy_one, c, NULL);
}

static int dup_vma(struct copy_args *c, struct vm_area_struct *src)
{
	struct vm_area_struct *dst = vm_area_alloc(c->dst);

	if (!dst)
		return -ENOMEM;
	dst->vm_start = src->vm_start;
	dst->vm_end = src->vm_end;
	dst->vm_flags = src->vm_flags;
	dst->vm_pgoff = src->vm_pgoff;
	dst->vm_private_data = src->vm_private_data;
	BUG_ON(vma_insert(&c->dst->vmas, dst)); /* the parent's are disjoint */
	return copy_page_range(c, dst, src);
}

/* A private hugetlb VMA fork would have to copy on write: refused (see above). */
static int dup_mmap_check(struct mm_struct *oldmm)
{
	struct vm_area_struct *vma;

	for_each_vma(&oldmm->vmas, vma)
	{
		if (!(vma->vm_flags & VM_DONTCOPY) && is_vm_hugetlb_page(vma)) {
			printk("fork: private hugetlb mapping %#lx-%#lx: copy-on-write of huge "
			       "pages is not implemented (EOPNOTSUPP; MADV_DONTFORK skips it)\n",
			       vma->vm_start, vma->vm_end);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/*
 * Why the parent is flushed before its lock is released. Clearing R/W in
 * a present leaf does not reach TLBs: a CPU that cached the writable
 * translation may keep writing through it until that entry is
 * invalidated (SDM vol. 3, 4.10.4.2 and 4.10.4.3: software must
 * invalidate after lowering permissions; only changes that add
 * permission may go unflushed). Another thread of the parent, on another
 * CPU, could then write a page the child now maps: the child would see
 * the parent's later writes, and a copy made by a copy-on-write fault
 * could miss them. So one flush of the range made read-only, aimed at
 * mm_cpumask(parent) (this CPU's INVLPGs or CR3 reload included), comes
 * after the last leaf changed and before mm_unlock: a parent thread that
 * faults on a read-only leaf waits for the lock, and by then no CPU holds
 * a writable translation of a shared page. Linux's dup_mmap ends with the
 * same flush_tlb_mm(oldmm). Counted once per fork under FLUSH_FORK_WRPROTECT.
 */
struct mm_struct *dup_mm(struct mm_struct *oldmm, int *err)
{
	struct mm_struct *mm = mm_alloc();
	struct copy_args c = {.dst = mm, .src = oldmm, .wp_lo = UINTPTR_MAX};
	struct vm_area_struct *vma;

	*err = mm ? 0 : -ENOMEM;
	if (!mm)
		return NULL;
	mm_lock(oldmm);
	*err = dup_mmap_check(oldmm);
	mm->mmap_base = oldmm->mmap_base;
	for (vma = list_first_entry(&oldmm->vmas.head, struct vm_area_struct, vm_list);
	     !*err && &vma->vm_list != &oldmm->vmas.head; vma = list_next_entry(vma, vm_list))
		if (!(vma->vm_flags & VM_DONTCOPY))
			*err = dup_vma(&c, vma);
	if (c.wrprotected)
		flush_tlb_mm_range_cause(oldmm, c.wp_lo, c.wp_hi, PAGE_SHIFT, 0,
					 FLUSH_FORK_WRPROTECT);
	mm->hiwater_rss = get_mm_rss(mm);
	mm_unlock(oldmm);
	if (*err) {
		mmput(mm); /* what was copied goes: references, tables, the root */
		return NULL;
	}
	return mm;
}
