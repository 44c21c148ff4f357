/*
 * The buddy allocator's debug side, always on because the lab wants wrong
 * frees caught where they happen: the checks behind a refused free, the
 * bad_page report, the invariant checker tests run after every scenario, and
 * the /proc/buddyinfo counts, each for any zone (the real one or an arena).
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/page_alloc_priv.h"

static const char *const purpose_names[NR_PURPOSES] = {
    [PURPOSE_KERNEL_IMAGE] = "kernel_image",
    [PURPOSE_PAGE_TABLE] = "page_table",
    [PURPOSE_VMEMMAP] = "vmemmap",
    [PURPOSE_BOOT_DATA] = "boot_data",
    [PURPOSE_HUGETLB] = "hugetlb",
    [PURPOSE_OTHER] = "other",
    [PURPOSE_ANON] = "anon",
    [PURPOSE_TRACE] = "trace",
    [PURPOSE_SHMEM] = "shmem",
};

const char *page_purpose_name(enum page_purpose purpose)
{
	return purpose < NR_PURPOSES ? purpose_names[purpose] : "?";
}

/* ---- bad_page ---- */

static void default_bad_page(struct zone *z, struct page *page, const char *reason)
{
	panic("BUG: Bad page state in zone %s: pfn 0x%lx: %s (flags 0x%lx refcount %d "
	      "mapcount %d)",
	      z->name, page_to_pfn(page), reason, page->flags, page->_refcount, page->_mapcount);
}

/* Read once per report; a hook is swapped by a test on one CPU, not raced. */
static bad_page_hook_t bad_page_hook = default_bad_page;

bad_page_hook_t set_bad_page_hook(bad_page_hook_t hook)
{
	bad_page_hook_t old = bad_page_hook;

	bad_page_hook = hook ? hook : default_bad_page;
	return old;
}

void bad_page(struct zone *z, struct page *page, const char *reason)
{
	bad_page_hook_t hook = READ_ONCE(bad_page_hook);

	spin_lock(&z->lock);
	z->nr_bad++;
	spin_unlock(&z->lock);
	hook(z, page, reason);
}

unsigned long zone_nr_bad(const struct zone *z)
{
	return READ_ONCE(z->nr_bad);
}

unsigned long nr_bad_pages(void)
{
	return zone_nr_bad(&normal_zone);
}

/* ---- free checks ---- */

static const char *check_head(struct zone *z, struct page *page, unsigned long nr, bool buddy_sized)
{
	unsigned long pfn = page_to_pfn(page);

	if (!pfn_in_zone(z, pfn) || nr > z->zone_end_pfn - pfn)
		return "pfn outside the zone";
	if (zone_arena_in(z, pfn, pfn + nr))
		return "pfn belongs to a private arena, not this zone";
	if (PageTail(page))
		return "freeing a tail page";
	if (PageBuddy(page))
		return "double free: page is already free";
	if (PageReserved(page))
		return "freeing a reserved page";
	if (buddy_sized && !IS_ALIGNED(pfn, nr))
		return "pfn not aligned to the order";
	if (page_ref_count(page) == 0)
		return "refcount 0: page is not allocated (double free?)";
	if (page_ref_count(page) != 1)
		return page_ref_count(page) > 1 ? "page has extra references" : "negative refcount";
	if (page->nr_alloc != nr)
		return "wrong order: not the size it was allocated with";
	if (page->_mapcount != -1)
		return "page is still mapped";
	if (PageHugeTLB(page))
		return "page is still a hugetlb page";
	if (PageHead(page) && nr != 1UL << compound_order(page))
		return "compound order does not match";
	return NULL;
}

const char *free_page_check_head(struct zone *z, struct page *page, unsigned long nr)
{
	return check_head(z, page, nr, true);
}

const char *free_page_check(struct zone *z, struct page *page, unsigned long nr, bool buddy_sized)
{
	const char *why = check_head(z, page, nr, buddy_sized);

	if (why)
		return why;
	for (unsigned long i = 1; i < nr; i++) {
		struct page *p = page + i;

		if (PageBuddy(p) || PageReserved(p))
			return "block contains a free or reserved page";
		if (page_ref_count(p) != 0 || p->nr_alloc)
			return "block contains an allocated page";
		if (PageHead(page) && compound_head(p) != page)
			return "corrupt compound tail";
		if (!PageHead(page) && PageTail(p))
			return "block contains another compound page";
	}
	return NULL;
}

/* ---- invariant checker ---- */

#define FAIL(...) (snprintf(why, len, __VA_ARGS__), -EINVAL)

