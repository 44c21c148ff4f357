/*
 * A tmpfs file's page cache (Linux's address_space and its i_pages): an
 * index from a page offset in the file to the struct page holding it, a
 * three-level radix of one-page nodes (512 slots each), so a file may
 * reach PAGE_CACHE_MAX_PAGES pages. Data pages and nodes come from the
 * buddy allocator as PURPOSE_SHMEM: MemFree and /proc/meminfo's Shmem
 * count both. Callers hold tree_lock (a spinlock: faults look pages up
 * with the mm's lock held) and take a page reference before they drop it.
 */
#ifndef FS_PAGE_CACHE_H
#define FS_PAGE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/spinlock.h"

#define PAGE_CACHE_MAX_PAGES (1UL << 27) /* 512 GiB: three levels of 512 */

struct page;

struct address_space {
	void *root;		   /* the top node, or NULL when empty */
	unsigned long nrpages;	   /* data pages in the index */
	unsigned long nrnodes;	   /* node pages (freed when the last page goes) */
	struct spinlock tree_lock; /* the index, and the inode's i_size for faults */
	/* Pages being unmapped by a truncate or punch: a fault there waits (retries). */
	unsigned long unmap_start, unmap_end;
};

/* The page at @index, or NULL (a hole). */
struct page *find_get_page(struct address_space *m, unsigned long index);

/* The page at @index, a new zeroed one if it was a hole: NULL when memory is short. */
struct page *find_or_create_page(struct address_space *m, unsigned long index);

/* Free every page in [@start, @end) (page offsets); the nodes go with the last page. */
void truncate_inode_pages_range(struct address_space *m, unsigned long start, unsigned long end);

#endif
