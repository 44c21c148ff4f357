/*
 * Building and tearing down the vmemmap of device memory (devdax.c uses it;
 * tests call it on ranges of their own).
 */
#ifndef MM_DEVDAX_VMEMMAP_H
#define MM_DEVDAX_VMEMMAP_H

#include <stdbool.h>
#include <stdint.h>

struct devmap_cost {
	unsigned long memmap_pages; /* frames of struct pages of its own */
	unsigned long shared_maps;  /* vmemmap pages mapped to a shared tail page */
};

/*
 * Map and write the struct pages of pfns [start_pfn, start_pfn + nr) as
 * compound pages of @order (0: plain pages), deduplicated when @dedup and
 * @order is 9 or 18. Every vmemmap page must be unmapped (-EBUSY
 * otherwise, nothing done). -ENOMEM undoes everything it did. Only fills
 * not-present entries, so it sends no flush. At order 18 with @dedup,
 * each 2 MiB of vmemmap that holds only tails is one PMD pointing at a
 * shared read-only page table instead of a table of its own.
 */
int devmap_vmemmap_populate(unsigned long start_pfn, unsigned long nr, unsigned int order,
			    bool dedup, struct devmap_cost *cost);

/*
 * Allocate what every instance of @order shares, once: the shared tail page
 * and, for 1 GiB dedup, the shared read-only page table. 0 or -ENOMEM.
 */
int devmap_vmemmap_prepare(unsigned int order, bool dedup);

/* Unmap what populate mapped, flush once, free frames and emptied tables. */
void devmap_vmemmap_depopulate(unsigned long start_pfn, unsigned long nr);

#endif
