/*
 * The hugetlb pools: Linux's hstate accounting (nr, free, surplus) and its
 * resize semantics (set_max_huge_pages), with pages entering a pool in one
 * batch through HVO's prep and leaving it in one batch through HVO's
 * restore, because that batch is what flushlab measures.
 */
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"

/* /proc/sys/vm/hugetlb_optimize_vmemmap: on, as CONFIG_..._DEFAULT_ON. */
bool hugetlb_optimize_vmemmap = true;

/*
 * hugetlb_lock (Linux's name): a spinlock. It guards every hstate field
 * and list, and is held across a whole resize, allocation and HVO batch
 * included (Linux drops it around the allocations; we need not,
 * since only the console drives the pools and nothing takes this lock in
 * interrupt context). Interrupts stay enabled while it is held, so the
 * shootdowns HVO sends and receives go on; a second CPU would only spin.
 */
static DEFINE_SPINLOCK(hugetlb_lock);

#define HSTATE_INIT(i, ord, str)                                                                   \
	{                                                                                          \
		.order = (ord), .name = (str),                                                     \
		.hugepage_freelists = LIST_HEAD_INIT(hstates[i].hugepage_freelists),               \
		.hugepage_activelist = LIST_HEAD_INIT(hstates[i].hugepage_activelist),             \
	}

struct hstate hstates[HUGE_MAX_HSTATE] = {
    HSTATE_INIT(0, HUGETLB_ORDER_2M, "hugepages-2048kB"),
    HSTATE_INIT(1, HUGETLB_ORDER_1G, "hugepages-1048576kB"),
};

struct hstate *size_to_hstate(unsigned long kb)
{
	struct hstate *h;

	for_each_hstate (h)
		if (huge_page_size_kb(h) == kb)
			return h;
	return NULL;
}

static unsigned long persistent_huge_pages(const struct hstate *h)
{
	return h->nr_huge_pages - h->surplus_huge_pages;
}

/* ---- the free list ---- */

static void enqueue_hugetlb_folio(struct hstate *h, struct page *page)
{
	list_add(&page->lru, &h->hugepage_freelists);
	h->free_huge_pages++;
}

static struct page *dequeue_hugetlb_folio(struct hstate *h)
{
	struct page *page;

	if (list_empty(&h->hugepage_freelists))
		return NULL;
	page = list_first_entry(&h->hugepage_freelists, struct page, lru);
	list_del(&page->lru);
	h->free_huge_pages--;
	return page;
}

/* Take a free page out of the pool (Linux's remove_pool_hugetlb_folio). */
static struct page *remove_pool_hugetlb_folio(struct hstate *h, bool acct_surplus)
{
	struct page *page = dequeue_hugetlb_folio(h);

	if (!page)
		return NULL;
	h->nr_huge_pages--;
	if (acct_surplus)
		h->surplus_huge_pages--;
	return page;
}

/* Put a prepared page into the pool as a free page (Linux's add_hugetlb_folio). */
static void add_hugetlb_folio(struct hstate *h, struct page *page, bool adjust_surplus)
{
	h->nr_huge_pages++;
	if (adjust_surplus)
		h->surplus_huge_pages++;
	enqueue_hugetlb_folio(h, page);
}

/* ---- blocks from and to the buddy allocator ---- */

/* Not __GFP_COMP: hugetlb_vmemmap_prep_folios makes the compound page. */
#define GFP_HUGETLB_FRESH (__GFP_PURPOSE(PURPOSE_HUGETLB) | __GFP_NOWARN)

static struct page *alloc_fresh_block(const struct hstate *h)
{
	if (h->order <= MAX_PAGE_ORDER)
		return alloc_pages(GFP_HUGETLB_FRESH, h->order);
	return alloc_contig_pages(pages_per_huge_page(h), pages_per_huge_page(h),
				  GFP_HUGETLB_FRESH);
}

/* Give a restored (or never optimized) compound page back to the buddy allocator. */
static void free_block(const struct hstate *h, struct page *page)
{
	__ClearPageHugeTLB(page);
	if (h->order <= MAX_PAGE_ORDER && !PageHead(page))
		free_pages_tails_clean(page, h->order); /* dissolved by HVO's restore */
	else if (h->order <= MAX_PAGE_ORDER)
		__free_pages(page, h->order);
	else
		free_contig_pages(page, pages_per_huge_page(h));
}

