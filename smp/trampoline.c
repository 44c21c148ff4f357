/*
 * The low page APs start in: a STARTUP IPI can only name a page below 1 MiB,
 * so the memory step reserves one (smp_trampoline_phys, mm/mm.h) and the
 * trampoline code and data are copied there. Its page tables live in the
 * kernel image, which only has to lie below 4 GiB (32-bit CR3 load).
 */
#include "arch/x86_64/cpu.h"
#include "flushlab/boot_info.h"
#include "flushlab/layout.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "smp_priv.h"

#define EFER_LMA (1UL << 10)

extern const char smp_trampoline_start[], smp_trampoline_end[], smp_trampoline_data[];
extern const char smp_trampoline_gdt[], smp_trampoline_pm32[], smp_trampoline_lm64[];

/* PML4, PDPT, PD: only ever loaded by APs between SIPI and ap_entry. */
static uint64_t trampoline_pgt[3][PTRS_PER_TABLE] __aligned(PAGE_SIZE);

static uint64_t kernel_image_phys(const void *va)
{
	return boot_info->kernel.phys + ((uint64_t)va - KERNEL_VIRT_BASE);
}

/*
 * The trampoline's page tables:
 *   PML4[0] -> PDPT[0] -> PD[0]: a 2 MiB identity map of [0, 2 MiB),
 *     executable and not global, holding the code while paging turns on;
 *   PML4[256..511]: the kernel's own entries (direct map, kernel image),
 *     which share their lower tables with the kernel's PML4.
 * No stale translation of the identity map survives: only APs ever load
 * this CR3, and each leaves it with a MOV to CR3 (the kernel's PML4) as the
 * first statement of its C entry. CR4.PCIDE is 0 then, so that MOV
 * invalidates every non-global TLB entry and every paging-structure-cache
 * entry on that CPU (SDM vol. 3 4.10.4.1); CR4.PGE is 0 too, so nothing was
 * cached as global, and the entry then restores CR4.PGE, which flushes the
 * whole TLB again. The boot CPU and online APs never load this PML4 and the
 * kernel's PML4 is never touched, so no other CPU can hold any of it.
 * Returns the PML4's physical address, or 0 if it lies above 4 GiB.
 */
static uint64_t trampoline_pgtables(void)
{
	uint64_t *pml4 = trampoline_pgt[0], *pdpt = trampoline_pgt[1], *pd = trampoline_pgt[2];
	const uint64_t *kernel_pml4 =
	    (const uint64_t *)(DIRECT_MAP_BASE + (read_cr3() & PTE_PFN_MASK));
	uint64_t pml4_phys = kernel_image_phys(pml4);

	if (pml4_phys + PAGE_SIZE > (1ULL << 32))
		return 0;
	memset(trampoline_pgt, 0, sizeof(trampoline_pgt));
	pml4[0] = kernel_image_phys(pdpt) | _PAGE_PRESENT | _PAGE_RW;
	pdpt[0] = kernel_image_phys(pd) | _PAGE_PRESENT | _PAGE_RW;
	pd[0] = 0 | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	for (int i = 256; i < 512; i++)
		pml4[i] = kernel_pml4[i];
	return pml4_phys;
}

static uint32_t tramp_off(const char *sym)
{
	return (uint32_t)(sym - smp_trampoline_start);
}

struct trampoline_data *trampoline_setup(void (*entry)(void *))
{
	size_t size = smp_trampoline_end - smp_trampoline_start;
	uint64_t phys = smp_trampoline_phys, cr3;
	struct trampoline_data *td;
	uint8_t *page;

	if (!phys || phys + PAGE_SIZE > 0x100000) {
		printk("smp: no page below 1 MiB was reserved for the AP trampoline\n");
		return NULL;
	}
	cr3 = trampoline_pgtables();
	if (!cr3) {
		printk("smp: kernel image above 4 GiB: the trampoline's PML4 is out of reach\n");
		return NULL;
	}
	BUG_ON(size > PAGE_SIZE);
	page = (uint8_t *)(DIRECT_MAP_BASE + phys);
	memcpy(page, smp_trampoline_start, size);
	td = (struct trampoline_data *)(page + tramp_off(smp_trampoline_data));
	td->gdt_base = phys + tramp_off(smp_trampoline_gdt);
	td->pm32_offset = phys + tramp_off(smp_trampoline_pm32);
	td->lm64_offset = phys + tramp_off(smp_trampoline_lm64);
	td->cr3 = cr3;
	td->efer = rdmsr(MSR_EFER) & ~EFER_LMA; /* LME, and NXE: the kernel's PTEs use NX */
	td->entry = (uint64_t)entry;
	return td;
}
