/*
 * User mappings of /dev/daxR.N (Linux's drivers/dax/device.c, in our words):
 * MAP_SHARED only, start, end and offset aligned to the instance's align,
 * each align unit mapped by one leaf of that size (a PTE at 4 KiB, a PMD
 * leaf at 2 MiB, a PUD leaf at 1 GiB). Like a VM_MIXEDMAP VMA of Linux's,
 * the device's pages have struct pages but the mapping takes no reference
 * or mapcount on them (the instance's open file and nr_mapped keep it
 * alive, as Linux's dev_pagemap reference does) and no RSS. Leaves are made
 * at mmap time, whole (flushlab has no device fault path): a fault in such a
 * VMA finds its leaf present (a racing mmap made it: the access retries)
 * or is a bad access. The kind's table is devdax_vm_ops (mm/vm_ops.h);
 * do_mmap_devdax builds the VMA through mmap's common path.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/devmem.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"

bool vma_is_devdax(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_MIXEDMAP;
}

static struct dev_dax *vma_dax(const struct vm_area_struct *vma)
{
	return vma->vm_private_data;
}

static enum pg_level align_level(unsigned long align)
{
	return align == HPAGE_PUD_SIZE	 ? PG_LEVEL_1G
	       : align == HPAGE_PMD_SIZE ? PG_LEVEL_2M
					 : PG_LEVEL_4K;
}

/* The device's physical address that @va of @vma maps. */
static uint64_t vma_dax_phys(const struct vm_area_struct *vma, uintptr_t va)
{
	return vma_dax(vma)->start + PFN_PHYS(vma->vm_pgoff) + (va - vma->vm_start);
}

/*
 * A fault on an address of a device-dax VMA that no leaf maps. The VMA was
 * mapped whole before its mmap returned, so a present leaf (a racing
 * MAP_FIXED mmap of the device made it) is handle_mm_fault's spurious
 * case and retries; no leaf means PROT_NONE, which maps nothing, or an
 * access the VMA never allowed: a bad access.
 */
static int devdax_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags)
{
	(void)vma, (void)addr, (void)flags;
	return -EFAULT;
}

/*
 * Map every align unit of @vma (mm locked, nothing mapped there yet),
 * counting the bytes mapped first (the zap of a failed populate uncounts
 * them). 0, or -ENOMEM with what was mapped left for mmap to zap.
 */
static int devdax_mmap_populate(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int prot = vm_flags_to_mmu_prot(vma->vm_flags);
	unsigned long align = vma_dax(vma)->align;
	enum pg_level level = align_level(align);

	devdax_count(vma_dax(vma), &vma_dax(vma)->nr_mapped, (long)(vma->vm_end - vma->vm_start));
	if (!(prot & MMU_READ))
		return 0; /* PROT_NONE: nothing may touch it, nothing to map */
	for (uintptr_t va = vma->vm_start; va < vma->vm_end; va += align) {
		uint64_t pa = vma_dax_phys(vma, va);
		int ret;

		if (level == PG_LEVEL_1G)
			ret = arch_mmu_user_map_pud(mm->pgd, va, pa, prot, &mm->pgtables_pages);
		else if (level == PG_LEVEL_2M)
			ret = arch_mmu_user_map_pmd(mm->pgd, va, pa, prot, &mm->pgtables_pages);
		else
			ret = arch_mmu_user_map(mm->pgd, va, pa, prot, &mm->pgtables_pages);
		if (ret)
			return ret;
	}
	return 0;
}

static int zap_dax_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct mm_struct *mm = arg;

	if (m->level == PG_LEVEL_1G)
		BUG_ON(!arch_mmu_user_unmap_pud(mm->pgd, va));
	else if (m->level == PG_LEVEL_2M)
		BUG_ON(!arch_mmu_user_unmap_pmd(mm->pgd, va));
	else
		BUG_ON(!arch_mmu_user_unmap(mm->pgd, va));
	return 0;
}

/*
 * The zap of a device VMA: [start, end) is align-aligned (munmap refuses
 * other cuts: devdax_may_split; madvise refuses device VMAs), so every
 * leaf goes whole. No page is freed; the bytes count against nr_mapped
 * until devdax_tlb_finish.
 */
static int devdax_zap(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		      uintptr_t end, bool final)
{
	(void) final;
	arch_mmu_user_walk(vma->vm_mm->pgd, start, end, zap_dax_leaf, vma->vm_mm, NULL);
	tlb_flush_range_add(tlb, start, end);
	tlb->dax_bytes[vma_dax(vma) - dev_dax_devices] += end - start;
	return 0;
}

/*
 * Called by tlb_finish_mmu after its flush. Until that flush every CPU
 * that ran the mm may still hold a translation to the device's bytes (a
 * leaf that was present may be cached, SDM vol. 3, 4.10.2.3; only the
 * INVLPG or CR3 write on each such CPU drops it, 4.10.4.1). Only then may
 * the instance stop counting the mapping, so a destroy (and a new instance
 * over the same range, mapped by another process) cannot come before it.
 */
