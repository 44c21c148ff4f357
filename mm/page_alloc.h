/*
 * The buddy allocator: the one frame allocator everything uses after boot
 * (page tables, vmemmap, hugetlb). One node, one real zone ("Normal"), free
 * lists for orders 0..MAX_PAGE_ORDER, a contiguous-range allocator beside them
 * for 1 GiB blocks, exact accounting of every managed frame by purpose, and
 * private arenas (zones carved out of the real one) for tests.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel/spinlock.h"
#include "mm/gfp.h"
#include "mm/list.h"
#include "mm/page.h"

#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)
#define MAX_MEMMAP_RANGES 64

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks, not pages */
};

struct memmap_range {
	unsigned long start_pfn, end_pfn;
};

/*
 * A zone: free lists and counters over a pfn span. The real zone covers all
 * of RAM; an arena (arena_create) covers one block taken from it. Outside
 * mm/page_alloc*.c, mm/arena.c and mm/page_alloc_check.c the fields are read-only
 * (zone_start_pfn and zone_end_pfn, say); a caller only provides the storage
 * of an arena. All fields are protected by lock. Accounting identity, true
 * whenever the lock is free: managed_pages = nr_free + sum(nr_by_purpose).
 */
struct zone {
	struct spinlock lock;
	char name[24]; /* "Normal", or "arena@<pfn>" */
	unsigned long zone_start_pfn, zone_end_pfn;
	unsigned long managed_pages;
	unsigned long nr_free;
	unsigned long nr_by_purpose[NR_PURPOSES];
	unsigned long nr_bad;
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned int nr_memmap_ranges;
	struct memmap_range memmap[MAX_MEMMAP_RANGES];
	struct zone *parent;	     /* arena: the zone its block came from */
	struct list_head arenas;     /* live arenas carved out of this zone */
	struct list_head arena_link; /* arena: entry on parent->arenas (parent's lock) */
};

/* ---- boot: call in this order (see memblock.h for the whole sequence) ---- */

/*
 * Reset the allocator to an empty zone spanning [0, ALIGN_UP(max_pfn, 1024)).
 * vmemmap (and direct_map_base, for __GFP_ZERO) must be set before.
 */
void page_alloc_init(unsigned long max_pfn);

/*
 * Initialise the struct pages of [start_pfn, end_pfn) as reserved, unowned
 * and unreferenced. Both ends must be MAX_ORDER_NR_PAGES-aligned and the
 * struct pages mapped: buddy merging reads any descriptor inside a 4 MiB
 * block that holds a managed frame. Up to 64 calls (ranges).
 */
void memmap_init_range(unsigned long start_pfn, unsigned long end_pfn);

/* Hand a reserved, initialised, aligned block to the allocator (memblock_free_all). */
void __free_pages_core(struct page *page, unsigned int order);

/*
 * Count the reserved frames of [start_pfn, end_pfn) as managed and allocated
 * to @purpose. A frame already counted is skipped, so overlapping calls are safe.
 */
void reserve_bootmem_region(unsigned long start_pfn, unsigned long end_pfn,
			    enum page_purpose purpose);

/*
 * A block memblock never saw (a boot-time 1 GiB hugetlb page whose vmemmap
 * was born optimized, mm/hugetlb_boot.c) joins the allocator already
 * allocated: its range is added to the memmap, its frames counted as
 * managed and allocated to gfp's purpose, @head set as alloc_pages would
 * (refcount 1, nr_alloc @nr); only @head is written, so the tails' struct
 * pages may be shared read-only. Aligned as memmap_init_range wants.
 */
void page_alloc_add_boot_block(struct page *head, unsigned long nr, gfp_t gfp);

/* The most vmemmap frames held at once since boot (/proc/vmstat nr_memmap_pages_peak). */
unsigned long nr_memmap_pages_peak(void);

/* Give one accounted boot-reserved frame to the allocator (e.g. freed boot data). */
void free_reserved_page(struct page *page);

/* ---- allocation (the real zone; zone_* below take the zone) ---- */

/*
 * Allocate 2^order frames, naturally aligned. The head gets refcount 1, the
 * purpose from @gfp and, with __GFP_COMP, the compound head/tail links.
 * NULL when no block is free or fault injection says so (never with __GFP_NOFAIL).
 * Takes the zone lock; does not sleep.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/*
 * Free a block from alloc_pages. The caller holds the only reference
 * (refcount 1) and passes the order it allocated. A wrong free (double free,
 * tail page, extra references, reserved page, wrong order, a page of another
 * zone) is reported through bad_page() and refused: nothing changes.
 */
void __free_pages(struct page *page, unsigned int order);
/* __free_pages for a plain block whose tails the caller just wrote free. */
void free_pages_tails_clean(struct page *page, unsigned int order);

