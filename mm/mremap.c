/*
 * mremap(2) for anonymous memory (Linux's mm/mremap.c): shrink; grow in
 * place when the pages after the mapping are free; else move it
 * (MREMAP_MAYMOVE), to a given place (MREMAP_FIXED), or leave the old VMA
 * empty behind (MREMAP_DONTUNMAP). A move carries the leaves over, frames,
 * copy-on-write state and all: nothing is copied. The old range is then
 * flushed once, counted as FLUSH_MREMAP_MOVE. A kind may refuse to grow
 * or move (vm_ops->mremap): hugetlb and device-dax mappings may only
 * shrink here (-EINVAL otherwise; Linux moves them at their page size).
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

#define PAGE_ALIGN(x) ALIGN_UP((x), PAGE_SIZE)
#define MREMAP_KNOWN (MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)

struct move_args {
	struct mm_struct *mm;
	uintptr_t from, to; /* the leaf at from + x goes to to + x */
	unsigned long moved;
};

static int move_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct move_args *a = arg;
	int err =
	    arch_mmu_user_move_pte(a->mm->pgd, va, va - a->from + a->to, &a->mm->pgtables_pages);

	a->moved += !err;
	return err;
}

/*
 * Why the old range is flushed before the lock is released. After the
 * move, a CPU may still hold a translation of an old address to a frame
 * that now belongs to the new range. Nothing else would ever drop it:
 * mapping the old range again is a not-present -> present change, which
 * needs no flush (SDM vol. 3, 4.10.2.1: not-present entries are not
 * cached), so a thread could read the moved page through the new mapping's
 * address; and a later munmap of the new range flushes only the new
 * addresses before freeing the frame (4.10.4.2: an unflushed translation
 * stays usable after its entry changed). One flush of [old, old + len) on
 * mm_cpumask closes both, as Linux's move_ptes does (flush_tlb_range).
 * The A and D bits of every user leaf are set when it is made, so no CPU
 * can set them in the old entry behind the move.
 */
static int move_leaves(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t old, uintptr_t new,
		       size_t len)
{
	struct move_args a = {mm, old, new, 0}, back = {mm, new, old, 0};
	int err;

	split_huge_pmd_range(mm, old, old + len); /* 2 MiB leaves move as 4 KiB ones */
	err = arch_mmu_user_walk(mm->pgd, old, old + len, move_one, &a, NULL);
	if (err) {
		/* Out of page tables: put back what moved (the old tables are all there). */
		BUG_ON(arch_mmu_user_walk(mm->pgd, new, new + len, move_one, &back, NULL));
		if (a.moved)
			flush_tlb_mm_range_cause(mm, new, new + len, PAGE_SHIFT, 0,
						 FLUSH_MREMAP_MOVE);
		free_pgtables(tlb, new, new + len);
		return err;
	}
	if (a.moved)
		flush_tlb_mm_range_cause(mm, old, old + len, PAGE_SHIFT, 0, FLUSH_MREMAP_MOVE);
	return 0;
}

/* Move [old, old + old_len) of @vma to a new VMA at @new of @new_len (>= old_len). */
static long move_vma(struct mm_struct *mm, struct mmu_gather *tlb, struct vm_area_struct *vma,
		     uintptr_t old, size_t old_len, uintptr_t new, size_t new_len, int flags)
{
	struct vm_area_struct *nv;
	int err;

	if (vma->vm_ops->mremap && (err = vma->vm_ops->mremap(vma)))
		return err;
	nv = vm_area_alloc(mm);
	if (!nv)
		return -ENOMEM;
	nv->vm_start = new;
	nv->vm_end = new + new_len;
	nv->vm_flags = vma->vm_flags;
	nv->vm_pgoff = vma->vm_pgoff + ((old - vma->vm_start) >> PAGE_SHIFT); /* as Linux */
	nv->vm_ops = vma->vm_ops;
	nv->vm_private_data = vma->vm_private_data;
	if (nv->vm_ops->open)
		nv->vm_ops->open(nv);	   /* vm_area_free below or at munmap closes it */
	BUG_ON(vma_insert(&mm->vmas, nv)); /* the caller made [new, new + new_len) free */
	err = move_leaves(mm, tlb, old, new, old_len);
	if (err) {
		vma_remove(&mm->vmas, nv);
		vm_area_free(nv);
		return err;
	}
	/* A failed split (no memory) leaves the old VMA empty, as Linux does. */
	if (!(flags & MREMAP_DONTUNMAP))
		(void)__do_munmap(mm, tlb, old, old + old_len);
	vma_merge_neighbours(&mm->vmas, nv);
	return 0;
}