static void devdax_tlb_finish(struct mmu_gather *tlb)
{
	for (int i = 0; i < DEVDAX_MAX_DEVICES; i++) {
		if (tlb->dax_bytes[i])
			devdax_count(&dev_dax_devices[i], &dev_dax_devices[i].nr_mapped,
				     -(long)tlb->dax_bytes[i]);
		tlb->dax_bytes[i] = 0;
	}
}

/*
 * Linux's dev_dax_may_split: a munmap or MAP_FIXED may cut a device VMA
 * only at a multiple of its align (a leaf is never split). 0 or -EINVAL.
 */
static int devdax_may_split(struct vm_area_struct *vma, uintptr_t addr)
{
	return (addr - vma->vm_start) % vma_dax(vma)->align ? -EINVAL : 0;
}

/* Device mappings keep their mmap protection: mprotect is not implemented for them. */
static int devdax_mprotect(struct vm_area_struct *vma, uintptr_t start, uintptr_t end,
			   unsigned long newflags)
{
	(void)vma, (void)start, (void)end, (void)newflags;
	return -EOPNOTSUPP;
}

/* Linux: no LRU advice on device pages; flag advice: not implemented. */
static int devdax_madvise(struct vm_area_struct *vma, int advice)
{
	(void)vma, (void)advice;
	return -EINVAL;
}

/* The checker's view of a device leaf: mm_check.c calls it. 0 or -EINVAL. */
int devdax_check_leaf(const struct vm_area_struct *vma, uintptr_t va, const struct mmu_mapping *m,
		      char *why, size_t len)
{
	uint64_t size = pg_level_size(m->level);

	if (va < vma->vm_start || va + size > vma->vm_end)
		snprintf(why, len, "device leaf at %#lx not inside its VMA", va);
	else if (size != vma_dax(vma)->align)
		snprintf(why, len, "device leaf at %#lx: %lu bytes, align is %lu", va, size,
			 vma_dax(vma)->align);
	else if (m->pa != vma_dax_phys(vma, va))
		snprintf(why, len, "device leaf at %#lx maps %#lx, want %#lx", va, m->pa,
			 vma_dax_phys(vma, va));
	else if (m->prot != vm_flags_to_mmu_prot(vma->vm_flags))
		snprintf(why, len, "device leaf at %#lx: prot %#x, VMA wants %#x", va, m->prot,
			 vm_flags_to_mmu_prot(vma->vm_flags));
	else
		return 0;
	return -EINVAL;
}

const char *devdax_vma_name(const struct vm_area_struct *vma)
{
	return vma_dax(vma)->name;
}

/*
 * Linux's checks for a device-dax mapping (check_vma, dax_mmap): shared
 * only (-EINVAL), writable only through an O_RDWR file (-EACCES), a
 * simulated region has no bytes to map (-ENXIO), and offset and length
 * must be whole align units inside the instance (-EINVAL, -ENXIO).
 */
static int devdax_mmap_check(struct dev_dax *d, bool writable, size_t len, int prot, int flags,
			     uint64_t off)
{
	int type = flags & MAP_TYPE;

	if (type != MAP_SHARED && type != MAP_SHARED_VALIDATE)
		return -EINVAL;
	if ((prot & PROT_WRITE) && !writable)
		return -EACCES;
	if (d->region->simulated)
		return -ENXIO;
	if (!len || len % d->align || off % d->align)
		return -EINVAL;
	if (off >= d->size || len > d->size - off)
		return -ENXIO;
	return 0;
}

const struct vm_operations_struct devdax_vm_ops = {
    .name = "devdax",
    .fault = devdax_fault,
    .zap = devdax_zap,
    .zap_finish = devdax_tlb_finish,
    .may_split = devdax_may_split,
    .mprotect = devdax_mprotect,
    .madvise = devdax_madvise,
    .mmap_populate = devdax_mmap_populate,
};

/*
 * mmap of a device-dax instance: the fd's checks (devdax_mmap_check),
 * then mmap's common path with a MAP_SHARED VMA of VM_MIXEDMAP, at an
 * address aligned to the instance's align so that each align unit is one
 * leaf, mapped whole before return (devdax_mmap_populate). A failed
 * populate unmaps what it made and answers -ENOMEM.
 */
long do_mmap_devdax(struct mm_struct *mm, struct dev_dax *d, bool writable, uintptr_t addr,
		    size_t len, int prot, int flags, uint64_t off, uintptr_t *out_addr)
{
	struct vm_area_desc desc = {
	    .len = len,
	    .align = d->align,
	    .vm_flags = calc_vm_prot_bits(prot) | VM_SHARED | VM_MAYSHARE | VM_MAYREAD |
			(writable ? VM_MAYWRITE : 0) | VM_MIXEDMAP | VM_DONTEXPAND,
	    .pgoff = off >> PAGE_SHIFT,
	    .vm_ops = &devdax_vm_ops,
	    .private_data = d,
	};
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
	} else {
		addr = 0; /* Linux's dax_get_unmapped_area: room for an align-aligned start */
	}
	err = mmap_region(mm, &desc, &addr, flags & ~MAP_32BIT);
	if (!err)
		*out_addr = addr;
	return err;
}
