/*
 * The buddy allocator (Knuth; Linux's mm/page_alloc.c in miniature): free
 * blocks of 2^order frames on per-order lists, split on allocation and merged
 * with their buddy on free. Every operation works on one zone under that
 * zone's lock: the real zone (normal_zone, what the public calls use) or a
 * private arena (arena.c). Blocks larger than MAX_PAGE_ORDER come from
 * contig_alloc.c; checks and counters from page_alloc_check.c.
 */
#include "mm/page_alloc.h"

#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"
#include "mm/page_alloc_priv.h"

struct page *vmemmap;
uintptr_t direct_map_base;
struct zone normal_zone;

void zone_init(struct zone *z, const char *name, unsigned long start_pfn, unsigned long end_pfn)
{
	memset(z, 0, sizeof(*z));
	spin_lock_init(&z->lock);
	if (name)
		snprintf(z->name, sizeof(z->name), "%s", name);
	z->zone_start_pfn = start_pfn;
	z->zone_end_pfn = end_pfn;
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		INIT_LIST_HEAD(&z->free_area[o].free_list);
	INIT_LIST_HEAD(&z->arenas);
	INIT_LIST_HEAD(&z->arena_link);
}

void page_alloc_init(unsigned long max_pfn)
{
	zone_init(&normal_zone, "Normal", 0, ALIGN_UP(max_pfn, MAX_ORDER_NR_PAGES));
}

void reset_page(struct page *page)
{
	memset(page, 0, sizeof(*page));
	page->_mapcount = -1;
}

void zone_add_memmap_range(struct zone *z, unsigned long start_pfn, unsigned long end_pfn)
{
	BUG_ON(!IS_ALIGNED(start_pfn, MAX_ORDER_NR_PAGES));
	BUG_ON(!IS_ALIGNED(end_pfn, MAX_ORDER_NR_PAGES));
	BUG_ON(start_pfn >= end_pfn || start_pfn < z->zone_start_pfn || end_pfn > z->zone_end_pfn);
	BUG_ON(z->nr_memmap_ranges == MAX_MEMMAP_RANGES);
	for (unsigned int i = 0; i < z->nr_memmap_ranges; i++)
		BUG_ON(start_pfn < z->memmap[i].end_pfn && end_pfn > z->memmap[i].start_pfn);

	for (unsigned int i = 0; i < z->nr_memmap_ranges; i++) {
		struct memmap_range *r = &z->memmap[i];

		if (r->end_pfn == start_pfn || r->start_pfn == end_pfn) {
			/* adjacent: one range, so a contig block may straddle the seam */
			r->start_pfn = MIN(r->start_pfn, start_pfn);
			r->end_pfn = MAX(r->end_pfn, end_pfn);
			return;
		}
	}
	z->memmap[z->nr_memmap_ranges].start_pfn = start_pfn;
	z->memmap[z->nr_memmap_ranges].end_pfn = end_pfn;
	z->nr_memmap_ranges++;
}

void memmap_init_range(unsigned long start_pfn, unsigned long end_pfn)
{
	zone_add_memmap_range(&normal_zone, start_pfn, end_pfn);
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		reset_page(page);
		__SetPageReserved(page);
	}
}

bool memmap_range_present(const struct zone *z, unsigned long start_pfn, unsigned long end_pfn)
{
	for (unsigned int i = 0; i < z->nr_memmap_ranges; i++) {
		const struct memmap_range *r = &z->memmap[i];

		if (start_pfn >= r->start_pfn && end_pfn <= r->end_pfn)
			return true;
	}
	return false;
}

/* ---- free lists (zone lock held) ---- */

static void add_to_free_list(struct zone *z, struct page *page, unsigned int order)
{
	struct free_area *area = &z->free_area[order];

	__SetPageBuddy(page);
	page->private = order;
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
	z->nr_free += 1UL << order;
}

void del_page_from_free_list(struct zone *z, struct page *page, unsigned int order)
{
	struct free_area *area = &z->free_area[order];

	list_del(&page->lru);
	__ClearPageBuddy(page);
	page->private = 0;
	area->nr_free--;
	z->nr_free -= 1UL << order;
}

/*
 * Free a block and merge it with its buddy as long as the buddy is a free
 * block of the same order. Merging stays inside one MAX_ORDER-aligned block,
 * which memmap_init_range guarantees is wholly initialised and arena.c
 * guarantees belongs wholly to @z.
 */
