/*
 * The free-list primitives and zone helpers shared by the buddy allocator's
 * files (page_alloc.c, contig_alloc.c, arena.c, page_alloc_check.c). Not for other
 * subsystems: they use page_alloc.h.
 */
#ifndef MM_PAGE_ALLOC_PRIV_H
#define MM_PAGE_ALLOC_PRIV_H

#include "mm/page_alloc.h"

/* The purpose the real zone counts an arena's block under while it lives. */
#define ARENA_PURPOSE PURPOSE_OTHER

extern struct zone normal_zone;

static inline bool pfn_in_zone(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < z->zone_end_pfn;
}

/* Empty zone @name over [start_pfn, end_pfn): no memmap ranges, nothing free. */
void zone_init(struct zone *z, const char *name, unsigned long start_pfn, unsigned long end_pfn);

/* Record [start, end) (MAX_ORDER_NR_PAGES-aligned) as initialised memmap of @z. */
void zone_add_memmap_range(struct zone *z, unsigned long start_pfn, unsigned long end_pfn);

/* Does [start, end) lie inside one range of @z whose struct pages are initialised? */
bool memmap_range_present(const struct zone *z, unsigned long start_pfn, unsigned long end_pfn);

/* A struct page with no state at all: not reserved, free of every zone's marks. */
void reset_page(struct page *page);

/*
 * The live arena carved out of @z that overlaps [start, end), or NULL.
 * @z's lock is held (it protects @z->arenas).
 */
struct zone *zone_arena_in(struct zone *z, unsigned long start_pfn, unsigned long end_pfn);

/* Free-list primitives; the caller holds z->lock. */
void del_page_from_free_list(struct zone *z, struct page *page, unsigned int order);
void __free_one_page(struct zone *z, unsigned long pfn, unsigned int order);

/* Clear the allocation state of a head (and its compound tails) before freeing. */
void clear_alloc_state(struct zone *z, struct page *page, unsigned long nr_pages);

/* Mark [page, page + nr_pages) as one allocation for @gfp; lock held. */
void prep_alloc_state(struct zone *z, struct page *page, unsigned long nr_pages, unsigned int order,
		      gfp_t gfp);

/* Zero the frames (after dropping the lock). */
void zero_pages(struct page *page, unsigned long nr_pages);

/*
 * Why freeing [page, page + nr_pages) to @z would be wrong, or NULL if it is
 * fine. Reads only; z->lock is held.
 */
/* Only the head's checks (the block's tails are the caller's word). */
const char *free_page_check_head(struct zone *z, struct page *page, unsigned long nr);
const char *free_page_check(struct zone *z, struct page *page, unsigned long nr_pages,
			    bool buddy_sized);

/* Report a refused operation on @z (lock not held): counts it and calls the hook. */
void bad_page(struct zone *z, struct page *page, const char *reason);

#endif
