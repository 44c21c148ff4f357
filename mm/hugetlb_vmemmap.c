/*
 * HugeTLB Vmemmap Optimization. A huge page's struct pages occupy 8 vmemmap
 * pages (2 MiB) or 4096 (1 GiB). The first holds the head and 63 tails and
 * stays; the others hold nothing but tails, and every tail of one order is
 * byte-identical (compound_head() finds the head by alignment: mm/page.h),
 * so they are remapped read-only onto one shared, pre-initialised tail page
 * per order and their frames go back to the buddy allocator. This is the
 * 2026 Linux design (no fake heads); the flush strategies around it are in
 * hugetlb_vmemmap_flush.c.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/hugetlb_vmemmap_priv.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"

#define STRUCT_PAGES_PER_VMEMMAP_PAGE (PAGE_SIZE / sizeof(struct page))

/* The shared read-only tail page for each order, allocated on first use. */
static uint64_t shared_tail_pa[NR_HVO_ORDERS];
/* Vmemmap PMDs split so far (never re-coalesced, as in Linux). */
unsigned long hvo_pmd_splits;

bool hvo_is_shared_tail_page(uint64_t pa)
{
	return pa && (pa == shared_tail_pa[0] || pa == shared_tail_pa[1]);
}

unsigned long hvo_nr_shared_tail_pages(void)
{
	return (shared_tail_pa[0] != 0) + (shared_tail_pa[1] != 0);
}

static int hvo_index(unsigned int order)
{
	return order == HVO_ORDER_1G ? 1 : 0;
}

unsigned long hugetlb_vmemmap_optimizable_pages(unsigned int order)
{
	return (sizeof(struct page) << order) / PAGE_SIZE - 1;
}

/* What every tail of a compound page of @order looks like (mm/page.h). */
static void init_tail(struct page *tail, unsigned int order)
{
	struct page t = {._mapcount = -1};

	set_compound_tail(&t, order);
	*tail = t; /* eight word stores */
}

uint64_t hvo_shared_tail_page(unsigned int order)
{
	int i = hvo_index(order);
	struct page *page;
	struct page *tails;

	if (shared_tail_pa[i])
		return shared_tail_pa[i];
	page = alloc_page(GFP_VMEMMAP | __GFP_NOWARN);
	if (!page)
		return 0;
	tails = page_address(page);
	for (unsigned long t = 0; t < STRUCT_PAGES_PER_VMEMMAP_PAGE; t++)
		init_tail(&tails[t], order);
	shared_tail_pa[i] = PFN_PHYS(page_to_pfn(page));
	return shared_tail_pa[i];
}

/*
 * Make @head a compound page of @order, writing the head and the tails in
 * [1, @nr_tails]: every tail for an unoptimized page, only those in the
 * head's own vmemmap page when the rest is already the shared tail page.
 */
static void hvo_prep_compound(struct page *head, unsigned int order, unsigned long nr_tails)
{
	__SetPageHead(head);
	for (unsigned long i = 1; i <= nr_tails; i++)
		init_tail(head + i, order);
	set_compound_order(head, order);
}

void hvo_prep_compound_full(struct page *head, unsigned int order)
{
	hvo_prep_compound(head, order, (1UL << order) - 1);
}

void hvo_prep_compound_head_page(struct page *head, unsigned int order)
{
	hvo_prep_compound(head, order, STRUCT_PAGES_PER_VMEMMAP_PAGE - 1);
}

void hvo_vmemmap_range(struct page *head, unsigned int order, uintptr_t *start, uintptr_t *end)
{
	*start = (uintptr_t)head;
	*end = *start + (sizeof(struct page) << order);
}

/*
 * Split every 2 MiB vmemmap leaf that maps part of [start, end) into 4 KiB
 * leaves. Returns the number split, or -ENOMEM (leaves already split stay
 * split: a split changes no translation, so it needs no undo). No flush.
 */
int hvo_split(uintptr_t start, uintptr_t end)
{
	int splits = 0;

	for (uintptr_t va = ALIGN_DOWN(start, PMD_SIZE); va < end; va += PMD_SIZE) {
		struct mmu_mapping m;
		int ret;

		if (arch_mmu_query(va, &m) || m.level != PG_LEVEL_2M)
			continue;
		ret = arch_mmu_split(va, PG_LEVEL_2M);
		if (ret == -ENOMEM)
			return ret;
		splits += ret == 0;
		hvo_pmd_splits += ret == 0;
	}
	return splits;
}

/* Is every page of [start, end) mapped by a 4 KiB leaf (ready to remap)? */
bool hvo_is_split(uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = ALIGN_DOWN(start, PMD_SIZE); va < end; va += PMD_SIZE) {
		struct mmu_mapping m;

		if (arch_mmu_query(MAX(va, start), &m) || m.level != PG_LEVEL_4K)
			return false;
	}
	return true;
}

/*
 * Point every tail-only vmemmap page of [start + PAGE_SIZE, end) at the
 * shared tail page, read-only, and queue the frames they had on @w for
 * freeing after the flush. No flush: the caller's strategy does that.
 */
void hvo_remap_tails(uintptr_t start, uintptr_t end, uint64_t tail_pa, struct hvo_work *w)
{
	for (uintptr_t va = start + PAGE_SIZE; va < end; va += PAGE_SIZE) {
		uint64_t old = arch_mmu_remap_4k(va, tail_pa, MMU_GLOBAL);
		struct page *frame = pfn_to_page(PFN_DOWN(old));

		BUG_ON(!old || old == tail_pa);
		list_add_tail(&frame->lru, &w->old_frames);
		w->nr_old++;
		hvo_work_note_va(w, va);
	}
}

