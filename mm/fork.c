/*
 * fork's half in mm (Linux's dup_mm, dup_mmap and copy_page_range): a new
 * address space with the parent's VMAs and leaves, each VMA copied by its
 * kind's vm_ops->dup (mm/vm_ops.h). Private writable pages
 * are shared copy-on-write: read-only in both, one more reference and
 * mapcount each (mm/cow.c breaks the sharing on a write). What Linux does
 * per kind, and what flushlab does:
 * - anonymous 4 KiB pages: shared copy-on-write (private) or shared (MAP_SHARED);
 * - THP: Linux copies the PMD write-protected and splits it at the first
 *   write (do_huge_pmd_wp_page); flushlab splits the parent's 2 MiB leaves
 *   first (one FLUSH_THP_SPLIT each) and copies the 4 KiB leaves;
 * - private hugetlb: Linux shares the huge page and copies it on write;
 *   not implemented here: fork answers -EOPNOTSUPP and says so (hugetlb_mm.c);
 * - device-dax (always shared): the child maps the same device pages
 *   (devdax_mmap.c);
 * - tmpfs and memfd files (fs/shmem_mmap.c): a shared mapping copies no
 *   leaf; a private one copies its leaves, its written copies shared
 *   copy-on-write like anonymous pages.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/huge_memory.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/vm_ops.h"
#include "mm/page.h"
#include "smp/tlbflush.h"

static int copy_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct fork_copy *c = arg;
	struct page *page;
	int ret;

	BUG_ON(m->level != PG_LEVEL_4K); /* 2 MiB leaves were split first */
	ret = arch_mmu_user_copy_pte(c->src->pgd, c->dst->pgd, va, c->cow, &c->dst->pgtables_pages);
	if (ret < 0)
		return ret;
	if (is_zero_pfn(PFN_DOWN(m->pa)))
		return 0; /* the shared zero page: read-only already, never counted or put */
	if (ret) {
		c->wp_lo = MIN(c->wp_lo, va);
		c->wp_hi = MAX(c->wp_hi, va + PAGE_SIZE);
		c->wrprotected++;
	}
	page = pfn_to_page(PFN_DOWN(m->pa));
	get_page(page); /* the child's leaf holds a reference and a mapcount, as the parent's */
	page_dup_rmap(page);
	add_mm_counter(c->dst, page_purpose(page) == PURPOSE_SHMEM ? MM_SHMEMPAGES : MM_ANONPAGES,
		       1);
	return 0;
}

int copy_present_leaves(struct fork_copy *c, struct vm_area_struct *src)
{
	return arch_mmu_user_walk(c->src->pgd, src->vm_start, src->vm_end, copy_one, c, NULL);
}

int anon_dup(struct fork_copy *c, struct vm_area_struct *dst, struct vm_area_struct *src)
{
	c->cow = vma_is_cow(src);
	split_huge_pmd_range(c->src, src->vm_start, src->vm_end);
	return copy_present_leaves(c, src);
}

/* The child's copy of @src: a VMA with the same range, flags and kind, and its leaves. */
static int dup_vma(struct fork_copy *c, struct vm_area_struct *src)
{
	struct vm_area_struct *dst;

	if (!src->vm_ops->dup) {
		/* Said, not hidden: the child will fault where the parent has memory. */
		printk("fork: %s mapping %#lx-%#lx not copied into the child (the kind has no "
		       "vm_ops->dup yet)\n",
		       src->vm_ops->name, src->vm_start, src->vm_end);
		return 0;
	}
	dst = vm_area_alloc(c->dst);
	if (!dst)
		return -ENOMEM;
	dst->vm_start = src->vm_start;
	dst->vm_end = src->vm_end;
	dst->vm_flags = src->vm_flags;
	dst->vm_pgoff = src->vm_pgoff;
	dst->vm_ops = src->vm_ops;
	dst->vm_private_data = src->vm_private_data;
	BUG_ON(vma_insert(&c->dst->vmas, dst)); /* the parent's are disjoint */
	return src->vm_ops->dup(c, dst, src);
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
	struct fork_copy c = {.dst = mm, .src = oldmm, .wp_lo = UINTPTR_MAX};
	struct vm_area_struct *vma;

	*err = mm ? 0 : -ENOMEM;
	if (!mm)
		return NULL;
	mm_lock(oldmm);
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