/*
 * Allocate up to @want blocks onto @list, stopping at the first failure
 * (growth is best effort). Returns how many it got.
 */
static unsigned long alloc_fresh_blocks(const struct hstate *h, unsigned long want,
					struct list_head *list)
{
	unsigned long got;

	for (got = 0; got < want; got++) {
		struct page *page = alloc_fresh_block(h);

		if (!page)
			break;
		list_add_tail(&page->lru, list);
	}
	return got;
}

/*
 * Make every block on @list a hugetlb page in one HVO batch and add them to
 * the pool as free pages (surplus ones if @surplus). Empties @list.
 */
static void prep_and_add_folios(struct hstate *h, struct list_head *list, bool surplus)
{
	if (list_empty(list))
		return;
	hugetlb_vmemmap_prep_folios(h->order, list);
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		list_del(&page->lru);
		__SetPageHugeTLB(page);
		add_hugetlb_folio(h, page, surplus);
	}
}

/*
 * Free every page on @list (already out of the pool's counters) to the
 * buddy allocator after one batched vmemmap restore (Linux's
 * update_and_free_pages_bulk). A page whose vmemmap cannot be restored
 * (no memory for its frames) goes back into the pool as a free surplus
 * page, as Linux does; a later shrink tries it again. Empties @list.
 */
static void update_and_free_pages_bulk(struct hstate *h, struct list_head *list)
{
	struct list_head restored = LIST_HEAD_INIT(restored);

	if (list_empty(list))
		return;
	hugetlb_vmemmap_restore_folios(list, &restored);
	while (!list_empty(&restored)) {
		struct page *page = list_first_entry(&restored, struct page, lru);

		list_del(&page->lru);
		free_block(h, page);
	}
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		list_del(&page->lru);
		printk("hugetlb: %lukB page at pfn %#lx: vmemmap could not be restored "
		       "(out of memory), kept in the pool as a surplus page\n",
		       huge_page_size_kb(h), page_to_pfn(page));
		add_hugetlb_folio(h, page, true);
	}
}

/*
 * Boot-time pages (mm/hugetlb_boot.c): compound pages already prepared,
 * their vmemmap optimized, enter the pool as persistent free pages.
 */
void hugetlb_add_boot_folios(struct hstate *h, struct list_head *list)
{
	spin_lock(&hugetlb_lock);
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		list_del(&page->lru);
		__SetPageHugeTLB(page);
		add_hugetlb_folio(h, page, false);
	}
	h->max_huge_pages = persistent_huge_pages(h);
	spin_unlock(&hugetlb_lock);
}

/* ---- resize (Linux's set_max_huge_pages) ---- */

static void grow_pool(struct hstate *h, unsigned long count)
{
	struct list_head list = LIST_HEAD_INIT(list);

	alloc_fresh_blocks(h, count - persistent_huge_pages(h), &list);
	prep_and_add_folios(h, &list, false);
}

/*
 * Free surplus pages that nothing needs (Linux's return_unused_surplus_pages):
 * up to @max of them, never a page a reservation counts on (free pages stay
 * at least resv_huge_pages), onto @list for one restore batch.
 */
static void take_unused_surplus(struct hstate *h, unsigned long max, struct list_head *list)
{
	struct page *page;

	while (max-- && h->surplus_huge_pages && h->free_huge_pages > h->resv_huge_pages &&
	       (page = remove_pool_hugetlb_folio(h, true)))
		list_add_tail(&page->lru, list);
}

/*
 * Linux's shrink: free persistent pages down to max(@count, pages reserved
 * or in use) in one restore batch, then count pages beyond @count as
 * surplus, to be freed as they come back or their reservation goes. A
 * reserved page is never freed here: it stays, as surplus (the second
 * shrink to 0 once freed them and left the reservations with no pages).
 * Surplus pages that nothing reserves (a restore that failed for memory
 * left them) are freed first.
 */
static void shrink_pool(struct hstate *h, unsigned long count)
{
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned long in_use = h->resv_huge_pages + h->nr_huge_pages - h->free_huge_pages;
	unsigned long min_count = MAX(count, in_use);
	struct page *page;

	take_unused_surplus(h, h->surplus_huge_pages, &list);
	while (min_count < persistent_huge_pages(h) && (page = remove_pool_hugetlb_folio(h, false)))
		list_add_tail(&page->lru, &list);
	update_and_free_pages_bulk(h, &list);

	while (count < persistent_huge_pages(h) && h->surplus_huge_pages < h->nr_huge_pages)
		h->surplus_huge_pages++;
}