static int check_free_block(struct zone *z, struct page *page, unsigned int order, char *why,
			    size_t len)
{
	unsigned long pfn = page_to_pfn(page), nr = 1UL << order;
	unsigned long buddy_pfn = pfn ^ nr;

	if (!pfn_in_zone(z, pfn) || !memmap_range_present(z, pfn, pfn + nr))
		return FAIL("order-%u block at pfn 0x%lx outside the memmap", order, pfn);
	if (zone_arena_in(z, pfn, pfn + nr))
		return FAIL("order-%u block at pfn 0x%lx inside a live arena", order, pfn);
	if (!PageBuddy(page) || buddy_order(page) != order)
		return FAIL("pfn 0x%lx on the order-%u list is not a free order-%u head", pfn,
			    order, order);
	if (!IS_ALIGNED(pfn, nr))
		return FAIL("pfn 0x%lx misaligned for order %u", pfn, order);
	if (page->flags & ~(1UL << PG_buddy) || page_ref_count(page) || page->nr_alloc)
		return FAIL("free pfn 0x%lx has state (flags 0x%lx)", pfn, page->flags);
	for (unsigned long i = 1; i < nr; i++) {
		if (page[i].flags || page_ref_count(page + i) || page[i].nr_alloc ||
		    page[i].compound_head)
			return FAIL("pfn 0x%lx inside a free block has state", pfn + i);
	}
	if (order < MAX_PAGE_ORDER && pfn_in_zone(z, buddy_pfn) &&
	    PageBuddy(pfn_to_page(buddy_pfn)) && buddy_order(pfn_to_page(buddy_pfn)) == order)
		return FAIL("buddies 0x%lx and 0x%lx both free at order %u", pfn, buddy_pfn, order);
	return 0;
}

static int check_free_lists(struct zone *z, unsigned long *nr_blocks, char *why, size_t len)
{
	unsigned long free = 0;

	*nr_blocks = 0;
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &z->free_area[o];
		struct list_head *pos;
		unsigned long n = 0;
		int err;

		list_for_each (pos, &area->free_list) {
			if (n++ >= area->nr_free)
				return FAIL("order-%u list longer than nr_free %lu", o,
					    area->nr_free);
			err = check_free_block(z, list_entry(pos, struct page, lru), o, why, len);
			if (err)
				return err;
		}
		if (n != area->nr_free)
			return FAIL("order-%u list has %lu blocks, nr_free says %lu", o, n,
				    area->nr_free);
		free += n << o;
		*nr_blocks += n;
	}
	if (free != z->nr_free)
		return FAIL("free lists hold %lu pages, nr_free says %lu", free, z->nr_free);
	return 0;
}

/*
 * Every struct page of @z: PageBuddy heads match the lists, allocations match
 * the counters. A live arena's span is not read (its struct pages are the
 * arena's): it counts as the one ARENA_PURPOSE allocation it is to @z.
 */
static int check_memmap(struct zone *z, unsigned long nr_blocks, char *why, size_t len)
{
	unsigned long buddies = 0, by_purpose[NR_PURPOSES] = {0};

	for (unsigned int r = 0; r < z->nr_memmap_ranges; r++) {
		const struct memmap_range *mr = &z->memmap[r];

		for (unsigned long pfn = mr->start_pfn; pfn < mr->end_pfn; pfn++) {
			struct page *page = pfn_to_page(pfn);
			struct zone *arena;

			if (IS_ALIGNED(pfn, MAX_ORDER_NR_PAGES) &&
			    (arena = zone_arena_in(z, pfn, pfn + 1))) {
				by_purpose[ARENA_PURPOSE] += arena->zone_end_pfn - pfn;
				pfn = arena->zone_end_pfn - 1;
				continue;
			}
			buddies += PageBuddy(page);
			if (page->nr_alloc)
				by_purpose[page_purpose(page)] += page->nr_alloc;
		}
	}
	if (buddies != nr_blocks)
		return FAIL("%lu PageBuddy heads, %lu blocks on the lists", buddies, nr_blocks);
	for (unsigned int p = 0; p < NR_PURPOSES; p++) {
		if (by_purpose[p] != z->nr_by_purpose[p])
			return FAIL("%s: %lu pages allocated, counter says %lu",
				    page_purpose_name(p), by_purpose[p], z->nr_by_purpose[p]);
	}
	return 0;
}

int zone_check_invariants(struct zone *z, char *why, size_t len)
{
	unsigned long nr_blocks, allocated = 0;
	int err;

	spin_lock(&z->lock);
	err = check_free_lists(z, &nr_blocks, why, len);
	if (!err)
		err = check_memmap(z, nr_blocks, why, len);
	for (unsigned int p = 0; p < NR_PURPOSES; p++)
		allocated += z->nr_by_purpose[p];
	if (!err && z->managed_pages != z->nr_free + allocated)
		err = FAIL("managed %lu != free %lu + allocated %lu", z->managed_pages, z->nr_free,
			   allocated);
	spin_unlock(&z->lock);
	if (!err && len)
		why[0] = '\0';
	return err;
}

int page_alloc_check_invariants(char *why, size_t len)
{
	return zone_check_invariants(&normal_zone, why, len);
}

void zone_buddyinfo_counts(struct zone *z, unsigned long counts[NR_PAGE_ORDERS])
{
	spin_lock(&z->lock);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		counts[o] = z->free_area[o].nr_free;
	spin_unlock(&z->lock);
}

void buddyinfo_counts(unsigned long counts[NR_PAGE_ORDERS])
{
	zone_buddyinfo_counts(&normal_zone, counts);
}
