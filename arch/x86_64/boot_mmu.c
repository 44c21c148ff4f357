/*
 * The one change the kernel makes to the loader's page tables at boot: the
 * identity map of low memory goes once we run in the higher half, so a stray
 * low pointer faults instead of silently reading physical memory.
 */
#include "arch/x86_64/cpu.h"
#include "flushlab/boot_info.h"
#include "flushlab/layout.h"
#include "mm/mm.h"

void arch_drop_identity_map(void)
{
	uint64_t *pml4 = (uint64_t *)(DIRECT_MAP_BASE + (read_cr3() & PTE_PFN_MASK));

	for (int i = 0; i < 256; i++)
		pml4[i] = 0;
	/*
	 * The identity entries were never global, so a CR3 write drops every
	 * TLB and paging-structure-cache entry derived from them on this CPU,
	 * the only one running. Its lower-level tables stay allocated: they are
	 * in the loader's page-table pool, accounted as page tables.
	 */
	write_cr3(read_cr3());
}
