/*
 * mmap, munmap, mprotect and madvise for anonymous private memory, with
 * Linux's argument rules and errors. The VMA side is mm/vma.c; the page
 * side is memory.c's zap/protect, whose frees wait for one targeted flush
 * per call (tlb_finish_mmu). Each call holds the mm's lock throughout, so
 * a racing fault sees either the old layout or the new one.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/huge_memory.h"
#include "mm/hugetlb_mm.h"
#include "mm/khugepaged.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"

#define PAGE_ALIGN(x) ALIGN_UP((x), PAGE_SIZE)

static void zap_vma_range(struct vm_area_struct *vma, void *arg)
{
	if (is_vm_hugetlb_page(vma))
		hugetlb_zap(arg, vma, vma->vm_start, vma->vm_end, true);
	else
		zap_page_range(arg, vma, vma->vm_start, vma->vm_end);
}

/* munmap with the lock held, flushing and freeing through @tlb. */
static int __do_munmap(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t start, uintptr_t end)
{
	int err = hugetlb_vma_split_check(mm, start, end) ?: devdax_may_split(&mm->vmas, start)
								?: devdax_may_split(&mm->vmas, end);

	if (!err)
		err = vma_unmap_range(&mm->vmas, start, end, zap_vma_range, tlb);

	if (!err)
		free_pgtables(tlb, start, end);
	return err;
}

/* Where a mapping without MAP_FIXED goes: @hint if free, else the highest gap. */
/*
 * Where a mapping without MAP_FIXED goes: @hint if free, else the highest
 * gap; aligned to @align (a huge page size, or PAGE_SIZE).
 */
static uintptr_t pick_address(struct mm_struct *mm, uintptr_t hint, size_t len, int flags,
			      size_t align)
{
	uintptr_t high = (flags & MAP_32BIT) ? 0x80000000UL : mm->mmap_base, a;

	if (hint && !(hint & (align - 1)) && hint >= USER_BASE && hint + len > hint &&
	    hint + len <= TASK_SIZE && !find_vma_intersection(&mm->vmas, hint, hint + len))
		return hint;
	a = vma_get_unmapped_area(&mm->vmas, len + align - PAGE_SIZE, USER_BASE, high);
	return a ? ALIGN_UP(a, align) : 0;
}

static void populate(struct mm_struct *mm, uintptr_t start, uintptr_t end, unsigned long vm_flags,
		     size_t step)
{
	unsigned int flags = (vm_flags & VM_WRITE) ? FAULT_FLAG_WRITE : 0;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return;
	/* Linux ignores MAP_POPULATE failures too: the pages fault in later. */
	for (uintptr_t va = start; va < end; va += step)
		if (handle_mm_fault(mm, va, flags) == -ENOMEM)
			break;
}

/* Insert @vma as [addr, addr + len) and merge it; lock held. */
static void mmap_region(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t addr,
			size_t len, unsigned long vm_flags, struct hstate *h)
{
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = addr >> PAGE_SHIFT; /* anonymous: Linux's choice, lets neighbours merge */
	vma->vm_private_data = h;
	BUG_ON(vma_insert(&mm->vmas, vma));
	vma_merge_neighbours(&mm->vmas, vma);
}

/* Linux's limits: RLIMIT_AS and vm.max_map_count (a new VMA may need 2 more by splits). */
static bool over_limits(struct mm_struct *mm, size_t len)
{
	return ((mm->vmas.total_pages << PAGE_SHIFT) + len > MM_MAX_MAP_BYTES) ||
	       mm->vmas.nr + 3 > MM_MAX_MAP_COUNT;
}

/* The VMA side of mmap with the lock held: 0 and the address, or -errno with nothing changed. */
static long mmap_locked(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t *addr,
			size_t len, int flags, size_t align)
{
	struct mmu_gather tlb;
	uintptr_t end = *addr + len;
	long err;

	tlb_gather_mmu(&tlb, mm);
	if (over_limits(mm, len)) {
		err = -ENOMEM;
	} else if (flags & MAP_FIXED) {
		if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(&mm->vmas, *addr, end))
			err = -EEXIST;
		else
			err = __do_munmap(mm, &tlb, *addr, end);
	} else {
		*addr = pick_address(mm, *addr, len, flags, align);
		err = *addr ? 0 : -ENOMEM;
	}
	tlb_finish_mmu(&tlb);
	return err;
}