/*
 * Write @nr struct pages as the free tails of a plain block: the fields
 * the buddy allocator reads of a tail (flags, compound_head, the counts,
 * nr_alloc). A free tail's list links, private word and spare word are
 * nobody's until the page is allocated again (as in Linux, which resets
 * only what free_tail_page_prepare checks), so they are not written.
 */
static void clean_tails(struct page *p, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++, p++) {
		p->flags = 0;
		p->compound_head = 0;
		p->_refcount = 0;
		p->_mapcount = -1;
		p->nr_alloc = 0;
	}
}

/* Turn the compound page at @head back into a plain allocated block. */
void hvo_dissolve_head_page(struct page *head)
{
	clean_tails(head + 1, STRUCT_PAGES_PER_VMEMMAP_PAGE - 1);
	__ClearPageHead(head);
}

/*
 * The reverse of hvo_remap_tails, for one page: fresh frames (on @frames
 * via lru) get their struct pages, as plain free tails when @dissolve (ours)
 * or as a copy of the shared page's compound tails (Linux's restore), and
 * replace the shared page, read-write. The caller flushes before anything
 * reads or writes them through another CPU.
 */
void hvo_restore_tails(uintptr_t start, uintptr_t end, uint64_t tail_pa, bool dissolve,
		       struct list_head *frames, struct hvo_work *w)
{
	const void *tails = (const void *)(direct_map_base + tail_pa);

	for (uintptr_t va = start + PAGE_SIZE; va < end; va += PAGE_SIZE) {
		struct page *frame = list_first_entry(frames, struct page, lru);
		uint64_t old;

		list_del(&frame->lru);
		if (dissolve)
			clean_tails(page_address(frame), STRUCT_PAGES_PER_VMEMMAP_PAGE);
		else
			memcpy(page_address(frame), tails, PAGE_SIZE);
		/* The contents are complete before the PTE that publishes them (TSO). */
		old = arch_mmu_remap_4k(va, PFN_PHYS(page_to_pfn(frame)), MMU_WRITE | MMU_GLOBAL);
		BUG_ON(old != tail_pa);
		hvo_work_note_va(w, va);
	}
}

/* Free the old vmemmap frames of @w; only after every CPU has flushed. */
void hvo_free_old_frames(struct hvo_work *w)
{
	while (!list_empty(&w->old_frames)) {
		struct page *frame = list_first_entry(&w->old_frames, struct page, lru);

		list_del(&frame->lru);
		if (PageReserved(frame))
			free_reserved_page(frame); /* a boot-time vmemmap frame */
		else
			__free_page(frame);
	}
	w->nr_old = 0;
}

/*
 * The 7 frames of a 2 MiB page's restore as one order-3 block cut into
 * pages: one trip through the allocator instead of seven, and the frames
 * stay together in memory (Linux allocates a new head for the same reason
 * of contiguity). Returns false if no such block is free.
 */
static bool alloc_frames_order3(struct list_head *frames)
{
	struct page *block = alloc_pages(GFP_VMEMMAP | __GFP_NOWARN, 3);

	if (!block)
		return false;
	split_page(block, 3);
	for (int i = 0; i < 7; i++)
		list_add_tail(&block[i].lru, frames);
	__free_page(block + 7);
	return true;
}

/* Allocate the @nr frames one page's restore needs, all or none. */
int hvo_alloc_frames(unsigned long nr, struct list_head *frames)
{
	INIT_LIST_HEAD(frames);
	if (nr == 7 && alloc_frames_order3(frames))
		return 0;
	for (unsigned long i = 0; i < nr; i++) {
		struct page *frame = alloc_page(GFP_VMEMMAP | __GFP_NOWARN);

		if (!frame) {
			hvo_free_frame_list(frames);
			return -ENOMEM;
		}
		list_add_tail(&frame->lru, frames);
	}
	return 0;
}

void hvo_free_frame_list(struct list_head *frames)
{
	while (!list_empty(frames)) {
		struct page *frame = list_first_entry(frames, struct page, lru);

		list_del(&frame->lru);
		__free_page(frame);
	}
}

void hvo_work_note_va(struct hvo_work *w, uintptr_t va)
{
	if (w->nr_vas < HVO_MAX_LISTED_VAS)
		w->vas[w->nr_vas] = va;
	w->nr_vas++;
}

/* Extend the last run with vmemmap page @i, or start a new one (stored if it fits). */
static void add_run(struct vmemmap_run *runs, int *nr, int max, unsigned long i,
		    const struct mmu_mapping *m)
{
	struct vmemmap_run *r = *nr && *nr <= max ? &runs[*nr - 1] : NULL;
	bool writable = m->prot & MMU_WRITE;
	uint64_t pa = m->pa & ~(PAGE_SIZE - 1);

	if (r && r->writable == writable && (int)m->level == r->level &&
	    (r->shared ? r->pa == pa : pa == r->pa + (i - r->first) * PAGE_SIZE)) {
		r->last = i;
		return;
	}
	if (*nr < max)
		runs[*nr] =
		    (struct vmemmap_run){i, i, pa, writable, hvo_is_shared_tail_page(pa), m->level};
	(*nr)++;
}

int hugetlb_vmemmap_describe(struct page *head, struct vmemmap_run *runs, int max)
{
	unsigned int order = compound_order(head);
	uintptr_t s, e;
	int nr = 0;

	hvo_vmemmap_range(head, order, &s, &e);
	for (uintptr_t va = s; va < e; va += PAGE_SIZE) {
		struct mmu_mapping m;

		if (arch_mmu_query(va, &m))
			return -ENOENT; /* cannot happen: the vmemmap maps every struct page */
		add_run(runs, &nr, max, (va - s) / PAGE_SIZE, &m);
	}
	return nr;
}