/* The VMA holding all of [addr, addr + len): Linux's vma_to_resize checks. */
static long vma_to_resize(struct mm_struct *mm, uintptr_t addr, size_t len,
			  struct vm_area_struct **out)
{
	struct vm_area_struct *vma = find_vma(&mm->vmas, addr);

	if (!vma || vma->vm_start > addr || len > vma->vm_end - addr)
		return -EFAULT;
	*out = vma;
	return 0;
}

/* MREMAP_FIXED: the target is unmapped first, as Linux's mremap_to does. */
static long mremap_to(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t addr, size_t old_len,
		      uintptr_t new_addr, size_t new_len, int flags)
{
	struct vm_area_struct *vma;
	long err;

	if ((new_addr & (PAGE_SIZE - 1)) || new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	if (addr < new_addr + new_len && new_addr < addr + old_len)
		return -EINVAL; /* the two ranges overlap */
	err = __do_munmap(mm, tlb, new_addr, new_addr + new_len);
	if (!err && old_len > new_len) {
		err = __do_munmap(mm, tlb, addr + new_len, addr + old_len);
		old_len = new_len;
	}
	if (!err)
		err = vma_to_resize(mm, addr, old_len, &vma);
	return err ?: move_vma(mm, tlb, vma, addr, old_len, new_addr, new_len, flags);
}

/* May @vma, ending at addr + old_len, grow to addr + new_len where it is? */
static bool vma_expandable(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t addr,
			   size_t old_len, size_t new_len)
{
	uintptr_t end = addr + new_len;

	return vma->vm_end == addr + old_len && end > addr && end <= TASK_SIZE &&
	       !find_vma_intersection(&mm->vmas, vma->vm_end, end) &&
	       (mm->vmas.total_pages << PAGE_SHIFT) + (new_len - old_len) <= MM_MAX_MAP_BYTES;
}

/* The rest of mremap with the lock held: the new address in *@out, or -errno. */
static long mremap_locked(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t addr,
			  size_t old_len, size_t new_len, int flags, uintptr_t new_addr,
			  uintptr_t *out)
{
	struct vm_area_struct *vma;
	long err;

	*out = addr;
	if (flags & MREMAP_FIXED) {
		*out = new_addr;
		return mremap_to(mm, tlb, addr, old_len, new_addr, new_len, flags);
	}
	if (new_len < old_len && !(flags & MREMAP_DONTUNMAP))
		return __do_munmap(mm, tlb, addr + new_len, addr + old_len); /* shrink */
	err = vma_to_resize(mm, addr, old_len, &vma);
	if (err || (new_len == old_len && !(flags & MREMAP_DONTUNMAP)))
		return err;
	if (!(flags & MREMAP_DONTUNMAP) && vma_expandable(mm, vma, addr, old_len, new_len)) {
		if (vma->vm_ops->mremap && (err = vma->vm_ops->mremap(vma)))
			return err;
		vma->vm_end = addr + new_len; /* grow in place: nothing moves, nothing to flush */
		mm->vmas.total_pages += (new_len - old_len) >> PAGE_SHIFT;
		vma_merge_neighbours(&mm->vmas, vma);
		return 0;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	*out = vma_get_unmapped_area(&mm->vmas, new_len, USER_BASE, mm->mmap_base);
	if (!*out)
		return -ENOMEM;
	return move_vma(mm, tlb, vma, addr, old_len, *out, new_len, flags);
}

long do_mremap(struct mm_struct *mm, uintptr_t addr, size_t old_len, size_t new_len, int flags,
	       uintptr_t new_addr, uintptr_t *out)
{
	struct mmu_gather tlb;
	long err;

	/* Linux's order (mm/mremap.c, do_mremap's checks). */
	if (flags & ~MREMAP_KNOWN)
		return -EINVAL;
	if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && old_len != new_len)
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (PAGE_ALIGN(old_len) < old_len || PAGE_ALIGN(new_len) < new_len)
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len || !old_len)
		return -EINVAL; /* old_len 0 duplicates a shared mapping: none here */
	if (old_len > TASK_SIZE || addr > TASK_SIZE - old_len)
		return -EFAULT; /* no VMA holds it */
	mm_lock(mm);
	tlb_gather_mmu(&tlb, mm);
	err = mremap_locked(mm, &tlb, addr, old_len, new_len, flags, new_addr, out);
	tlb_finish_mmu(&tlb);
	mm_unlock(mm);
	return err;
}
