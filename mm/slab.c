/*
 * The object cache behind mm/slab.h. A slab is one page: a header, then
 * per_slab objects; free objects are chained through their first word.
 * The slab of an object is its page, found by rounding the address down.
 */
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

struct slab {
	struct list_head list; /* on its cache's partial or full list */
	void *freelist;
	unsigned int inuse;
};

#define SLAB_FIRST_OBJ ALIGN_UP(sizeof(struct slab), 8)

/* A new page cut into objects, or NULL. Lock held (the buddy lock nests inside). */
static struct slab *slab_new(struct kmem_cache *c)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	struct slab *s;
	char *obj;

	if (!page)
		return NULL;
	if (!c->per_slab)
		c->per_slab = (PAGE_SIZE - SLAB_FIRST_OBJ) / c->size;
	s = page_address(page);
	s->freelist = NULL;
	s->inuse = 0;
	obj = (char *)s + SLAB_FIRST_OBJ;
	for (unsigned int i = 0; i < c->per_slab; i++, obj += c->size) {
		*(void **)obj = s->freelist;
		s->freelist = obj;
	}
	list_add(&s->list, &c->partial);
	c->nr_slabs++;
	return s;
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	struct slab *s;
	void *obj = NULL;

	BUG_ON(c->size > PAGE_SIZE - SLAB_FIRST_OBJ);
	/* Linux's failslab, on fail_page_alloc's knobs: an object can fail like a page. */
	if (should_fail_alloc_page(GFP_KERNEL, 0))
		return NULL;
	spin_lock(&c->lock);
	s = list_empty(&c->partial) ? slab_new(c)
				    : list_first_entry(&c->partial, struct slab, list);
	if (s) {
		obj = s->freelist;
		s->freelist = *(void **)obj;
		if (++s->inuse == c->per_slab) {
			list_del(&s->list);
			list_add(&s->list, &c->full);
		}
		c->nr_objs++;
	}
	spin_unlock(&c->lock);
	if (obj)
		memset(obj, 0, c->size);
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct slab *s = (struct slab *)ALIGN_DOWN((uintptr_t)obj, PAGE_SIZE);

	spin_lock(&c->lock);
	BUG_ON(!s->inuse);
	if (s->inuse-- == c->per_slab) { /* was full */
		list_del(&s->list);
		list_add(&s->list, &c->partial);
	}
	*(void **)obj = s->freelist;
	s->freelist = obj;
	c->nr_objs--;
	if (!s->inuse) { /* the last object: the page goes back at once */
		list_del(&s->list);
		c->nr_slabs--;
		spin_unlock(&c->lock);
		__free_page(pfn_to_page(PFN_DOWN((uintptr_t)s - direct_map_base)));
		return;
	}
	spin_unlock(&c->lock);
}
