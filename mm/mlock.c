/*
 * mlock/munlock as accounting, and MADV_POPULATE_READ/WRITE (Linux's
 * mm/mlock.c and madvise_populate). flushlab never reclaims or swaps, so
 * a locked page is simply one that is there: mlock sets VM_LOCKED on the
 * range (VmLck in /proc/PID/status) and faults every page in, as Linux's
 * populate does; munlock clears the flag. MADV_POPULATE_* fault the range
 * in (a write breaks copy-on-write) without changing any VMA.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/vm_ops.h"
#include "uapi/mman.h"

#define PAGE_ALIGN(x) ALIGN_UP((x), PAGE_SIZE)

/*
 * Fault [start, end) in, read or write: 0, -ENOMEM (a hole in the range,
 * or out of memory), -EINVAL (the VMA forbids the access: PROT_NONE, or a
 * write to read-only memory; or VM_PFNMAP, VM_IO: Linux 6.18's answers),
 * -EFAULT (a fault that would be a signal: past a shared object's end,
 * or a hugetlb pool with no page; the fault's -EIO, Linux's VM_FAULT_SIGBUS).
 * No lock held: each fault takes it, and finds the VMA again.
 */
long madvise_populate(struct mm_struct *mm, uintptr_t start, uintptr_t end, bool write)
{
	uintptr_t va = start;

	while (va < end) {
		struct vm_area_struct *vma;
		uintptr_t vend;
		unsigned long vm_flags;

		mm_lock(mm);
		vma = find_vma(&mm->vmas, va);
		vm_flags = vma && vma->vm_start <= va ? vma->vm_flags : 0;
		vend = vma ? MIN(end, vma->vm_end) : end;
		mm_unlock(mm);
		if (!vm_flags)
			return -ENOMEM;
		if ((vm_flags & (VM_PFNMAP | VM_IO)) || !(vm_flags & VM_ACCESS_FLAGS) ||
		    (write && !(vm_flags & VM_WRITE)))
			return -EINVAL; /* Linux: incompatible mapping or permissions */
		for (; va < vend; va += PAGE_SIZE) {
			int err = handle_mm_fault(mm, va, write ? FAULT_FLAG_WRITE : 0);

			if (err)
				return err == -EIO ? -EFAULT : err;
		}
	}
	return 0;
}

/* A VMA cut at an address inside a 2 MiB leaf: the kind splits the leaf (as flag advice). */
static void mlock_vma(struct vm_area_struct *vma, void *arg)
{
	if (vma->vm_ops->advise)
		vma->vm_ops->advise(vma, MADV_NORMAL); /* split the leaves at the ends */
}

/* mlock(2) and munlock(2): [addr, addr + len) rounded out to pages, all mapped (-ENOMEM). */
long do_mlock(struct mm_struct *mm, uintptr_t addr, size_t len, bool lock)
{
	uintptr_t start = addr & ~(PAGE_SIZE - 1), end;
	long err;

	if (len > TASK_SIZE || PAGE_ALIGN(len + (addr - start)) < len)
		return -ENOMEM;
	end = start + PAGE_ALIGN(len + (addr - start));
	if (end < start || end > TASK_SIZE)
		return -ENOMEM;
	if (end == start)
		return 0;
	mm_lock(mm);
	err = may_split_range(mm, start, end);
	if (!err)
		err = vma_change_flags(&mm->vmas, start, end, lock ? 0 : VM_LOCKED,
				       lock ? VM_LOCKED : 0, mlock_vma, NULL);
	mm_unlock(mm);
	if (err || !lock)
		return err;
	err = madvise_populate(mm, start, end, false); /* Linux's populate_vma_page_range */
	/* PROT_NONE (EINVAL here): locked, nothing to fault in, as Linux. */
	return err == -ENOMEM ? -EAGAIN : err == -EINVAL || err == -EFAULT ? 0 : err;
}

unsigned long mm_locked_vm(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long pages = 0;

	mm_lock(mm);
	for_each_vma(&mm->vmas, vma) if (vma->vm_flags & VM_LOCKED) pages += vma_pages(vma);
	mm_unlock(mm);
	return pages;
}
