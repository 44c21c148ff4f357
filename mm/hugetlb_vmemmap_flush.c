/*
 * The flush strategies of HVO, chosen at run time by
 * /proc/sys/vm/hugetlb_vmemmap_flush_strategy:
 *
 *   page      Linux 5.14-6.6: flush after every PMD split and every remap
 *   batch     Linux 6.7+: split all, flush all; remap all, flush all; free
 *   precise   ours: no split flush; one shootdown listing the remapped pages
 *   deferred  ours: no IPI at all; old frames freed after a TLB epoch
 *
 * Linux's two prepare every struct page of a new huge page before HVO (as
 * Linux does); ours remap first and then write only the struct pages that
 * are not shared (64 of 512, or of 262144), which is where they win time.
 * Every optimize and restore of one pool change is one batch, serialised
 * by the hugetlb pool; one struct hvo_work carries it.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/hugetlb_vmemmap_priv.h"
#include "mm/tlbflush.h"

#define PMD_SIZE (2UL << 20)

enum hvo_strategy { HVO_PAGE, HVO_BATCH, HVO_PRECISE, HVO_DEFERRED, NR_HVO_STRATEGIES };
const char *const hugetlb_vmemmap_strategies[NR_HVO_STRATEGIES + 1] = { "page", "batch",
									 "precise", "deferred",
									 NULL };
#define strategy_names hugetlb_vmemmap_strategies
static enum hvo_strategy strategy = HVO_PRECISE;
static struct hvo_work work;

static void work_reset(struct hvo_work *w)
{
	INIT_LIST_HEAD(&w->old_frames);
	w->nr_old = w->nr_vas = w->splits = 0;
}

/*
 * Why skipping the flush after a split is correct (precise, deferred): a
 * split replaces a 2 MiB leaf by a table of 512 leaves that map the same
 * frames with the same attributes, so a CPU still holding the 2 MiB
 * translation reads exactly what the new leaves give. The x86 hazards of
 * mixed page sizes arise only when the translations disagree (memory type,
 * frame); here they agree until a remap changes a 4 KiB leaf, and the
 * remap's own flush then removes the large entry too: INVLPG of any address
 * in a 2 MiB page drops the TLB entry that maps that whole page (Intel SDM
 * vol. 3, 4.10.4.1), a full flush drops everything, and the old PDE was a
 * leaf, so no paging-structure cache held it. The old frames are freed only
 * after that flush. Linux's batch flushes after splitting because its
 * splits and remaps used one path; the flush buys nothing more.
 */
static void flush_listed(struct hvo_work *w, enum flush_cause cause)
{
	if (w->nr_vas == 0)
		return;
	if (w->nr_vas <= HVO_MAX_LISTED_VAS)
		flush_tlb_kernel_pages(w->vas, w->nr_vas, cause);
	else
		flush_tlb_all(cause);
}

/*
 * Why the deferred strategy may free old frames without any IPI: after the
 * remap, a CPU may still translate a tail vmemmap address to an old frame,
 * whose contents are the same tails (nothing writes the tails of a huge
 * page in the pool, and the head page is not remapped). The frame is
 * harmless until it is reused, and it is not freed until every online CPU
 * has made a full local flush (global entries and paging-structure caches
 * included) after the remap: tlb_epoch_advance() is called after the PTE
 * stores, each CPU flushes at its next timer tick after reading the new
 * epoch, and tlb_epoch_wait() returns only when all have. A CPU coming
 * online later starts with an empty TLB. Restores wait the same way before
 * the pool hands the page to the buddy allocator, whose writes to the
 * struct pages must not go to (or be read from) the shared tail page.
 */
static void flush_epoch(struct hvo_work *w)
{
	if (w->nr_vas)
		tlb_epoch_wait(tlb_epoch_advance());
}

