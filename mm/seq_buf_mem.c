/*
 * Big pseudo-file reads (cat /proc/cpuinfo at -smp 255) take their buffer
 * from the buddy allocator: one block of whole pages, reached through the
 * direct map, freed as soon as the text is on the console.
 */
#include "kernel/pseudofs.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

static unsigned int size_to_order(size_t size)
{
	unsigned int order = 0;

	while (((size_t)PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *seq_buf_alloc(size_t size)
{
	unsigned int order = size_to_order(size);
	struct page *page;

	if (order > MAX_PAGE_ORDER)
		return NULL;
	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	return page ? page_address(page) : NULL;
}

void seq_buf_free(void *buf, size_t size)
{
	unsigned long pfn = ((uintptr_t)buf - direct_map_base) >> PAGE_SHIFT;

	__free_pages(pfn_to_page(pfn), size_to_order(size));
}