void __free_one_page(struct zone *z, unsigned long pfn, unsigned int order)
{
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(buddy_pfn);

		if (!pfn_in_zone(z, buddy_pfn) || !PageBuddy(buddy) || buddy_order(buddy) != order)
			break;
		del_page_from_free_list(z, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_to_free_list(z, pfn_to_page(pfn), order);
}

/* Put the upper halves of a split block back: 2^high becomes 2^low + buddies. */
static void expand(struct zone *z, struct page *page, unsigned int low, unsigned int high)
{
	while (high > low) {
		high--;
		add_to_free_list(z, page + (1UL << high), high);
	}
}

static struct page *__rmqueue(struct zone *z, unsigned int order)
{
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &z->free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_page_from_free_list(z, page, o);
		expand(z, page, order, o);
		return page;
	}
	return NULL;
}

/* ---- allocation state of a block ---- */

static void prep_compound_page(struct page *head, unsigned int order)
{
	unsigned long nr = 1UL << order;

	__SetPageHead(head);
	for (unsigned long i = 1; i < nr; i++)
		set_compound_tail(head + i, order);
	set_compound_order(head, order);
}

/* The most vmemmap frames the real zone has held at once (zone lock held to update). */
static unsigned long vmemmap_peak;

static void note_vmemmap_peak(const struct zone *z)
{
	if (z == &normal_zone && z->nr_by_purpose[PURPOSE_VMEMMAP] > vmemmap_peak)
		vmemmap_peak = z->nr_by_purpose[PURPOSE_VMEMMAP];
}

unsigned long nr_memmap_pages_peak(void)
{
	return READ_ONCE(vmemmap_peak);
}

void prep_alloc_state(struct zone *z, struct page *page, unsigned long nr_pages, unsigned int order,
		      gfp_t gfp)
{
	enum page_purpose purpose = gfp_purpose(gfp);

	set_page_count(page, 1);
	page->nr_alloc = nr_pages;
	set_page_purpose_bits(page, purpose);
	if ((gfp & __GFP_COMP) && order > 0)
		prep_compound_page(page, order);
	z->nr_by_purpose[purpose] += nr_pages;
	note_vmemmap_peak(z);
}

void page_alloc_add_boot_block(struct page *head, unsigned long nr, gfp_t gfp)
{
	struct zone *z = &normal_zone;
	unsigned long pfn = page_to_pfn(head);

	spin_lock(&z->lock);
	zone_add_memmap_range(z, pfn, pfn + nr);
	z->managed_pages += nr;
	reset_page(head);
	prep_alloc_state(z, head, nr, 0, gfp & ~__GFP_COMP);
	spin_unlock(&z->lock);
}

void clear_alloc_state(struct zone *z, struct page *page, unsigned long nr_pages)
{
	if (PageHead(page)) {
		for (unsigned long i = 1; i < nr_pages; i++)
			clear_compound_head(page + i);
		set_compound_order(page, 0);
		__ClearPageHead(page);
	}
	z->nr_by_purpose[page_purpose(page)] -= nr_pages;
	set_page_purpose_bits(page, 0);
	set_page_count(page, 0);
	page->nr_alloc = 0;
}

void zero_pages(struct page *page, unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++)
		memset(page_address(page + i), 0, PAGE_SIZE);
}

struct page *zone_alloc_pages(struct zone *z, gfp_t gfp, unsigned int order)
{
	struct page *page = NULL;

	if (order > MAX_PAGE_ORDER)
		return NULL;
	spin_lock(&z->lock);
	if (!should_fail_alloc_page(gfp, order))
		page = __rmqueue(z, order);
	if (page)
		prep_alloc_state(z, page, 1UL << order, order, gfp);
	spin_unlock(&z->lock);

	if (page && (gfp & __GFP_ZERO))
		zero_pages(page, 1UL << order);
	return page;
}

/* Free a block after checking it; @tails_clean skips the walk of its tails. */
static void free_checked(struct zone *z, struct page *page, unsigned int order, bool tails_clean)
{
	unsigned long nr = 1UL << order;
	const char *why;

	spin_lock(&z->lock);
	if (order > MAX_PAGE_ORDER)
		why = "order above MAX_PAGE_ORDER";
	else if (!tails_clean)
		why = free_page_check(z, page, nr, true);
	else
		why = PageHead(page) ? "a compound page: use __free_pages"
				     : free_page_check_head(z, page, nr);
	if (!why) {
		clear_alloc_state(z, page, nr);
		__free_one_page(z, page_to_pfn(page), order);
	}
	spin_unlock(&z->lock);
	if (why)
		bad_page(z, page, why);
}

void zone_free_pages(struct zone *z, struct page *page, unsigned int order)
{
	free_checked(z, page, order, false);
}

/*
 * Free a plain block whose tail struct pages the caller has just written
 * in the free state (HVO's restore writes them as it maps them back): the
 * head gets every check, the tails are not walked again. Linux does the
 * same for non-compound blocks unless page checks are enabled.
 */