/* The end of a batch (or a retry point inside one): make the remaps safe. */
static void flush_batch(struct hvo_work *w, enum flush_cause cause)
{
	switch (strategy) {
	case HVO_PAGE:
		break; /* flushed page by page already */
	case HVO_BATCH:
		if (w->nr_vas)
			flush_tlb_all(cause);
		break;
	case HVO_PRECISE:
		flush_listed(w, cause);
		break;
	case HVO_DEFERRED:
		flush_epoch(w);
		break;
	default:
		break;
	}
	hvo_free_old_frames(w);
	w->nr_vas = 0;
}

/* page: split PMD by PMD, each flushed at once, as Linux 5.14-6.6 did. */
static int split_flushing_each(uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = ALIGN_DOWN(start, PMD_SIZE); va < end; va += PMD_SIZE) {
		int n = hvo_split(MAX(va, start), MIN(va + PMD_SIZE, end));

		if (n < 0)
			return n;
		if (n > 0)
			flush_tlb_kernel_range(va, va + PMD_SIZE, FLUSH_VMEMMAP_SPLIT);
	}
	return 0;
}

/*
 * Make sure [start, end) is mapped by 4 KiB leaves before a remap. Out of
 * memory with old frames waiting, flush and free them and retry once (the
 * seed's "the remap pass goes on with the memory it frees"). Linux's batch
 * flushes a split made here at once; ours leave it to the batch's flush.
 */
static int ensure_split(struct hvo_work *w, uintptr_t start, uintptr_t end)
{
	int n;

	if (hvo_is_split(start, end))
		return 0;
	if (strategy == HVO_PAGE)
		return split_flushing_each(start, end);
	n = hvo_split(start, end);
	if (n == -ENOMEM && w->nr_old) {
		flush_batch(w, FLUSH_VMEMMAP_REMAP);
		n = hvo_split(start, end);
	}
	if (n > 0 && strategy == HVO_BATCH)
		flush_tlb_kernel_range(ALIGN_DOWN(start, PMD_SIZE), ALIGN_UP(end, PMD_SIZE),
				       FLUSH_VMEMMAP_SPLIT);
	return n < 0 ? n : 0;
}

/* Pass 1 of the batched strategies: split every page's PMDs, stop at ENOMEM. */
static void split_all(struct hvo_work *w, unsigned int order, struct list_head *list)
{
	struct page *head;

	list_for_each_entry(head, list, lru) {
		uintptr_t s, e;
		int n;

		hvo_vmemmap_range(head, order, &s, &e);
		n = hvo_split(s, e);
		if (n < 0)
			break; /* no point going on: pass 2 retries with freed memory */
		w->splits += n;
	}
	if (w->splits && strategy == HVO_BATCH)
		flush_tlb_all(FLUSH_VMEMMAP_SPLIT);
}

/* Optimize one page (pass 2); on failure it is left a plain compound page. */
static void optimize_one(struct hvo_work *w, struct page *head, unsigned int order,
			 uint64_t tail_pa)
{
	bool linux_prep = strategy == HVO_PAGE || strategy == HVO_BATCH;
	uintptr_t s, e;

	hvo_vmemmap_range(head, order, &s, &e);
	if (linux_prep)
		hvo_prep_compound_full(head, order);
	if (ensure_split(w, s, e)) {
		if (!linux_prep)
			hvo_prep_compound_full(head, order);
		return;
	}
	hvo_remap_tails(s, e, tail_pa, w);
	if (!linux_prep)
		hvo_prep_compound_head_page(head, order); /* the rest is the shared page */
	if (strategy == HVO_PAGE) {
		flush_tlb_kernel_range(s + PAGE_SIZE, e, FLUSH_VMEMMAP_REMAP);
		hvo_free_old_frames(w);
		w->nr_vas = 0;
	}
	SetPageVmemmapOptimized(head);
}

