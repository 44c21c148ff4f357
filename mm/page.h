/*
 * struct page: one 64-byte descriptor per 4 KiB frame, in one virtually
 * contiguous array (the vmemmap), so pfn <-> page is pointer arithmetic.
 * 64 bytes is a power of two so a 4 KiB vmemmap page holds exactly 64 of them
 * and HVO can share the tail descriptors of a huge page (linux-hvo.md 1.1).
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "flushlab/layout.h" /* PAGE_SHIFT, PAGE_SIZE */
#include "mm/gfp.h"
#include "mm/list.h"

struct page {
	unsigned long flags;	     /*  0: PG_* bits; packed fields from bit 32 */
	struct list_head lru;	     /*  8: free list link, or the owner's list */
	unsigned long compound_head; /* 24: tail pages: head address | 1, else 0 */
	unsigned long private;	     /* 32: buddy order of a free head; owner's word */
	int _refcount;		     /* 40: 0 free or tail; 1 when allocated */
	int _mapcount;		     /* 44: -1 = not mapped (Linux's bias) */
	unsigned long nr_alloc;	     /* 48: pages in the allocation this head starts */
	unsigned long _spare;	     /* 56: free for later users (hugetlb) */
};
_Static_assert(sizeof(struct page) == 64, "struct page must be 64 bytes");

enum pageflags {
	PG_reserved,	      /* not in the buddy allocator (boot, firmware, hole) */
	PG_buddy,	      /* head of a free block on a free list */
	PG_head,	      /* head of a compound page */
	PG_hugetlb,	      /* head of a hugetlb pool page */
	PG_vmemmap_optimized, /* HVO: this huge page's tail descriptors are shared */
	NR_PAGEFLAGS
};

/*
 * Packed fields in flags, read through accessors:
 *   bits 32-39: compound order (in the first tail page, like Linux's folio)
 *   bits 40-43: enum page_purpose (allocated heads and accounted reserved pages)
 */
#define PAGE_ORDER_SHIFT 32
#define PAGE_ORDER_MASK 0xffUL
#define PAGE_PURPOSE_SHIFT 40
#define PAGE_PURPOSE_MASK 0xfUL

/*
 * PageFoo/__SetPageFoo/__ClearPageFoo are plain read-modify-writes for code
 * that owns the page (allocator under its lock); SetPageFoo/ClearPageFoo are
 * atomic for flags others may touch concurrently.
 */
