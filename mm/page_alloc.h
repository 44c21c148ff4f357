/*
 * The buddy allocator: the one frame allocator everything uses after boot
 * (page tables, vmemmap, hugetlb). One node, one zone ("Normal"), free lists
 * for orders 0..MAX_PAGE_ORDER, a contiguous-range allocator beside them for
 * 1 GiB blocks, and exact accounting of every managed frame by purpose.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include "mm/gfp.h"
#include "mm/page.h"

#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)

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

/* Give one accounted boot-reserved frame to the allocator (e.g. freed boot data). */
void free_reserved_page(struct page *page);

/* ---- allocation ---- */

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
 * tail page, extra references, reserved page, wrong order) is reported
 * through bad_page() and refused: nothing changes.
 */
void __free_pages(struct page *page, unsigned int order);

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

typedef void (*bad_page_hook_t)(struct page *page, const char *reason);

/*
 * Install the reporter for a refused free; NULL restores the default, which
 * prints the pfn and the reason and panics. Returns the previous hook.
 */
bad_page_hook_t set_bad_page_hook(bad_page_hook_t hook);

/* Refused frees since boot. */
unsigned long nr_bad_pages(void);

#endif
