/*
 * mmap, munmap, mprotect and madvise, with Linux's argument rules and
 * errors, for every kind of mapping: what varies by kind is asked of the
 * VMA's table (mm/vm_ops.h), never tested here. The VMA side is mm/vma.c;
 * the page side is the kind's zap/protect, whose frees wait for one
 * targeted flush per call (tlb_finish_mmu). Each call holds the mm's lock
 * throughout, so a racing fault sees either the old layout or the new one.
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

/* May the VMA that straddles @addr, if any, be cut there? Its kind says (lock held). */
static int may_split_at(struct mm_struct *mm, uintptr_t addr)
{
	struct vm_area_struct *vma = find_vma(&mm->vmas, addr);

	if (!vma || vma->vm_start >= addr || !vma->vm_ops->may_split)
		return 0;
	return vma->vm_ops->may_split(vma, addr);
}

/* Before anything splits VMAs at @start and @end: 0, or the refusal (-EINVAL). mlock.c too. */
int may_split_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	return may_split_at(mm, start) ?: may_split_at(mm, end);
}

/* munmap with the lock held, flushing and freeing through @tlb (mm/mremap.c too). */
int __do_munmap(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t start, uintptr_t end)
{
	int err = may_split_range(mm, start, end);

	if (!err)
		err = vma_unmap_range(&mm->vmas, start, end, unmap_vma, tlb);

	if (!err)
		free_pgtables(tlb, start, end);
	return err;
}

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

/* Linux's limits: RLIMIT_AS and vm.max_map_count (a new VMA may need 2 more by splits). */
static bool over_limits(struct mm_struct *mm, size_t len)
{
	return ((mm->vmas.total_pages << PAGE_SHIFT) + len > MM_MAX_MAP_BYTES) ||
	       mm->vmas.nr + 3 > MM_MAX_MAP_COUNT;
}

/* Place the new mapping (lock held): 0 and *@addr, or -errno with nothing changed. */
static long mmap_place(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t *addr, size_t len,
		       int flags, size_t align)
{
	uintptr_t end = *addr + len;

	if (over_limits(mm, len))
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(&mm->vmas, *addr, end))
			return -EEXIST;
		return __do_munmap(mm, tlb, *addr, end);
	}
	*addr = pick_address(mm, *addr, len, flags, align);
	return *addr ? 0 : -ENOMEM;
}

/*
 * Insert @vma at @addr as @desc says (lock held), let the kind populate it,
 * and merge it. 0, or the populate's error with the VMA unmapped and freed.
 */
static long mmap_insert(struct mm_struct *mm, struct mmu_gather *tlb, struct vm_area_struct *vma,
			const struct vm_area_desc *desc, uintptr_t addr)
{
	long err;

	vma->vm_start = addr;
	vma->vm_end = addr + desc->len;
	vma->vm_flags = desc->vm_flags;
	vma->vm_pgoff = desc->pgoff == VMA_PGOFF_ANON ? addr >> PAGE_SHIFT : desc->pgoff;
	vma->vm_ops = desc->vm_ops;
	vma->vm_private_data = desc->private_data;
	BUG_ON(vma_insert(&mm->vmas, vma));
	if (desc->vm_ops->mmap_populate && (err = desc->vm_ops->mmap_populate(vma))) {
		BUG_ON(vma_unmap_range(&mm->vmas, addr, vma->vm_end, unmap_vma, tlb));
		free_pgtables(tlb, addr, addr + desc->len);
		return err;
	}
	vma_merge_neighbours(&mm->vmas, vma); /* never a VM_SPECIAL one (vma_can_merge) */
	return 0;
}

long mmap_region(struct mm_struct *mm, const struct vm_area_desc *desc, uintptr_t *addr, int flags)
{
	/* Allocated first: MAP_FIXED must not unmap the old pages and then fail. */
	struct vm_area_struct *vma = vm_area_alloc(mm);
	struct mmu_gather tlb;
	long err;

	if (!vma)
		return -ENOMEM;
	mm_lock(mm);
	tlb_gather_mmu(&tlb, mm);
	err = mmap_place(mm, &tlb, addr, desc->len, flags, desc->align);
	if (err)
		vm_area_free(vma);
	else
		err = mmap_insert(mm, &tlb, vma, desc, *addr); /* frees @vma if it fails */
	tlb_finish_mmu(&tlb);
	mm_unlock(mm);
	return err;
}