#define alloc_page(gfp) alloc_pages(gfp, 0)
#define __free_page(page) __free_pages(page, 0)

/*
 * Turn an allocated non-compound block of 2^order frames into 2^order
 * order-0 allocations, each with refcount 1 and the head's purpose.
 */
void split_page(struct page *page, unsigned int order);

/* Move an allocation (or an accounted reserved frame) to another purpose. */
void page_set_purpose(struct page *page, enum page_purpose purpose);

/*
 * The contiguous-range allocator (Linux's alloc_contig_pages): @nr_pages free
 * frames starting at a multiple of @align_pages (a power of two), for blocks
 * above MAX_PAGE_ORDER such as 1 GiB. With __GFP_COMP and a power-of-two
 * @nr_pages the range is one compound page of that order. Slow (scans the
 * zone); NULL if no aligned range is wholly free.
 */
struct page *alloc_contig_pages(unsigned long nr_pages, unsigned long align_pages, gfp_t gfp);

/* Free a range from alloc_contig_pages; same checks as __free_pages. */
void free_contig_pages(struct page *page, unsigned long nr_pages);

/* ---- counters (exact: totalram = free + sum of allocated by purpose) ---- */

unsigned long totalram_pages(void);
unsigned long nr_free_pages(void);
unsigned long nr_pages_by_purpose(enum page_purpose purpose);
const char *page_purpose_name(enum page_purpose purpose);

/* Free blocks per order, for /proc/buddyinfo ("Node 0, zone   Normal" ...). */
void buddyinfo_counts(unsigned long counts[NR_PAGE_ORDERS]);

/*
 * Walk every free list and check: each entry PageBuddy with its list's order,
 * aligned, inside the zone, no two blocks overlapping, no free buddy left
 * unmerged; recount free pages; check totalram = free + allocated. Returns 0,
 * or -EINVAL with the first broken rule written to @why.
 */
int page_alloc_check_invariants(char *why, size_t len);

/* ---- debug reports ---- */

/* @zone is the zone the refused operation was made on. */
typedef void (*bad_page_hook_t)(struct zone *zone, struct page *page, const char *reason);

/*
 * Install the reporter for a refused free, for every zone; NULL restores the
 * default, which prints the zone, the pfn and the reason and panics. Returns
 * the previous hook. A test hook may pass reports of other zones on to it.
 */
bad_page_hook_t set_bad_page_hook(bad_page_hook_t hook);

/* Refused frees on the real zone since boot. */
unsigned long nr_bad_pages(void);

/* ---- the same on an explicit zone (the real one or an arena) ---- */

/*
 * As alloc_pages, __free_pages, alloc_contig_pages, free_contig_pages and
 * page_set_purpose, on @z: only pages of @z may be freed to it (a pfn
 * outside it, or inside an arena carved out of it, is refused). Each takes
 * @z's lock only; fault injection applies to every zone.
 */
struct page *zone_alloc_pages(struct zone *z, gfp_t gfp, unsigned int order);
void zone_free_pages(struct zone *z, struct page *page, unsigned int order);
struct page *zone_alloc_contig_pages(struct zone *z, unsigned long nr_pages,
				     unsigned long align_pages, gfp_t gfp);
void zone_free_contig_pages(struct zone *z, struct page *page, unsigned long nr_pages);
void zone_page_set_purpose(struct zone *z, struct page *page, enum page_purpose purpose);

unsigned long zone_managed_pages(const struct zone *z);
unsigned long zone_nr_free(const struct zone *z);
unsigned long zone_nr_by_purpose(const struct zone *z, enum page_purpose purpose);
unsigned long zone_nr_bad(const struct zone *z);
void zone_buddyinfo_counts(struct zone *z, unsigned long counts[NR_PAGE_ORDERS]);
int zone_check_invariants(struct zone *z, char *why, size_t len);

/* ---- private arenas (tests; see mm/arena.c for who owns which pfn) ---- */

/*
 * Take a naturally aligned block of @nr_pages (a power of two, at least
 * MAX_ORDER_NR_PAGES) from the real zone and make @z a zone of its own over
 * exactly that span, all of it free in max-order blocks. @z is the caller's
 * storage and must stay put until arena_destroy. 0, -EINVAL for a bad size,
 * -ENOMEM when the real zone has no such block (the real zone is unchanged).
 */
int arena_create(struct zone *z, unsigned long nr_pages);

/*
 * Give the arena's block back to the real zone, whose accounting is then
 * exactly as before arena_create. Every page of the arena must be free and
 * its invariants hold; otherwise it says why on the console, returns -EBUSY
 * (or -EINVAL) and the arena stays as it is. The caller makes sure nobody
 * else uses the arena from the call on.
 */
int arena_destroy(struct zone *z);

#endif