long do_mmap(struct mm_struct *mm, uintptr_t addr, size_t len, int prot, int flags,
	     uintptr_t *out_addr)
{
	struct vm_area_struct *vma;
	struct hstate *h = NULL;
	unsigned long vm_flags;
	uintptr_t end;
	long err;

	/*
	 * Linux's order (mm/mmap.c do_mmap, __get_unmapped_area): a zero
	 * length, then a length that cannot be mapped (-ENOMEM), then a
	 * MAP_FIXED range past TASK_SIZE (-ENOMEM), an unaligned one
	 * (-EINVAL), one below mmap_min_addr (-EPERM), and only then the map
	 * type and flags (-EINVAL; -EOPNOTSUPP where flushlab lacks them).
	 */
	if (!len)
		return -EINVAL;
	if (len > TASK_SIZE || PAGE_ALIGN(len) < len)
		return -ENOMEM;
	len = PAGE_ALIGN(len);
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_FIXED) {
		if (addr > TASK_SIZE - len)
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM; /* Linux: below vm.mmap_min_addr */
		end = addr + len;
	}
	err = mmap_check_flags(prot, flags);
	if (err)
		return err;
	vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ANON;
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
	if ((flags & MAP_HUGETLB) && (err = hugetlb_mmap_prepare(flags, addr, &len, &h)))
		return err; /* reserved from here: given back below if the mmap fails */
	if (h && (flags & MAP_FIXED) && user_range_check(addr, len, &end)) {
		hugetlb_mmap_cancel(flags, len, h);
		return -ENOMEM; /* rounded up to the huge page size, it no longer fits */
	}
	if (h)
		vm_flags |= VM_HUGETLB;
	/* Allocated first: MAP_FIXED must not unmap the old pages and then fail. */
	vma = vm_area_alloc(mm);
	err = vma ? 0 : -ENOMEM;
	if (vma) {
		mm_lock(mm);
		err = mmap_locked(mm, vma, &addr, len, flags, h ? huge_page_size(h) : PAGE_SIZE);
		if (!err)
			mmap_region(mm, vma, addr, len, vm_flags, h);
		mm_unlock(mm);
	}
	if (err) {
		if (vma)
			vm_area_free(vma);
		if (h)
			hugetlb_mmap_cancel(flags, len, h);
		return err;
	}
	if (flags & MAP_POPULATE)
		populate(mm, addr, addr + len, vm_flags, h ? huge_page_size(h) : PAGE_SIZE);
	*out_addr = addr;
	return 0;
}

/*
 * mmap of a device-dax instance (the fd's checks are devdax_mmap_check):
 * a MAP_SHARED VMA of VM_MIXEDMAP, at an address aligned to the instance's
 * align so that each align unit is one leaf, mapped whole before return.
 * A failed populate unmaps what it made and answers -ENOMEM.
 */
long do_mmap_devdax(struct mm_struct *mm, struct dev_dax *d, bool writable, uintptr_t addr,
		    size_t len, int prot, int flags, uint64_t off, uintptr_t *out_addr)
{
	unsigned long vm_flags = calc_vm_prot_bits(prot) | VM_SHARED | VM_MAYSHARE | VM_MAYREAD |
				 (writable ? VM_MAYWRITE : 0) | VM_MIXEDMAP | VM_DONTEXPAND;
	struct vm_area_struct *vma;
	struct mmu_gather tlb;
	uintptr_t end;
	long err = devdax_mmap_check(d, writable, len, prot, flags, off);

	if (!err && (calc_vm_prot_bits(prot) < 0 || (flags & (MAP_HUGETLB | MAP_GROWSDOWN))))
		err = -EINVAL; /* Linux: MAP_HUGETLB on a non-hugetlbfs file */
	if (err)
		return err;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_FIXED) {
		err = user_range_check(addr, len, &end);
		if (!err && (addr < MMAP_MIN_ADDR || addr % d->align))
			err = addr < MMAP_MIN_ADDR ? -EPERM : -EINVAL;
		if (err)
			return err;
	}
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	mm_lock(mm);
	tlb_gather_mmu(&tlb, mm);
	if (over_limits(mm, len)) {
		err = -ENOMEM;
	} else if (flags & MAP_FIXED) {
		if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(&mm->vmas, addr, end))
			err = -EEXIST;
		else
			err = __do_munmap(mm, &tlb, addr, end);
	} else {
		/* Linux's dax_get_unmapped_area: room for an align-aligned start. */
		addr = pick_address(mm, 0, len, 0, d->align);
		err = addr ? 0 : -ENOMEM;
	}
	if (!err) {
		vma->vm_start = addr;
		vma->vm_end = addr + len;
		vma->vm_flags = vm_flags;
		vma->vm_pgoff = off >> PAGE_SHIFT;
		vma->vm_private_data = d;
		BUG_ON(vma_insert(&mm->vmas, vma));
		devdax_count(d, &d->nr_mapped, (long)len); /* before the zap below may drop it */
		err = devdax_mmap_populate(vma);
		if (err) {
			BUG_ON(vma_unmap_range(&mm->vmas, addr, addr + len, zap_vma_range, &tlb));
			free_pgtables(&tlb, addr, addr + len);
			vma = NULL; /* freed by vma_unmap_range */
		}
	}
	tlb_finish_mmu(&tlb);
	mm_unlock(mm);
	if (err) {
		if (vma)
			vm_area_free(vma);
		return err;
	}
	*out_addr = addr;
	return 0;
}