void hugetlb_vmemmap_prep_folios(unsigned int order, struct list_head *list)
{
	uint64_t tail_pa = hugetlb_optimize_vmemmap ? hvo_shared_tail_page(order) : 0;
	struct hvo_work *w = &work;
	struct page *head;

	if (!tail_pa) { /* HVO off, or no memory for the shared tail page */
		list_for_each_entry(head, list, lru)
			hvo_prep_compound_full(head, order);
		return;
	}
	work_reset(w);
	if (strategy != HVO_PAGE)
		split_all(w, order, list);
	list_for_each_entry(head, list, lru)
		optimize_one(w, head, order, tail_pa);
	flush_batch(w, FLUSH_VMEMMAP_REMAP);
}

/* Restore one page's vmemmap; -ENOMEM leaves it optimized and unchanged. */
static int restore_one(struct hvo_work *w, struct page *head)
{
	unsigned int order = compound_order(head);
	struct list_head frames;
	uintptr_t s, e;

	bool dissolve = strategy == HVO_PRECISE || strategy == HVO_DEFERRED;

	if (hvo_alloc_frames(hugetlb_vmemmap_optimizable_pages(order), &frames))
		return -ENOMEM;
	hvo_vmemmap_range(head, order, &s, &e);
	hvo_restore_tails(s, e, hvo_shared_tail_page(order), dissolve, &frames, w);
	if (dissolve)
		hvo_dissolve_head_page(head);
	if (strategy == HVO_PAGE) {
		flush_tlb_kernel_range(s + PAGE_SIZE, e, FLUSH_VMEMMAP_RESTORE);
		w->nr_vas = 0;
	}
	ClearPageVmemmapOptimized(head);
	return 0;
}

/*
 * Restores need a flush for a different reason than remaps: a CPU with a
 * stale read-only translation would read the shared tail page instead of
 * the new frame once the buddy allocator rewrites these struct pages (and
 * fault on a write). So the flush completes before any restored page is
 * returned to the caller. Unlike Linux, a failed page does not stop the
 * batch: later pages may still find memory, and only the failures stay.
 */
long hugetlb_vmemmap_restore_folios(struct list_head *list, struct list_head *restored)
{
	struct hvo_work *w = &work;
	struct page *head, *next;
	long left = 0;

	work_reset(w);
	list_for_each_entry_safe(head, next, list, lru) {
		if (PageVmemmapOptimized(head) && restore_one(w, head)) {
			left++;
			continue;
		}
		list_del(&head->lru);
		list_add_tail(&head->lru, restored);
	}
	flush_batch(w, FLUSH_VMEMMAP_RESTORE);
	return left;
}

/* ---- /proc/sys/vm/hugetlb_vmemmap_flush_strategy ---- */

static int strategy_show(struct seq_buf *s, void *data)
{
	for (int i = 0; i < NR_HVO_STRATEGIES; i++)
		seq_printf(s, i == (int)strategy ? "%s[%s]" : "%s%s", i ? " " : "",
			   strategy_names[i]);
	seq_printf(s, "\n");
	return 0;
}

/* @buf is NUL-terminated; a name with one trailing '\n' at most (docs/knobs.md). */
static int set_strategy(const char *buf, size_t len)
{
	int i = sysfs_match_string(strategy_names, NR_HVO_STRATEGIES, buf);

	if (i < 0)
		return i;
	strategy = i;
	return 0;
}

int hugetlb_vmemmap_set_strategy(const char *name)
{
	return set_strategy(name, strlen(name));
}

const char *hugetlb_vmemmap_strategy(void)
{
	return strategy_names[strategy];
}

static int strategy_store(const char *buf, size_t len, void *data)
{
	return set_strategy(buf, len);
}

static struct pseudo_file strategy_file = {
	.path = "/proc/sys/vm/hugetlb_vmemmap_flush_strategy",
	.show = strategy_show,
	.store = strategy_store,
};

void hugetlb_vmemmap_init(void)
{
	pseudofs_register(&strategy_file);
}
