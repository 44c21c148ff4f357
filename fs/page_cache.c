/*
 * The page cache index of a tmpfs file (fs/page_cache.h): three levels of
 * one-page nodes, 512 slots each, a page offset's bits 26-18, 17-9 and
 * 8-0 choosing the slot at each level. Nodes are made on the first page
 * under them and all go when the file holds no page (truncate to 0, punch
 * of everything, release), so an empty file holds no memory at all.
 */
#include "fs/page_cache.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

#define SLOTS 512
#define LEVELS 3
#define SLOT_SHIFT 9

static unsigned int slot_at(unsigned long index, int level)
{
	return (index >> (SLOT_SHIFT * (LEVELS - 1 - level))) & (SLOTS - 1);
}

static void **alloc_node(struct address_space *m)
{
	struct page *p = alloc_pages(GFP_SHMEM, 0);

	if (!p)
		return NULL;
	m->nrnodes++;
	return page_address(p);
}

static void free_node(struct address_space *m, void **node)
{
	__free_pages(pfn_to_page(((uintptr_t)node - direct_map_base) >> PAGE_SHIFT), 0);
	m->nrnodes--;
}

/* The leaf node's slot for @index; with @create, make missing nodes. */
static void **leaf_slot(struct address_space *m, unsigned long index, bool create)
{
	void ***slot = (void ***)&m->root;

	for (int level = 0; level < LEVELS - 1; level++) {
		if (!*slot) {
			if (!create || !(*slot = alloc_node(m)))
				return NULL;
		}
		slot = (void ***)&(*slot)[slot_at(index, level)];
	}
	if (!*slot && (!create || !(*slot = alloc_node(m))))
		return NULL;
	return &(*slot)[slot_at(index, LEVELS - 1)];
}

struct page *find_get_page(struct address_space *m, unsigned long index)
{
	void **slot;

	if (index >= PAGE_CACHE_MAX_PAGES)
		return NULL;
	slot = leaf_slot(m, index, false);
	return slot ? *slot : NULL;
}

struct page *find_or_create_page(struct address_space *m, unsigned long index)
{
	void **slot;
	struct page *page;

	if (index >= PAGE_CACHE_MAX_PAGES)
		return NULL;
	slot = leaf_slot(m, index, true);
	if (!slot)
		return NULL; /* nodes made on the way stay until the file is emptied */
	if (!*slot) {
		page = alloc_pages(GFP_SHMEM, 0);
		if (!page)
			return NULL;
		*slot = page;
		m->nrpages++;
	}
	return *slot;
}

/* Free the pages of [start, end) under @node at @level; returns true if @node is now empty. */
static bool truncate_node(struct address_space *m, void **node, int level, unsigned long base,
			  unsigned long start, unsigned long end)
{
	unsigned long span = 1UL << (SLOT_SHIFT * (LEVELS - 1 - level));
	bool empty = true;

	for (unsigned int i = 0; i < SLOTS; i++) {
		unsigned long lo = base + i * span;

		if (node[i] && lo + span > start && lo < end) {
			if (level == LEVELS - 1) {
				put_page(node[i]); /* the cache's reference */
				m->nrpages--;
				node[i] = NULL;
			} else if (truncate_node(m, node[i], level + 1, lo, start, end)) {
				free_node(m, node[i]);
				node[i] = NULL;
			}
		}
		empty &= !node[i];
	}
	return empty;
}

void truncate_inode_pages_range(struct address_space *m, unsigned long start, unsigned long end)
{
	if (!m->root || start >= end)
		return;
	if (truncate_node(m, m->root, 0, 0, start, end)) {
		free_node(m, m->root);
		m->root = NULL;
	}
	if (m->nrpages == 0 && m->root) {
		/* nodes left by a failed allocation: an empty file holds nothing */
		truncate_node(m, m->root, 0, 0, 0, PAGE_CACHE_MAX_PAGES);
		free_node(m, m->root);
		m->root = NULL;
	}
}
