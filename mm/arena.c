/*
 * Private arenas (Zircon's ManagedPmmNode): a zone of its own over one
 * naturally aligned block taken from the real zone, so a test can exhaust,
 * fragment and break-free it while everyone else allocates from the real
 * free lists, untouched. Both zones share the one vmemmap.
 *
 * Who owns a pfn. Every pfn is owned by exactly one zone at a time, and only
 * the owner (under its own lock, or the holder of an allocation it made)
 * reads or writes that pfn's struct page:
 *
 *  - arena_create takes the block with an ordinary allocation from the real
 *    zone, so from the real zone's side the span is one allocation (counted
 *    under ARENA_PURPOSE) and on none of its free lists. It then links the
 *    arena on parent->arenas under the parent's lock, and only after that
 *    rewrites the struct pages and frees them into the arena.
 *  - The real zone never reads a struct page of a live arena's span: its
 *    free lists hold no block there; its merging (__free_one_page) reads only
 *    buddies inside the MAX_ORDER-aligned block of the block it frees, and an
 *    arena is whole MAX_ORDER blocks (hence nr_pages >= MAX_ORDER_NR_PAGES);
 *    its frees refuse a range overlapping a live arena (free_page_check) and
 *    its contiguous scan and invariant checker skip such spans, all by pfn
 *    arithmetic against parent->arenas under the parent's lock.
 *  - The arena never reads a struct page outside its span: it frees only
 *    pfns inside [zone_start_pfn, zone_end_pfn), its merging stops at those
 *    edges (pfn_in_zone) and its only memmap range is the span.
 *  - arena_destroy is create backwards: once every arena page is free, it
 *    writes the struct pages back to the state of the real zone's one
 *    allocation, unlinks the arena under the parent's lock and frees the
 *    block to the real zone, which merges it back.
 *
 * Fields: either zone, on a pfn it owns, touches flags (PG_buddy,
 * PG_reserved, PG_head, the compound-order and purpose bits), lru (free-list
 * link), private (buddy order), compound_head, _refcount and nr_alloc.
 * _mapcount and _spare belong to whoever holds the allocation; the hand-over
 * resets them (-1 and 0) as memmap_init_range does. Ownership passes whole,
 * so no field is ever shared between the two zones' locks.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/page_alloc_priv.h"

struct zone *zone_arena_in(struct zone *z, unsigned long start_pfn, unsigned long end_pfn)
{
	struct list_head *pos;

	list_for_each (pos, &z->arenas) {
		struct zone *a = list_entry(pos, struct zone, arena_link);

		if (start_pfn < a->zone_end_pfn && end_pfn > a->zone_start_pfn)
			return a;
	}
	return NULL;
}

/* Publish @a on @parent: from here @parent no longer reads @a's struct pages. */
static void arena_link(struct zone *parent, struct zone *a)
{
	spin_lock(&parent->lock);
	list_add(&a->arena_link, &parent->arenas);
	spin_unlock(&parent->lock);
}

static void arena_unlink(struct zone *parent, struct zone *a)
{
	spin_lock(&parent->lock);
	list_del(&a->arena_link);
	spin_unlock(&parent->lock);
}

int arena_create(struct zone *z, unsigned long nr_pages)
{
	struct zone *parent = &normal_zone;
	unsigned long start, end;
	struct page *block;

	if (nr_pages < MAX_ORDER_NR_PAGES || (nr_pages & (nr_pages - 1)))
		return -EINVAL;
	block = zone_alloc_contig_pages(parent, nr_pages, nr_pages,
					__GFP_PURPOSE(ARENA_PURPOSE) | __GFP_NOWARN);
	if (!block)
		return -ENOMEM;
	start = page_to_pfn(block);
	end = start + nr_pages;
	zone_init(z, NULL, start, end);
	snprintf(z->name, sizeof(z->name), "arena@%lx", start);
	zone_add_memmap_range(z, start, end);
	z->parent = parent;
	arena_link(parent, z);

	/* The arena is not published yet: nobody else can reach its lock or pages. */
	for (unsigned long pfn = start; pfn < end; pfn++)
		reset_page(pfn_to_page(pfn));
	spin_lock(&z->lock);
	z->managed_pages = nr_pages;
	for (unsigned long pfn = start; pfn < end; pfn += MAX_ORDER_NR_PAGES)
		__free_one_page(z, pfn, MAX_PAGE_ORDER);
	spin_unlock(&z->lock);
	return 0;
}

/* 0 if every page of @z is free and its invariants hold; else says why. */
static int arena_check_idle(struct zone *z)
{
	char why[128];
	unsigned long busy;
	int err;

	spin_lock(&z->lock);
	busy = z->managed_pages - z->nr_free;
	spin_unlock(&z->lock);
	if (busy) {
		printk("arena_destroy: %s: %lu pages still allocated; not destroyed\n", z->name,
		       busy);
		return -EBUSY;
	}
	err = zone_check_invariants(z, why, sizeof(why));
	if (err)
		printk("arena_destroy: %s: %s; not destroyed\n", z->name, why);
	return err;
}

int arena_destroy(struct zone *z)
{
	struct zone *parent = z->parent;
	unsigned long start = z->zone_start_pfn, nr = z->zone_end_pfn - z->zone_start_pfn;
	struct page *head = pfn_to_page(start);
	int err;

	if (!parent || z == parent)
		return -EINVAL;
	err = arena_check_idle(z);
	if (err)
		return err;

	/* Back to the state zone_alloc_contig_pages left: one plain allocation. */
	for (unsigned long i = 0; i < nr; i++)
		reset_page(head + i);
	set_page_count(head, 1);
	head->nr_alloc = nr;
	set_page_purpose_bits(head, ARENA_PURPOSE);
	arena_unlink(parent, z);
	zone_init(z, "destroyed arena", 0, 0); /* a second destroy gets -EINVAL */
	zone_free_contig_pages(parent, head, nr);
	return 0;
}