void free_pages_tails_clean(struct page *page, unsigned int order)
{
	free_checked(&normal_zone, page, order, true);
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return zone_alloc_pages(&normal_zone, gfp, order);
}

void __free_pages(struct page *page, unsigned int order)
{
	zone_free_pages(&normal_zone, page, order);
}

void put_page(struct page *page)
{
	if (page_ref_dec_return(page) == 0) {
		set_page_count(page, 1); /* the one reference __free_pages checks */
		__free_pages(page, 0);
	}
}

/* Touches only the block's own struct pages, which its owner holds: no zone lock. */
void split_page(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;
	enum page_purpose purpose = page_purpose(page);

	BUG_ON(PageCompound(page) || PageBuddy(page) || page_ref_count(page) != 1);
	BUG_ON(page->nr_alloc != nr);
	for (unsigned long i = 1; i < nr; i++) {
		set_page_count(page + i, 1);
		page[i].nr_alloc = 1;
		set_page_purpose_bits(page + i, purpose);
	}
	page->nr_alloc = 1;
}

void zone_page_set_purpose(struct zone *z, struct page *page, enum page_purpose purpose)
{
	BUG_ON(purpose >= NR_PURPOSES);
	BUG_ON(PageTail(page) || PageBuddy(page) || page->nr_alloc == 0);
	BUG_ON(!pfn_in_zone(z, page_to_pfn(page)));
	spin_lock(&z->lock);
	z->nr_by_purpose[page_purpose(page)] -= page->nr_alloc;
	z->nr_by_purpose[purpose] += page->nr_alloc;
	set_page_purpose_bits(page, purpose);
	spin_unlock(&z->lock);
}

void page_set_purpose(struct page *page, enum page_purpose purpose)
{
	zone_page_set_purpose(&normal_zone, page, purpose);
}

/* ---- boot hand-over (memblock_free_all), the real zone only ---- */

void __free_pages_core(struct page *page, unsigned int order)
{
	struct zone *z = &normal_zone;
	unsigned long nr = 1UL << order;
	unsigned long pfn = page_to_pfn(page);

	BUG_ON(order > MAX_PAGE_ORDER || !IS_ALIGNED(pfn, nr));
	BUG_ON(!memmap_range_present(z, pfn, pfn + nr));
	spin_lock(&z->lock);
	for (unsigned long i = 0; i < nr; i++) {
		BUG_ON(!PageReserved(page + i) || page[i].nr_alloc);
		__ClearPageReserved(page + i);
	}
	z->managed_pages += nr;
	__free_one_page(z, pfn, order);
	spin_unlock(&z->lock);
}

void reserve_bootmem_region(unsigned long start_pfn, unsigned long end_pfn,
			    enum page_purpose purpose)
{
	struct zone *z = &normal_zone;

	BUG_ON(purpose >= NR_PURPOSES);
	spin_lock(&z->lock);
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		BUG_ON(!memmap_range_present(z, pfn, pfn + 1) || !PageReserved(page));
		if (page->nr_alloc)
			continue; /* already counted by an overlapping region */
		page->nr_alloc = 1;
		set_page_count(page, 1);
		set_page_purpose_bits(page, purpose);
		z->nr_by_purpose[purpose]++;
		z->managed_pages++;
	}
	note_vmemmap_peak(z);
	spin_unlock(&z->lock);
}

void free_reserved_page(struct page *page)
{
	struct zone *z = &normal_zone;
	const char *why = NULL;

	spin_lock(&z->lock);
	if (!pfn_in_zone(z, page_to_pfn(page)) || !PageReserved(page) || page->nr_alloc != 1)
		why = "not an accounted boot-reserved page";
	else if (page_ref_count(page) != 1)
		why = "reserved page still referenced";
	if (!why) {
		__ClearPageReserved(page);
		clear_alloc_state(z, page, 1);
		__free_one_page(z, page_to_pfn(page), 0);
	}
	spin_unlock(&z->lock);
	if (why)
		bad_page(z, page, why);
}

/* ---- counters (lockless reads of one word each) ---- */

unsigned long zone_managed_pages(const struct zone *z)
{
	return READ_ONCE(z->managed_pages);
}

unsigned long zone_nr_free(const struct zone *z)
{
	return READ_ONCE(z->nr_free);
}

unsigned long zone_nr_by_purpose(const struct zone *z, enum page_purpose purpose)
{
	return purpose < NR_PURPOSES ? READ_ONCE(z->nr_by_purpose[purpose]) : 0;
}

unsigned long totalram_pages(void)
{
	return zone_managed_pages(&normal_zone);
}

unsigned long nr_free_pages(void)
{
	return zone_nr_free(&normal_zone);
}

unsigned long nr_pages_by_purpose(enum page_purpose purpose)
{
	return zone_nr_by_purpose(&normal_zone, purpose);
}
