/*
 * A small object cache (Linux's kmem_cache names): fixed-size objects
 * carved from single pages, each page freed as soon as its last object is,
 * so MemFree returns exactly once every object is gone. For mm_struct and
 * vm_area_struct; anything that needs a page or more uses alloc_pages.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stddef.h>

#include "kernel/spinlock.h"
#include "mm/list.h"

struct kmem_cache {
	const char *name;
	size_t size;	       /* object size, rounded up to 8 bytes */
	unsigned int per_slab; /* objects per page */
	struct spinlock lock;
	struct list_head partial;	 /* slabs with free objects */
	struct list_head full;		 /* slabs without */
	unsigned long nr_slabs, nr_objs; /* pages held, objects in use */
};

#define KMEM_CACHE_INIT(var, nm, sz)                                                               \
	{                                                                                          \
		.name = (nm), .size = ((sz) + 7) & ~7UL, .lock = __SPINLOCK_UNLOCKED,              \
		.partial = LIST_HEAD_INIT((var).partial), .full = LIST_HEAD_INIT((var).full)       \
	}

/*
 * A zeroed object, or NULL (no page, or fail_page_alloc injected a failure:
 * objects are covered like pages, Linux's failslab): ENOMEM to the caller.
 */
void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

#endif
