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
	unsigned long shared_maps; /* vmemmap pages mapped to a shared tail page */
};

/*
 * Map and write the struct pages of pfns [start_pfn, start_pfn + nr) as
 * compound pages of @order (0: plain pages), deduplicated when @dedup and
 * @order is 9 or 18. Every vmemmap page must be unmapped (-EBUSY
 * otherwise, nothing done). -ENOMEM undoes everything it did. Only fills
 * not-present entries, so it sends no flush.
 */
int devmap_vmemmap_populate(unsigned long start_pfn, unsigned long nr, unsigned int order,
			    bool dedup, struct devmap_cost *cost);

/* Unmap what populate mapped, flush once, free frames and emptied tables. */
void devmap_vmemmap_depopulate(unsigned long start_pfn, unsigned long nr);

#endif
