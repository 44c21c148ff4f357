/*
 * Shared setup for the mm host tests: a malloc'd struct page array (and,
 * when asked, a malloc'd "physical memory" behind the direct map), and a
 * bad_page hook that records refused frees instead of panicking.
 */
#ifndef TESTS_HOST_MM_TEST_UTIL_H
#define TESTS_HOST_MM_TEST_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "mm/fail_page_alloc.h"
#include "mm/page_alloc.h"

static struct page *mt_memmap;
static unsigned char *mt_backing;
static unsigned long mt_nr_pages;
static int mt_bad_count;
static const char *mt_bad_reason;
static unsigned long mt_bad_pfn;
static struct zone *mt_bad_zone;

static inline void mt_bad_page_hook(struct zone *zone, struct page *page, const char *reason)
{
	mt_bad_count++;
	mt_bad_reason = reason;
	mt_bad_pfn = page_to_pfn(page);
	mt_bad_zone = zone;
}

#define MT_MEMMAP_ALIGN (sizeof(struct page) << 18)

/* A zone of @nr_pages (a multiple of 1024), memmap not yet initialised, nothing freed. */
static inline void mt_setup_empty(unsigned long nr_pages, int with_backing)
{
	free(mt_memmap);
	free(mt_backing);
	/* Aligned like the kernel's vmemmap, as compound_head() relies on it:
	 * to the size of the largest compound page's struct pages (1 GiB). */
	mt_memmap =
	    aligned_alloc(MT_MEMMAP_ALIGN, (nr_pages * sizeof(struct page) + MT_MEMMAP_ALIGN - 1) &
					       ~(MT_MEMMAP_ALIGN - 1));
	mt_backing = with_backing ? aligned_alloc(4096, nr_pages * 4096) : NULL;
	mt_nr_pages = nr_pages;
	vmemmap = mt_memmap;
	direct_map_base = (uintptr_t)mt_backing;
	page_alloc_init(nr_pages);
	fail_page_alloc_reset();
	set_bad_page_hook(mt_bad_page_hook);
	mt_bad_count = 0;
	mt_bad_reason = NULL;
	mt_bad_zone = NULL;
}

/* Free [start, end) to the buddy the way memblock_free_all does. */
static inline void mt_free_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;

		while ((start & ((1UL << order) - 1)) || start + (1UL << order) > end)
			order--;
		__free_pages_core(pfn_to_page(start), order);
		start += 1UL << order;
	}
}

/* Zone of @nr_pages with the first @nr_reserved frames counted as kernel image. */
static inline void mt_setup(unsigned long nr_pages, unsigned long nr_reserved, int with_backing)
{
	mt_setup_empty(nr_pages, with_backing);
	memmap_init_range(0, nr_pages);
	if (nr_reserved)
		reserve_bootmem_region(0, nr_reserved, PURPOSE_KERNEL_IMAGE);
	mt_free_range(nr_reserved, nr_pages);
}

#define EXPECT_INVARIANTS()                                                                        \
	do {                                                                                       \
		char why_[256];                                                                    \
		int r_ = page_alloc_check_invariants(why_, sizeof(why_));                          \
		if (r_)                                                                            \
			HT_REPORT("invariants: %s", why_);                                         \
		EXPECT_EQ(0, r_);                                                                  \
	} while (0)

/* The same for any zone (an arena). */
#define EXPECT_ZONE_INVARIANTS(z)                                                                  \
	do {                                                                                       \
		char why_[256];                                                                    \
		int r_ = zone_check_invariants(z, why_, sizeof(why_));                             \
		if (r_)                                                                            \
			HT_REPORT("%s invariants: %s", (z)->name, why_);                           \
		EXPECT_EQ(0, r_);                                                                  \
	} while (0)

#endif