long do_mmap(struct mm_struct *mm, uintptr_t addr, size_t len, int prot, int flags,
	     uintptr_t *out_addr)
{
	struct vm_area_desc desc = {
	    .align = PAGE_SIZE, .pgoff = VMA_PGOFF_ANON, .vm_ops = &anon_vm_ops};
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
	desc.len = PAGE_ALIGN(len);
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_FIXED) {
		if (addr > TASK_SIZE - desc.len)
			return -ENOMEM;
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (addr < MMAP_MIN_ADDR)
			return -EPERM; /* Linux: below vm.mmap_min_addr */
	}
	err = mmap_check_flags(prot, flags);
	if (err)
		return err;
	desc.vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ANON;
	if (flags & MAP_NORESERVE)
		desc.vm_flags |= VM_NORESERVE;
	/* Linux's ksys_mmap_pgoff: MAP_HUGETLB maps a hugetlb file instead (reserved from here). */
	if ((flags & MAP_HUGETLB) && (err = hugetlb_mmap_prepare(&desc, flags, addr)))
		return err;
	if ((flags & MAP_TYPE) != MAP_PRIVATE) { /* MAP_SHARED | MAP_ANONYMOUS */
		desc.vm_flags |= VM_SHARED | VM_MAYSHARE;
		desc.vm_ops = &anon_shared_vm_ops;
		desc.pgoff = 0;
		desc.private_data = anon_shared_create(desc.len);
		if (!desc.private_data)
			return -ENOMEM;
	}
	err = mmap_region(mm, &desc, &addr, flags);
	if (err) {
		if (flags & MAP_HUGETLB)
			hugetlb_mmap_cancel(&desc);
		if (desc.vm_ops == &anon_shared_vm_ops)
			anon_shared_put(desc.private_data); /* no VMA took it */
		return err;
	}
	if (flags & MAP_POPULATE)
		populate(mm, addr, addr + desc.len, desc.vm_flags, desc.align);
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

/* May every VMA of [start, end) take the access flags @vm_prot? Their kinds say (lock held). */
static int range_may_mprotect(struct mm_struct *mm, uintptr_t start, uintptr_t end,
			      unsigned long vm_prot)
{
	struct vm_area_struct *vma;
	int err = 0;

	for_each_vma_range(&mm->vmas, vma, start, end) if (!err && vma->vm_ops->mprotect) err =
	    vma->vm_ops->mprotect(vma, MAX(start, vma->vm_start), MIN(end, vma->vm_end),
				  (vma->vm_flags & ~VM_ACCESS_FLAGS) | vm_prot);
	return err;
}