long do_munmap(struct mm_struct *mm, uintptr_t addr, size_t len)
{
	struct mmu_gather tlb;
	uintptr_t end;
	long err = user_range_check(addr, len, &end);

	if (err)
		return err == -ENOMEM ? -EINVAL : err; /* Linux: munmap past TASK_SIZE is EINVAL */
	mm_lock(mm);
	tlb_gather_mmu(&tlb, mm);
	err = __do_munmap(mm, &tlb, addr, end);
	tlb_finish_mmu(&tlb);
	mm_unlock(mm);
	return err;
}

/* Does [start, end) touch a VMA of the kind @is_kind tells? (lock held) */
static bool range_has(struct mm_struct *mm, uintptr_t start, uintptr_t end,
		      bool (*is_kind)(const struct vm_area_struct *))
{
	struct vm_area_struct *vma;

	for (vma = find_vma(&mm->vmas, start); vma && vma->vm_start < end;
	     vma = find_vma(&mm->vmas, vma->vm_end))
		if (is_kind(vma))
			return true;
	return false;
}

static void protect_vma(struct vm_area_struct *vma, void *arg)
{
	change_protection(arg, vma);
}

long do_mprotect(struct mm_struct *mm, uintptr_t addr, size_t len, int prot)
{
	long vm_prot = calc_vm_prot_bits(prot & ~(PROT_GROWSDOWN | PROT_GROWSUP));
	struct mmu_gather tlb;
	uintptr_t end;
	long err;

	/*
	 * Linux's order (mm/mprotect.c do_mprotect_pkey): alignment, a zero
	 * length (success), a range that wraps (-ENOMEM), the protection
	 * (-EINVAL), then a range past TASK_SIZE has no VMA (-ENOMEM).
	 */
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return 0;	      /* Linux: a zero-length mprotect succeeds */
	end = addr + PAGE_ALIGN(len); /* PAGE_ALIGN may wrap to 0: then end == addr */
	if (end <= addr)
		return -ENOMEM;
	if (vm_prot < 0 || (prot & (PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL; /* growsdown/up need VM_GROWSDOWN VMAs: none exist */
	if (end > TASK_SIZE)
		return -ENOMEM;
	mm_lock(mm);
	if (range_has(mm, addr, end, is_vm_hugetlb_page)) {
		mm_unlock(mm);
		return -EOPNOTSUPP; /* not implemented for hugetlb VMAs: docs/hgm.md */
	}
	tlb_gather_mmu(&tlb, mm);
	if (range_has(mm, addr, end, vma_is_devdax))
		err = -EOPNOTSUPP; /* device mappings keep their mmap protection: not implemented */
	else
		err = vma_change_flags(&mm->vmas, addr, end, VM_ACCESS_FLAGS,
				       (unsigned long)vm_prot, protect_vma, &tlb);
	tlb_finish_mmu(&tlb);
	mm_unlock(mm);
	return err;
}

/* MADV_DONTNEED: drop the pages, keep the VMAs; the next touch is a zero page. */
static long madvise_dontneed(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma;
	struct mmu_gather tlb;

	if (!vma_range_mapped(&mm->vmas, start, end))
		return -ENOMEM;
	tlb_gather_mmu(&tlb, mm);
	for (vma = find_vma(&mm->vmas, start); vma && vma->vm_start < end;
	     vma = find_vma(&mm->vmas, vma->vm_end)) {
		uintptr_t s = MAX(start, vma->vm_start), e = MIN(end, vma->vm_end);
		long err = 0;

		/* HGM: a hugetlb leaf the range cuts is split down to 4 KiB first (may fail). */
		if (is_vm_hugetlb_page(vma))
			err = hugetlb_split_edge(mm, vma, s) ?: hugetlb_split_edge(mm, vma, e);
		if (err) {
			tlb_finish_mmu(&tlb);
			return err;
		}
		zap_page_range(&tlb, vma, s, e);
	}
	/* Linux keeps the page tables here (they are freed at munmap or exit). */
	tlb_finish_mmu(&tlb);
	return 0;
}

/* Advice that only sets or clears a VMA flag: which flag, which way. */
static bool madvise_flag(int advice, unsigned long *clear, unsigned long *set)
{
	*clear = 0;
	*set = 0;
	switch (advice) {
	case MADV_NORMAL:
		*clear = VM_SEQ_READ | VM_RAND_READ;
		return true;
	case MADV_RANDOM:
		*clear = VM_SEQ_READ;
		*set = VM_RAND_READ;
		return true;
	case MADV_SEQUENTIAL:
		*clear = VM_RAND_READ;
		*set = VM_SEQ_READ;
		return true;
	case MADV_DONTFORK:
		*set = VM_DONTCOPY;
		return true;
	case MADV_DOFORK:
		*clear = VM_DONTCOPY;
		return true;
	case MADV_HUGEPAGE:
		*clear = VM_NOHUGEPAGE;
		*set = VM_HUGEPAGE;
		return true;
	case MADV_NOHUGEPAGE:
		*clear = VM_HUGEPAGE;
		*set = VM_NOHUGEPAGE;
		return true;
	default:
		return false;
	}
}

/*
 * A VMA split at an address inside a 2 MiB leaf would leave the leaf in two
 * VMAs: split the leaf too (Linux's vma_adjust_trans_huge). MADV_NOHUGEPAGE
 * splits every leaf of the range (split cannot fail).
 */
static void split_vma_huge_edges(struct vm_area_struct *vma, void *arg)
{
	if (!is_vm_hugetlb_page(vma)) /* hugetlb leaves are not THPs; splits stay aligned */
		split_huge_pmd_edges(vma->vm_mm, vma->vm_start, vma->vm_end);
}

static void split_vma_huge_pmds(struct vm_area_struct *vma, void *arg)
{
	if (!is_vm_hugetlb_page(vma))
		split_huge_pmd_range(vma->vm_mm, vma->vm_start, vma->vm_end);
}

/* Linux's madvise_behavior_valid (x86-64, every option built in), plus MADV_SPLIT. */
static bool madvise_behavior_valid(int advice)
{
	return (advice >= MADV_NORMAL && advice <= MADV_DONTNEED) ||
	       (advice >= MADV_FREE && advice <= MADV_COLLAPSE) || advice == MADV_SPLIT ||
	       (advice >= MADV_HWPOISON &&
		advice <= MADV_GUARD_REMOVE); /* valid, not implemented */
}

long do_madvise(struct mm_struct *mm, uintptr_t addr, size_t len, int advice)
{
	unsigned long clear, set;
	uintptr_t end;
	long err;

	/*
	 * Linux's order (mm/madvise.c do_madvise): the advice first
	 * (madvise_behavior_valid), then alignment, a length that rounds up
	 * to 0 or wraps (-EINVAL), a zero length (success); a range past
	 * TASK_SIZE has no VMA (-ENOMEM, from the walk below).
	 */
	if (!madvise_behavior_valid(advice) || (addr & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (!len)
		return 0; /* Linux: nothing to do */
	end = addr + PAGE_ALIGN(len);
	if (PAGE_ALIGN(len) < len || end < addr)
		return -EINVAL; /* rounded up from a small negative length, or wraps */
	if (end > TASK_SIZE)
		return -ENOMEM; /* no VMA out there (Linux also advises the mapped part first) */
	if (advice == MADV_SPLIT)
		return hgm_split_range(mm, addr, end); /* takes the lock itself */
	mm_lock(mm);
	if (advice == MADV_COLLAPSE && range_has(mm, addr, end, is_vm_hugetlb_page)) {
		mm_unlock(mm);
		return hgm_collapse_range(mm, addr, end); /* takes the lock itself */
	}
	mm_unlock(mm);
	if (advice == MADV_COLLAPSE)
		return madvise_collapse(mm, addr, end); /* takes the lock itself */
	mm_lock(mm);
	if (range_has(mm, addr, end, vma_is_devdax))
		err = -EINVAL; /* Linux: no LRU advice on device pages; flags: not implemented */
	else if (advice == MADV_DONTNEED || advice == MADV_FREE)
		err = madvise_dontneed(mm, addr, end); /* MADV_FREE: freeing at once is allowed */
	else if (madvise_flag(advice, &clear, &set))
		err = hugetlb_vma_split_check(mm, addr, end)
			  ?: vma_change_flags(&mm->vmas, addr, end, clear, set,
					      advice == MADV_NOHUGEPAGE ? split_vma_huge_pmds
									: split_vma_huge_edges,
					      NULL);
	else if (advice == MADV_WILLNEED || advice == MADV_COLD || advice == MADV_PAGEOUT)
		err = vma_range_mapped(&mm->vmas, addr, end) ? 0 : -ENOMEM; /* hints: no effect */
	else
		err = -EINVAL;
	if (!err && advice == MADV_HUGEPAGE) /* Linux's hugepage_madvise: khugepaged_enter_vma */
		for (struct vm_area_struct *v = find_vma(&mm->vmas, addr); v && v->vm_start < end;
		     v = find_vma(&mm->vmas, v->vm_end))
			khugepaged_enter_vma(v);
	mm_unlock(mm);
	return err;
}
