/*
 * The vmemmap: the struct page array at one fixed virtual base, mapped for
 * every pfn range that has memory (Linux's SPARSEMEM_VMEMMAP on x86).
 */
#ifndef MM_VMEMMAP_H
#define MM_VMEMMAP_H

#include <stdint.h>

struct vmemmap_stats {
	unsigned long pmd_mappings; /* 2 MiB leaves */
	unsigned long pte_mappings; /* 4 KiB leaves */
};

extern struct vmemmap_stats vmemmap_stats;

/*
 * Map (and zero) the struct pages of pfns [start_pfn, end_pfn) at the
 * vmemmap base, with frames from memblock: 2 MiB pages for every 2 MiB of
 * the array the range covers whole, 4 KiB pages at its edges. Parts already
 * mapped are kept. Boot only. 0 or -ENOMEM.
 */
int vmemmap_populate(uintptr_t base, unsigned long start_pfn, unsigned long end_pfn);

#endif