int set_max_huge_pages(struct hstate *h, unsigned long count)
{
	if (count > HUGETLB_MAX_COUNT)
		return -EINVAL;
	spin_lock(&hugetlb_lock);
	/* Surplus pages are already there: they become persistent first. */
	while (h->surplus_huge_pages && count > persistent_huge_pages(h))
		h->surplus_huge_pages--;
	if (count > persistent_huge_pages(h))
		grow_pool(h, count);
	else
		shrink_pool(h, count);
	h->max_huge_pages = persistent_huge_pages(h);
	spin_unlock(&hugetlb_lock);
	return 0;
}

/* ---- pages in use ---- */

struct page *hugetlb_pool_page(struct hstate *h, unsigned long n)
{
	struct list_head *lists[] = {&h->hugepage_freelists, &h->hugepage_activelist};
	struct page *page, *found = NULL;

	spin_lock(&hugetlb_lock);
	for (size_t i = 0; i < ARRAY_SIZE(lists) && !found; i++)
		list_for_each_entry (page, lists[i], lru)
			if (n-- == 0) {
				found = page;
				break;
			}
	spin_unlock(&hugetlb_lock);
	return found;
}

unsigned long hugetlb_pages_in_use(const struct hstate *h)
{
	return h->nr_huge_pages - h->free_huge_pages;
}

int hugetlb_take_pages(struct hstate *h, unsigned long n)
{
	int ret = 0;

	spin_lock(&hugetlb_lock);
	if (n > h->free_huge_pages - h->resv_huge_pages) {
		ret = -ENOMEM;
	} else {
		while (n--) {
			struct page *page = dequeue_hugetlb_folio(h);

			list_add(&page->lru, &h->hugepage_activelist);
		}
	}
	spin_unlock(&hugetlb_lock);
	return ret;
}

/*
 * A page in use comes back (already off the active list): while the pool has
 * surplus pages it leaves the pool, onto @leaving, else it is free again.
 * Under hugetlb_lock.
 */
static void put_back_huge_page(struct hstate *h, struct page *page, struct list_head *leaving)
{
	if (h->surplus_huge_pages) {
		h->nr_huge_pages--;
		h->surplus_huge_pages--;
		list_add_tail(&page->lru, leaving);
	} else {
		enqueue_hugetlb_folio(h, page);
	}
}

/*
 * Linux's free_huge_folio for @n pages: while the pool has surplus pages
 * a returned page leaves the pool (nr and surplus drop), otherwise it goes
 * back to the free list. The leaving pages are restored and freed in one
 * batch.
 */
int hugetlb_give_pages(struct hstate *h, unsigned long n)
{
	struct list_head list = LIST_HEAD_INIT(list);
	int ret = 0;

	spin_lock(&hugetlb_lock);
	if (n > hugetlb_pages_in_use(h))
		ret = -EINVAL;
	for (; !ret && n; n--) {
		struct page *page = list_first_entry(&h->hugepage_activelist, struct page, lru);

		list_del(&page->lru);
		put_back_huge_page(h, page, &list);
	}
	update_and_free_pages_bulk(h, &list);
	spin_unlock(&hugetlb_lock);
	return ret;
}

/* ---- user mappings (mm/hugetlb_mm.c): reservations and folios ---- */

/*
 * Take hugetlb_lock from a path that may run with interrupts off (a #PF)
 * while the holder (a resize) waits for a shootdown aimed at this CPU:
 * serve those while waiting, as mm_lock does.
 */
static void hugetlb_lock_poll(void)
{
	while (!spin_trylock(&hugetlb_lock))
		tlb_wait_poll();
}

int hugetlb_reserve_pages(struct hstate *h, unsigned long n)
{
	int ret = 0;

	hugetlb_lock_poll();
	if (n > h->free_huge_pages - h->resv_huge_pages)
		ret = -ENOMEM;
	else
		h->resv_huge_pages += n;
	spin_unlock(&hugetlb_lock);
	return ret;
}

/*
 * Linux's hugetlb_acct_memory(h, -n): the reservations go, and as many
 * surplus pages as were reserved leave the pool (a shrink left them there
 * only for these reservations).
 */