#define PAGEFLAG(uname, lname)                                                                     \
	static inline bool Page##uname(const struct page *p)                                       \
	{                                                                                          \
		return (p->flags >> PG_##lname) & 1;                                               \
	}                                                                                          \
	static inline void __SetPage##uname(struct page *p)                                        \
	{                                                                                          \
		p->flags |= 1UL << PG_##lname;                                                     \
	}                                                                                          \
	static inline void __ClearPage##uname(struct page *p)                                      \
	{                                                                                          \
		p->flags &= ~(1UL << PG_##lname);                                                  \
	}                                                                                          \
	static inline void SetPage##uname(struct page *p)                                          \
	{                                                                                          \
		__atomic_or_fetch(&p->flags, 1UL << PG_##lname, __ATOMIC_SEQ_CST);                 \
	}                                                                                          \
	static inline void ClearPage##uname(struct page *p)                                        \
	{                                                                                          \
		__atomic_and_fetch(&p->flags, ~(1UL << PG_##lname), __ATOMIC_SEQ_CST);             \
	}

PAGEFLAG(Reserved, reserved)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(Head, head)
PAGEFLAG(HugeTLB, hugetlb)
PAGEFLAG(VmemmapOptimized, vmemmap_optimized)
#undef PAGEFLAG

/* The array's virtual base and the direct map's; arch code sets both at boot. */
extern struct page *vmemmap;
extern uintptr_t direct_map_base;

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((uint64_t)(pfn) << PAGE_SHIFT)

#define pfn_to_page(pfn) (vmemmap + (pfn))
#define page_to_pfn(p) ((unsigned long)((p)-vmemmap))

/* The frame's bytes through the direct map. */
static inline void *page_address(const struct page *page)
{
	return (void *)(direct_map_base + (page_to_pfn(page) << PAGE_SHIFT));
}

/*
 * ---- compound pages ----
 * A tail's compound_head holds a mask with bit 0 set, not its head's
 * address: the head is the tail's own address rounded down to the compound
 * page's size in struct pages (compound pages are naturally aligned in pfn,
 * and the vmemmap base is aligned far beyond that). Every tail of one order
 * is therefore byte-identical whichever page it belongs to, which is what
 * lets HVO map the tail struct pages of every huge page of that order onto
 * one shared read-only page (the 2026 Linux design: no "fake heads").
 */

static inline bool PageTail(const struct page *page)
{
	return page->compound_head & 1;
}

static inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

static inline struct page *compound_head(const struct page *page)
{
	unsigned long info = __atomic_load_n(&page->compound_head, __ATOMIC_RELAXED);

	if (info & 1)
		return (struct page *)((unsigned long)page & (info & ~1UL));
	return (struct page *)page;
}

/* Make @tail a tail of the order-@order compound page that contains it. */
static inline void set_compound_tail(struct page *tail, unsigned int order)
{
	tail->compound_head = ~((sizeof(struct page) << order) - 1) | 1;
}

static inline void clear_compound_head(struct page *tail)
{
	tail->compound_head = 0;
}

/* The order of a compound head, 0 for any other page (Linux's contract). */
static inline unsigned int compound_order(const struct page *page)
{
	if (!PageHead(page))
		return 0;
	return (page[1].flags >> PAGE_ORDER_SHIFT) & PAGE_ORDER_MASK;
}

static inline void set_compound_order(struct page *head, unsigned int order)
{
	head[1].flags &= ~(PAGE_ORDER_MASK << PAGE_ORDER_SHIFT);
	head[1].flags |= ((unsigned long)order & PAGE_ORDER_MASK) << PAGE_ORDER_SHIFT;
}

static inline bool page_is_head(const struct page *page)
{
	return PageHead(page);
}

static inline bool page_is_tail(const struct page *page)
{
	return PageTail(page);
}

/* ---- purpose (accounting owner) of an allocated head ---- */

static inline enum page_purpose page_purpose(const struct page *page)
{
	return (enum page_purpose)((page->flags >> PAGE_PURPOSE_SHIFT) & PAGE_PURPOSE_MASK);
}

/* Raw field write; page_set_purpose() (page_alloc.h) also moves the accounting. */
static inline void set_page_purpose_bits(struct page *page, enum page_purpose p)
{
	page->flags &= ~(PAGE_PURPOSE_MASK << PAGE_PURPOSE_SHIFT);
	page->flags |= ((unsigned long)p & PAGE_PURPOSE_MASK) << PAGE_PURPOSE_SHIFT;
}

/* ---- buddy order of a free head (Linux keeps it in page->private) ---- */

static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page->private;
}

/* ---- reference and map counts ---- */

static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

static inline void page_ref_inc(struct page *page)
{
	__atomic_add_fetch(&page->_refcount, 1, __ATOMIC_SEQ_CST);
}

static inline int page_ref_dec_return(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_SEQ_CST);
}

/* get_page: take a reference on the page's head (compound pages share one). */
static inline void get_page(struct page *page)
{
	page_ref_inc(compound_head(page));
}

/*
 * put_page: drop a reference to an order-0 page; the last one frees it
 * (__free_pages wants the single reference it checks, so it gets 1 back).
 */
void put_page(struct page *page);

/* How many page-table entries map this page (Linux's -1 bias: -1 = none). */
static inline int page_mapcount(const struct page *page)
{
	return __atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED) + 1;
}

static inline bool page_mapped(const struct page *page)
{
	return page_mapcount(page) > 0;
}

/* A freshly allocated anonymous page gets its first mapping (Linux's folio_add_new_anon_rmap). */
static inline void page_add_new_anon_rmap(struct page *page)
{
	__atomic_store_n(&page->_mapcount, 0, __ATOMIC_RELAXED);
}

/* One more mapping of an already mapped page (fork, later). */
static inline void page_dup_rmap(struct page *page)
{
	__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_SEQ_CST);
}

/* One mapping fewer; the caller still holds the mapping's reference to put. */
static inline void page_remove_rmap(struct page *page)
{
	__atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_SEQ_CST);
}

#endif