static void protect_vma(struct vm_area_struct *vma, void *arg)
{
	vma->vm_ops->change_protection(arg, vma);
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
	tlb_gather_mmu(&tlb, mm);
	err = range_may_mprotect(mm, addr, end, (unsigned long)vm_prot)
		  ?: may_split_range(mm, addr, end)
		  ?: vma_change_flags(&mm->vmas, addr, end, VM_ACCESS_FLAGS, (unsigned long)vm_prot,
				      protect_vma, &tlb);
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
	for_each_vma_range(&mm->vmas, vma, start, end)
	{
		/* A leaf the range cuts is split first: hugetlb's (HGM) may fail. */
		long err =
		    zap_page_range(&tlb, vma, MAX(start, vma->vm_start), MIN(end, vma->vm_end));

		if (err) {
			tlb_finish_mmu(&tlb);
			return err;
		}
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

/* The page-table side of flag advice on @vma, cut to the range: the kind's (splits, if any). */
static void advise_vma(struct vm_area_struct *vma, void *arg)
{
	if (vma->vm_ops->advise)
		vma->vm_ops->advise(vma, *(const int *)arg);
}

/* May every VMA of [start, end) take @advice? Their kinds say (lock held). */
static int range_may_madvise(struct mm_struct *mm, uintptr_t start, uintptr_t end, int advice)
{
	struct vm_area_struct *vma;
	int err = 0;

	for_each_vma_range(&mm->vmas, vma, start, end) if (!err && vma->vm_ops->madvise) err =
	    vma->vm_ops->madvise(vma, advice);
	return err;
}

/*
 * MADV_COLLAPSE, lock not held: a range that holds a VMA whose kind
 * collapses its own way goes to that kind (hugetlb's HGM), any other to
 * THP's madvise_collapse (which answers for kinds without huge pages).
 */
static long collapse_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	long (*collapse)(struct mm_struct *, uintptr_t, uintptr_t) = madvise_collapse;
	struct vm_area_struct *vma;

	mm_lock(mm);
	for_each_vma_range(&mm->vmas, vma, start, end) if (vma->vm_ops->collapse)
	{
		collapse = vma->vm_ops->collapse;
		break;
	}
	mm_unlock(mm);
	return collapse(mm, start, end); /* takes the lock itself */
}

/*
 * MADV_REMOVE, lock not held (Linux's madvise_remove): VMA by VMA, the
 * kind takes a reference to its backing object under the lock, and frees
 * the range's pages without it (a punch-hole of a tmpfs file unmaps them
 * from every mm that maps them, this one's too, taking each mm's lock).
 */
static long madvise_remove(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	while (start < end) {
		const struct vm_operations_struct *ops = NULL;
		struct vm_area_struct *vma;
		uintptr_t stop = end;
		void *obj = NULL;
		uint64_t off = 0;
		long err;

		mm_lock(mm);
		vma = find_vma(&mm->vmas, start);
		if (!vma || vma->vm_start > start)
			err = -ENOMEM;
		else if ((vma->vm_flags & VM_LOCKED) || !vma->vm_ops->remove_prepare)
			err = -EINVAL;
		else
			err = (ops = vma->vm_ops)->remove_prepare(vma, start, &obj, &off);
		if (!err)
			stop = MIN(end, vma->vm_end);
		mm_unlock(mm);
		if (!err)
			err = ops->remove(obj, off, stop - start);
		if (err)
			return err;
		start = stop;
	}
	return 0;
}

/* Linux's madvise_behavior_valid (x86-64, every option built in), plus MADV_SPLIT. */
static bool madvise_behavior_valid(int advice)
{
	return (advice >= MADV_NORMAL && advice <= MADV_DONTNEED) ||
	       (advice >= MADV_FREE && advice <= MADV_COLLAPSE) || advice == MADV_SPLIT ||
	       (advice >= MADV_HWPOISON &&
		advice <= MADV_GUARD_REMOVE); /* valid, not implemented */
}

/* The advice that needs the lock, which is held; the VMAs' kinds have allowed it. */
static long madvise_locked(struct mm_struct *mm, uintptr_t addr, uintptr_t end, int advice)
{
	struct vm_area_struct *vma;
	unsigned long clear, set;
	long err;

	if (advice == MADV_DONTNEED || advice == MADV_FREE)
		return madvise_dontneed(mm, addr, end); /* MADV_FREE: freeing at once is allowed */
	if (advice == MADV_WILLNEED || advice == MADV_COLD || advice == MADV_PAGEOUT)
		return vma_range_mapped(&mm->vmas, addr, end) ? 0 : -ENOMEM; /* hints: no effect */
	if (!madvise_flag(advice, &clear, &set))
		return -EINVAL;
	err = may_split_range(mm, addr, end)
		  ?: vma_change_flags(&mm->vmas, addr, end, clear, set, advise_vma, &advice);
	if (!err && advice == MADV_HUGEPAGE) /* Linux's hugepage_madvise: khugepaged_enter_vma */
		for_each_vma_range(&mm->vmas, vma, addr, end) khugepaged_enter_vma(vma);
	return err;
}

long do_madvise(struct mm_struct *mm, uintptr_t addr, size_t len, int advice)
{
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
		return hgm_split_range(mm, addr, end); /* HGM's own advice; takes the lock itself */
	if (advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE)
		return madvise_populate(mm, addr, end,
					advice == MADV_POPULATE_WRITE); /* mm/mlock.c */
	if (advice == MADV_COLLAPSE)
		return collapse_range(mm, addr, end);
	if (advice == MADV_REMOVE)
		return madvise_remove(mm, addr, end);
	mm_lock(mm);
	err = range_may_madvise(mm, addr, end, advice) ?: madvise_locked(mm, addr, end, advice);
	mm_unlock(mm);
	return err;
}
