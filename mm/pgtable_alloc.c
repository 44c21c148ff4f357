/*
 * Page-table pages come from memblock until the buddy allocator is live
 * (the vmemmap itself is mapped before struct pages exist), then from the
 * buddy allocator. Both paths account the frame as PURPOSE_PAGE_TABLE.
 */
#include "lib/string.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include "mm/pgtable_alloc.h"

uint64_t pgtable_alloc_page(void)
{
	struct page *page;
	uint64_t pa;

	if (!memblock.frozen) {
		pa = memblock_alloc(PAGE_SIZE, PAGE_SIZE, PURPOSE_PAGE_TABLE);
		if (pa)
			memset((void *)(direct_map_base + pa), 0, PAGE_SIZE);
		return pa;
	}
	page = alloc_page(GFP_PGTABLE | __GFP_NOWARN);
	return page ? PFN_PHYS(page_to_pfn(page)) : 0;
}

void pgtable_free_page(uint64_t pa)
{
	if (!memblock.frozen)
		memblock_phys_free(pa, PAGE_SIZE);
	else
		__free_page(pfn_to_page(PFN_DOWN(pa)));
}
