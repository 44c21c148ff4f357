/*
 * The zone and the free-list primitives shared by the buddy allocator's
 * files (page_alloc.c, contig_alloc.c, mm_debug.c). Not for other subsystems:
 * they use page_alloc.h.
 */
#ifndef MM_PAGE_ALLOC_PRIV_H
#define MM_PAGE_ALLOC_PRIV_H

#include "kernel/spinlock.h"
#include "mm/page_alloc.h"

#define MAX_MEMMAP_RANGES 64

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks, not pages */
};

struct memmap_range {
	unsigned long start_pfn, end_pfn;
};

/*
 * The one zone. All fields are protected by lock. Accounting identity, true
 * whenever the lock is free: managed_pages = nr_free + sum(nr_by_purpose).
 */
struct zone {
	struct spinlock lock;
	unsigned long zone_start_pfn, zone_end_pfn;
	unsigned long managed_pages;
	unsigned long nr_free;
	unsigned long nr_by_purpose[NR_PURPOSES];
	unsigned long nr_bad;
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned int nr_memmap_ranges;
	struct memmap_range memmap[MAX_MEMMAP_RANGES];
};

extern struct zone normal_zone;

static inline bool pfn_in_zone(unsigned long pfn)
{
	return pfn >= normal_zone.zone_start_pfn && pfn < normal_zone.zone_end_pfn;
}

/* Does [start, end) lie inside one range whose struct pages are initialised? */
bool memmap_range_present(unsigned long start_pfn, unsigned long end_pfn);

/* Free-list primitives; the caller holds normal_zone.lock. */
void del_page_from_free_list(struct page *page, unsigned int order);
void __free_one_page(unsigned long pfn, unsigned int order);

/* Clear the allocation state of a head (and its compound tails) before freeing. */
void clear_alloc_state(struct page *page, unsigned long nr_pages);

/* Mark [page, page + nr_pages) as one allocation for @gfp; lock held. */
void prep_alloc_state(struct page *page, unsigned long nr_pages, unsigned int order, gfp_t gfp);

/* Zero the frames (after dropping the lock). */
void zero_pages(struct page *page, unsigned long nr_pages);

/*
 * Why freeing [page, page + nr_pages) would be wrong, or NULL if it is fine.
 * Reads only; the lock is held.
 */
const char *free_page_check(struct page *page, unsigned long nr_pages, bool buddy_sized);

/* Report a refused operation (lock not held): counts it and calls the hook. */
void bad_page(struct page *page, const char *reason);

#endif