void hugetlb_unreserve_pages(struct hstate *h, unsigned long n)
{
	struct list_head list = LIST_HEAD_INIT(list);

	hugetlb_lock_poll();
	BUG_ON(n > h->resv_huge_pages);
	h->resv_huge_pages -= n;
	take_unused_surplus(h, n, &list);
	update_and_free_pages_bulk(h, &list);
	spin_unlock(&hugetlb_lock);
}

struct page *alloc_hugetlb_folio(struct hstate *h, bool use_resv)
{
	struct page *page = NULL;

	hugetlb_lock_poll();
	if (use_resv ? h->resv_huge_pages > 0 : h->free_huge_pages > h->resv_huge_pages) {
		page = dequeue_hugetlb_folio(h);
		BUG_ON(!page);
		if (use_resv)
			h->resv_huge_pages--;
		list_add(&page->lru, &h->hugepage_activelist);
	}
	spin_unlock(&hugetlb_lock);
	return page;
}

void free_huge_folio(struct hstate *h, struct page *page, bool rereserve)
{
	struct list_head list = LIST_HEAD_INIT(list);

	hugetlb_lock_poll();
	list_del(&page->lru);
	if (rereserve) {
		enqueue_hugetlb_folio(h, page);
		h->resv_huge_pages++;
	} else {
		put_back_huge_page(h, page, &list);
	}
	update_and_free_pages_bulk(h, &list);
	spin_unlock(&hugetlb_lock);
}

unsigned long hugetlb_nr_optimized(struct hstate *h)
{
	struct list_head *lists[] = {&h->hugepage_freelists, &h->hugepage_activelist};
	unsigned long n = 0;
	struct page *page;

	hugetlb_lock_poll();
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry (page, lists[i], lru)
			n += PageVmemmapOptimized(page);
	spin_unlock(&hugetlb_lock);
	return n;
}

bool hugetlb_any_in_use(void)
{
	struct hstate *h;
	bool used = false;

	hugetlb_lock_poll();
	for_each_hstate (h)
		used |= h->resv_huge_pages || h->nr_huge_pages != h->free_huge_pages;
	spin_unlock(&hugetlb_lock);
	return used;
}

void hugetlb_snapshot(const struct hstate *h, struct hstate *out)
{
	spin_lock(&hugetlb_lock);
	*out = *h;
	spin_unlock(&hugetlb_lock);
}

/* ---- consistency ---- */

#define FAIL(...) (snprintf(why, len, __VA_ARGS__), -EINVAL)

/* Count @list's pages into *@n; each must be a hugetlb compound head of @h's order. */
static int check_pool_list(const struct hstate *h, const struct list_head *list, unsigned long *n,
			   char *why, size_t len)
{
	const struct list_head *pos;

	*n = 0;
	list_for_each (pos, list) {
		const struct page *page = list_entry(pos, struct page, lru);

		if (!PageHead(page) || !PageHugeTLB(page) || compound_order(page) != h->order)
			return FAIL("%s: pfn %#lx on a pool list is not a hugetlb page of order %u",
				    h->name, page_to_pfn(page), h->order);
		(*n)++;
	}
	return 0;
}

static int check_hstate(const struct hstate *h, char *why, size_t len)
{
	unsigned long nr_free, nr_used;

	if (check_pool_list(h, &h->hugepage_freelists, &nr_free, why, len) ||
	    check_pool_list(h, &h->hugepage_activelist, &nr_used, why, len))
		return -EINVAL;
	if (nr_free != h->free_huge_pages)
		return FAIL("%s: %lu pages on the free list, free_huge_pages %lu", h->name, nr_free,
			    h->free_huge_pages);
	if (nr_free + nr_used != h->nr_huge_pages)
		return FAIL("%s: %lu free + %lu in use, nr_huge_pages %lu", h->name, nr_free,
			    nr_used, h->nr_huge_pages);
	if (h->surplus_huge_pages > h->nr_huge_pages || h->resv_huge_pages > h->free_huge_pages)
		return FAIL("%s: surplus %lu of %lu pages, resv %lu of %lu free", h->name,
			    h->surplus_huge_pages, h->nr_huge_pages, h->resv_huge_pages,
			    h->free_huge_pages);
	return 0;
}

int hugetlb_check_pools(char *why, size_t len)
{
	struct hstate *h;
	int ret = 0;

	spin_lock(&hugetlb_lock);
	for_each_hstate (h)
		if (!ret)
			ret = check_hstate(h, why, len);
	spin_unlock(&hugetlb_lock);
	return ret;
}
