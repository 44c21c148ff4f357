/*
 * Contiguous ranges larger than the buddy's biggest block (1 GiB hugetlb
 * pages), beside orders 0..MAX_PAGE_ORDER, like Linux's alloc_contig_pages.
 *
 * Why not orders up to 18 instead: Linux's buddyinfo shape (11 columns) stays
 * what every tool parses; every free walks at most 10 merge levels, not 18;
 * and a 1 GiB block is rare, slow to find and worth a scan, while a max-order
 * list of 1 GiB blocks would fragment them for the 4 KiB requests that split
 * them first. A range is free iff walking it by free-block heads (a PageBuddy
 * head of order k, then jump 2^k) covers it exactly, and no live arena carved
 * out of the zone lies in it (the arena's free blocks are PageBuddy too, but
 * on the arena's lists: to this zone the arena's span is one allocation).
 */
#include "lib/kernel.h"
#include "mm/fail_page_alloc.h"
#include "mm/page_alloc_priv.h"

/* The free block containing @pfn, or NULL; @pfn's 4 MiB block is in the memmap. */
static struct page *free_block_containing(unsigned long pfn)
{
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		struct page *head = pfn_to_page(pfn & ~((1UL << o) - 1));

		if (PageBuddy(head))
			return buddy_order(head) >= o ? head : NULL;
	}
	return NULL;
}

/* Is [start, end) wholly free in @z? If not, *busy is a pfn in it that is not. */
static bool range_is_free(struct zone *z, unsigned long start, unsigned long end,
			  unsigned long *busy)
{
	unsigned long pfn = start;

	while (pfn < end) {
		struct zone *arena = zone_arena_in(z, pfn, pfn + 1);
		struct page *head;

		if (arena) { /* skip the whole arena: the next try starts past it */
			*busy = arena->zone_end_pfn - 1;
			return false;
		}
		head = free_block_containing(pfn);
		if (!head) {
			*busy = pfn;
			return false;
		}
		pfn = page_to_pfn(head) + (1UL << buddy_order(head));
	}
	return true;
}

/* Free [start, end) as the largest naturally aligned blocks, merging them. */
static void free_range_blocks(struct zone *z, unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;

		while (!IS_ALIGNED(start, 1UL << order) || start + (1UL << order) > end)
			order--;
		__free_one_page(z, start, order);
		start += 1UL << order;
	}
}

/*
 * Take the free range [start, end) off the free lists. The first and last
 * blocks may stick out of the range; their outside parts go back as free.
 */
static void take_free_range(struct zone *z, unsigned long start, unsigned long end)
{
	unsigned long pfn = start, head_start = start, tail_end = end;

	while (pfn < end) {
		struct page *head = free_block_containing(pfn);
		unsigned int order = buddy_order(head);
		unsigned long hpfn = page_to_pfn(head);

		del_page_from_free_list(z, head, order);
		if (hpfn < start)
			head_start = hpfn;
		pfn = hpfn + (1UL << order);
		if (pfn > end)
			tail_end = pfn;
	}
	free_range_blocks(z, head_start, start);
	free_range_blocks(z, end, tail_end);
}

static unsigned int order_covering(unsigned long nr_pages)
{
	unsigned int order = 0;

	while ((1UL << order) < nr_pages)
		order++;
	return order;
}

static long find_free_range(struct zone *z, unsigned long nr_pages, unsigned long align)
{
	for (unsigned int i = 0; i < z->nr_memmap_ranges; i++) {
		const struct memmap_range *r = &z->memmap[i];
		unsigned long s = ALIGN_UP(r->start_pfn, align), busy;

		while (s + nr_pages <= r->end_pfn && s + nr_pages > s) {
			if (range_is_free(z, s, s + nr_pages, &busy))
				return (long)s;
			s = ALIGN_UP(busy + 1, align);
		}
	}
	return -1;
}

struct page *zone_alloc_contig_pages(struct zone *z, unsigned long nr_pages,
				     unsigned long align_pages, gfp_t gfp)
{
	unsigned int order = order_covering(nr_pages);
	struct page *page = NULL;
	long start = -1;

	if (align_pages == 0)
		align_pages = 1;
	if (nr_pages == 0 || (align_pages & (align_pages - 1)))
		return NULL;
	if (nr_pages != 1UL << order)
		gfp &= ~__GFP_COMP; /* only a power of two can be a compound page */

	spin_lock(&z->lock);
	if (!should_fail_alloc_page(gfp, order))
		start = find_free_range(z, nr_pages, align_pages);
	if (start >= 0) {
		take_free_range(z, (unsigned long)start, (unsigned long)start + nr_pages);
		page = pfn_to_page((unsigned long)start);
		prep_alloc_state(z, page, nr_pages, order, gfp);
	}
	spin_unlock(&z->lock);

	if (page && (gfp & __GFP_ZERO))
		zero_pages(page, nr_pages);
	return page;
}

void zone_free_contig_pages(struct zone *z, struct page *page, unsigned long nr_pages)
{
	unsigned long pfn = page_to_pfn(page);
	const char *why;

	spin_lock(&z->lock);
	why = free_page_check(z, page, nr_pages, false);
	if (!why && !memmap_range_present(z, pfn, pfn + nr_pages))
		why = "range outside the memmap";
	if (!why) {
		clear_alloc_state(z, page, nr_pages);
		free_range_blocks(z, pfn, pfn + nr_pages);
	}
	spin_unlock(&z->lock);
	if (why)
		bad_page(z, page, why);
}

struct page *alloc_contig_pages(unsigned long nr_pages, unsigned long align_pages, gfp_t gfp)
{
	return zone_alloc_contig_pages(&normal_zone, nr_pages, align_pages, gfp);
}

void free_contig_pages(struct page *page, unsigned long nr_pages)
{
	zone_free_contig_pages(&normal_zone, page, nr_pages);
}
