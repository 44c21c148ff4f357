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
 * or is a bad access.
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
 * A fault that lands in a device-dax VMA. The VMA was mapped whole before
 * its mmap returned, so the leaf is normally there: a thread that faulted
 * on the old mapping of this range (an anonymous page not yet populated)
 * while another thread's MAP_FIXED mmap of the device replaced it waited
 * for the mm lock and now finds the device's leaf. As an anonymous fault
 * does when someone else populated the entry, return and let the access
 * retry: x86 drops the faulting address's TLB entries on a #PF (Intel SDM
 * vol. 3, 4.10.4.2; AMD APM vol. 2, 5.5.2), and the mmap's own flush has
 * reached every CPU of the mm, so the retry walks the new leaf. A leaf
 * stricter than the access (or none) is a bad access: mprotect keeps
 * leaves and VMA equal, and the VMA allowed the access (access_error).
 */
int devdax_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags)
{
	struct mmu_mapping m;

	if (arch_mmu_user_query(vma->vm_mm->pgd, addr, &m))
		return -EFAULT;
	if (!(m.prot & MMU_READ) || ((flags & FAULT_FLAG_WRITE) && !(m.prot & MMU_WRITE)))
		return -EFAULT;
	return 0;
}

/*
 * Map every align unit of @vma (mm locked, nothing mapped there yet).
 * 0, or -ENOMEM with what was mapped left for the caller to zap.
 */
int devdax_mmap_populate(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int prot = vm_flags_to_mmu_prot(vma->vm_flags);
	unsigned long align = vma_dax(vma)->align;
	enum pg_level level = align_level(align);

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
 * zap_page_range for a device VMA: [start, end) is align-aligned (munmap
 * refuses other cuts: devdax_may_split), so every leaf goes whole. No page
 * is freed; the bytes count against nr_mapped until devdax_tlb_finish.
 */
void devdax_zap_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		      uintptr_t end)
{
	arch_mmu_user_walk(vma->vm_mm->pgd, start, end, zap_dax_leaf, vma->vm_mm, NULL);
	tlb_flush_range_add(tlb, start, end);
	tlb->dax_bytes[vma_dax(vma) - dev_dax_devices] += end - start;
}

/*
 * Called by tlb_finish_mmu after its flush. Until that flush every CPU
 * that ran the mm may still hold a translation to the device's bytes (a
 * leaf that was present may be cached, SDM vol. 3, 4.10.2.3; only the
 * INVLPG or CR3 write on each such CPU drops it, 4.10.4.1). Only then may
 * the instance stop counting the mapping, so a destroy (and a new instance
 * over the same range, mapped by another process) cannot come before it.
 */
void devdax_tlb_finish(struct mmu_gather *tlb)
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
int devdax_may_split(struct vma_set *set, uintptr_t addr)
{
	struct vm_area_struct *vma = find_vma(set, addr);

	if (!vma || vma->vm_start >= addr || !vma_is_devdax(vma))
		return 0;
	return (addr - vma->vm_start) % vma_dax(vma)->align ? -EINVAL : 0;
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
int devdax_mmap_check(struct dev_dax *d, bool writable, size_t len, int prot, int flags,
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
