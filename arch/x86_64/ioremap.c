/*
 * ioremap: device registers get their own uncached 4 KiB mappings in a
 * dedicated area instead of being reached through the direct map, which
 * covers RAM and ACPI tables only (boot/paging.c). Two mappings of one
 * frame with different memory types are what the SDM forbids (vol. 3,
 * 11.12.4 "Programming the PAT": aliasing UC and WB is undefined), so a
 * device page is mapped here and nowhere else.
 */
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pgtable.h"
#include "flushlab/layout.h"
#include "kernel/spinlock.h"
#include "lib/kernel.h"
#include "mm/mmu.h"

#define MSR_IA32_PAT 0x277
#define PAT_UC 0x00

static uintptr_t ioremap_next = IOREMAP_BASE;
static DEFINE_SPINLOCK(ioremap_lock);

bool pat_entry3_is_uc(void)
{
	return ((rdmsr(MSR_IA32_PAT) >> 24) & 0xff) == PAT_UC;
}

/* Take @pages of the area; 0 when it is used up. */
static uintptr_t ioremap_area_alloc(unsigned long pages)
{
	uintptr_t va = 0;
	uint64_t flags;

	spin_lock_irqsave(&ioremap_lock, flags);
	if (pages <= (IOREMAP_END - ioremap_next) / PAGE_SIZE) {
		va = ioremap_next;
		ioremap_next += pages * PAGE_SIZE;
	}
	spin_unlock_irqrestore(&ioremap_lock, flags);
	return va;
}

static void *ioremap_prot(uint64_t phys, size_t size, unsigned int prot)
{
	uint64_t first = ALIGN_DOWN(phys, PAGE_SIZE), end = ALIGN_UP(phys + size, PAGE_SIZE);
	uintptr_t va;

	if (!size || end <= first)
		return NULL;
	va = ioremap_area_alloc((end - first) / PAGE_SIZE);
	if (!va)
		return NULL;
	for (uint64_t pa = first; pa < end; pa += PAGE_SIZE)
		if (arch_mmu_map(va + (pa - first), pa, PG_LEVEL_4K, prot))
			return NULL; /* out of page tables: the area's pages stay unused */
	return (void *)(va + (phys - first));
}

void *ioremap(uint64_t phys, size_t size)
{
	static bool warned;

	if (!warned && !pat_entry3_is_uc()) {
		warned = true;
		printk(
		    "ioremap: IA32_PAT entry 3 is not UC (%#lx): device mappings may be cached\n",
		    rdmsr(MSR_IA32_PAT));
	}
	return ioremap_prot(phys, size, MMU_WRITE | MMU_GLOBAL | MMU_NOCACHE);
}

void *ioremap_cache(uint64_t phys, size_t size)
{
	return ioremap_prot(phys, size, MMU_GLOBAL);
}

void *phys_to_virt_mapped(uint64_t phys)
{
	struct mmu_mapping m;
	uintptr_t va = DIRECT_MAP_BASE + phys;

	if (arch_mmu_query(va, &m) || m.pa != phys)
		return NULL;
	return (void *)va;
}
