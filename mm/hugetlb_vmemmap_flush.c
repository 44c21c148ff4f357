/*
 * How HVO sequences its steps, as three independent run-time choices, so
 * that each effect can be measured on its own:
 *
 * When to flush: /proc/sys/vm/hugetlb_vmemmap_flush_strategy
 *   page      Linux 5.14-6.6: flush after every PMD split and every remap
 *   batch     Linux 6.7+: split all, flush all; remap all, flush all; free
 *   precise   ours: one shootdown listing the remapped pages (plus one
 *             full flush after splits, on the first grow only)
 *   deferred  ours: no IPI at all; splits and old frames wait a TLB epoch
 * How struct pages of a new huge page are written:
 * /sys/kernel/debug/flushlab/hugetlb_vmemmap_init
 *   full      Linux: every struct page, before the remap
 *   unshared  ours: remap first, then only the 64 struct pages that are
 *             not shared (of 512, or of 262144)
 * How a page's vmemmap is restored on shrink:
 * /sys/kernel/debug/flushlab/hugetlb_vmemmap_restore
 *   copy      Linux: copy the shared tail page into each new frame; the
 *             free path then rewrites every struct page
 *   dissolve  ours: write the new frames in the free state at once
 *
 * Linux 6.7+ is batch + full + copy. Every optimize and restore of one pool
 * change is one batch, serialised by the hugetlb pool; one struct hvo_work
 * carries it. The flush strategies are a table of operations
 * (hvo_flush_strategies, as smp/shootdown.c's protocols are); the init and
 * restore forms are one test each where the struct pages are written.
 */
#include "kernel/pseudofs.h"
#include "kernel/trace.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/hugetlb_vmemmap_priv.h"
#include "smp/tlbflush.h"

enum hvo_strategy { HVO_PAGE, HVO_BATCH, HVO_PRECISE, HVO_DEFERRED, NR_HVO_STRATEGIES };
const char *const hugetlb_vmemmap_strategies[NR_HVO_STRATEGIES + 1] = {"page", "batch", "precise",
								       "deferred", NULL};
#define strategy_names hugetlb_vmemmap_strategies
static enum hvo_strategy strategy = HVO_PRECISE;

enum hvo_init { HVO_INIT_FULL, HVO_INIT_UNSHARED, NR_HVO_INITS };
const char *const hugetlb_vmemmap_inits[NR_HVO_INITS + 1] = {"full", "unshared", NULL};
static enum hvo_init init_form = HVO_INIT_UNSHARED;

enum hvo_restore { HVO_RESTORE_COPY, HVO_RESTORE_DISSOLVE, NR_HVO_RESTORES };
const char *const hugetlb_vmemmap_restores[NR_HVO_RESTORES + 1] = {"copy", "dissolve", NULL};
static enum hvo_restore restore_form = HVO_RESTORE_DISSOLVE;

/*
 * A flush strategy is a table of operations, one per point of a batch where
 * the strategies differ; the sequence itself (hugetlb_vmemmap_prep_folios,
 * hugetlb_vmemmap_restore_folios) calls through it and tests no strategy.
 * Each strategy's operations, and the argument for them, come first below;
 * the table after them.
 */
struct hvo_flush_ops {
	/* Pass 1, before any remap: split the PMDs of every page and flush, or nothing. */
	void (*split_all)(struct hvo_work *w, unsigned int order, struct list_head *list);
	/* Pass 2: [start, end) is mapped by 4 KiB leaves and the split flushed on return. */
	int (*split)(struct hvo_work *w, uintptr_t start, uintptr_t end);
	/* Drop the large entries of the split PMDs in [start, end) everywhere. */
	void (*flush_splits)(uintptr_t start, uintptr_t end);
	/* One page's remap or restore of [start, end) done: flush it now, or leave it. */
	void (*flush_page)(struct hvo_work *w, uintptr_t start, uintptr_t end,
			   enum flush_cause cause);
	/* The end of a batch (or a retry point in one): flush what it remapped. */
	void (*flush_batch)(struct hvo_work *w, enum flush_cause cause);
};

static const struct hvo_flush_ops hvo_flush_strategies[NR_HVO_STRATEGIES];

static struct hvo_work work;

/* Each batch runs under the strategy the knob said when it began. */
static void work_reset(struct hvo_work *w)
{
	INIT_LIST_HEAD(&w->old_frames);
	w->nr_old = w->nr_vas = w->splits = 0;
	w->ops = &hvo_flush_strategies[READ_ONCE(strategy)];
}

/*
 * Every strategy flushes the splits of a batch before the first remap in it
 * (precise and deferred used to skip that flush; this is why they may not).
 *
 * A split replaces a 2 MiB leaf by a table of 512 leaves with the same
 * frames and attributes. Until the split is flushed, another CPU may still
 * hold the 2 MiB translation, possibly fractured into several 4 KiB TLB
 * entries (Intel SDM vol. 3, 4.10.2.3). A remap then changes one 4 KiB
 * leaf (new frame, read-only), and that CPU may hold the old translation
 * (old frame, writable) and the new one for the same address at once; the
 * SDM leaves which one it uses undefined (4.10.2.3), and AMD family 10h
 * can raise a TLB multi-match machine check on it (erratum 383, the reason
 * Linux's THP split breaks the PMD before it makes the table). A stray
 * write through the stale entry would reach an old frame the batch frees.
 *
 * Nor can the remap's own listed flush clean up the large entry: INVLPG
 * drops every TLB entry of a large page only while the paging structures
 * still map the address with that large page (SDM 4.10.4.1, INVLPG); after
 * the split they map it with a 4 KiB page, so INVLPG of one address need
 * not drop the fractured pieces covering its neighbours.
 *
 * So: split every PMD of the batch, then one flush that drops the large
 * entries everywhere (a full flush: 512 pages per PMD exceed the ceiling;
 * for deferred, a TLB epoch, which is a full flush on every CPU without an
 * IPI), then remap. Linux (CPA, and batch here) does the same. Splits
 * happen only on the first grow that touches a vmemmap PMD, so later grows
 * pay nothing for this. Breaking the PMD first (not present, flush, then
 * the table) is not possible here: the 2 MiB vmemmap page also holds the
 * struct pages of 32768 other frames, which other CPUs may be using.
 */
static void flush_splits_range(uintptr_t start, uintptr_t end)
{
	flush_tlb_kernel_range(start, end, FLUSH_VMEMMAP_SPLIT);
}

/* ---- page: Linux 5.14-6.6, every split and every page's remap flushed at once ---- */

/* page: split PMD by PMD, each flushed at once, as Linux 5.14-6.6 did. */
static int split_flushing_each(struct hvo_work *w, uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = ALIGN_DOWN(start, PMD_SIZE); va < end; va += PMD_SIZE) {
		int n = hvo_split(MAX(va, start), MIN(va + PMD_SIZE, end));

		if (n < 0)
			return n;
		if (n > 0) {
			trace_hvo_split(va, va + PMD_SIZE, n);
			flush_splits_range(va, va + PMD_SIZE);
		}
	}
	return 0;
}

/* No pass 1: page splits each page's PMDs as it remaps them. */
static void split_as_remapped(struct hvo_work *w, unsigned int order, struct list_head *list) {}

/*
 * The page's own remapped (or restored) tail pages, all CPUs, before its
 * old frames go back: a restore frees none (its old mapping is the shared
 * tail page), so there the free is a no-op.
 */
static void flush_page_now(struct hvo_work *w, uintptr_t start, uintptr_t end,
			   enum flush_cause cause)
{
	flush_tlb_kernel_range(start + PAGE_SIZE, end, cause);
	hvo_free_old_frames(w);
	w->nr_vas = 0;
}

static void flush_batch_none(struct hvo_work *w, enum flush_cause cause)
{
	/* flushed page by page already */
}

/* ---- what the batched strategies (batch, precise, deferred) share ---- */

static void flush_batch(struct hvo_work *w, enum flush_cause cause);

/*
 * Pass 2's split: [start, end) is split already, unless pass 1 ran out of
 * memory. Out of memory with old frames waiting, flush and free them and
 * retry once (the seed's "the remap pass goes on with the memory it frees").
 */
static int split_then_flush(struct hvo_work *w, uintptr_t start, uintptr_t end)
{
	int n = hvo_split(start, end);

	if (n == -ENOMEM && w->nr_old) {
		flush_batch(w, FLUSH_VMEMMAP_REMAP);
		n = hvo_split(start, end);
	}
	if (n > 0) {
		trace_hvo_split(start, end, n);
		w->ops->flush_splits(ALIGN_DOWN(start, PMD_SIZE), ALIGN_UP(end, PMD_SIZE));
	}
	return n < 0 ? n : 0;
}

/* Pass 1 of the batched strategies: split every page's PMDs, stop at ENOMEM. */
static void split_all(struct hvo_work *w, unsigned int order, struct list_head *list)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0; /* the span of every split PMD */
	struct page *head;

	list_for_each_entry (head, list, lru) {
		uintptr_t s, e;
		int n;

		hvo_vmemmap_range(head, order, &s, &e);
		n = hvo_split(s, e);
		if (n < 0)
			break; /* no point going on: pass 2 retries with freed memory */
		if (n > 0) {
			lo = MIN(lo, ALIGN_DOWN(s, PMD_SIZE));
			hi = MAX(hi, ALIGN_UP(e, PMD_SIZE));
		}
		w->splits += n;
	}
	if (w->splits) {
		trace_hvo_split(lo, hi, w->splits);
		w->ops->flush_splits(lo, hi);
	}
}

/* The batch's flush covers the page. */
static void flush_page_later(struct hvo_work *w, uintptr_t start, uintptr_t end,
			     enum flush_cause cause)
{
}

/* ---- batch: Linux 6.7+, one full flush after all splits, one after all remaps ---- */

static void flush_batch_all(struct hvo_work *w, enum flush_cause cause)
{
	if (w->nr_vas)
		flush_tlb_all(cause);
}

/* ---- precise: one shootdown listing the remapped pages ---- */

static void flush_listed(struct hvo_work *w, enum flush_cause cause)
{
	if (w->nr_vas == 0)
		return;
	if (w->nr_vas <= HVO_MAX_LISTED_VAS)
		flush_tlb_kernel_pages(w->vas, w->nr_vas, cause);
	else
		flush_tlb_all(cause);
}

/* ---- deferred: no IPI at all, splits and old frames wait a TLB epoch ---- */

/* The splits: a full flush on every CPU at its next tick (see flush_splits_range). */
static void flush_splits_epoch(uintptr_t start, uintptr_t end)
{
	tlb_epoch_wait(tlb_epoch_advance());
}

/*
 * Why the deferred strategy may free old frames without any IPI: after the
 * remap, a CPU may still translate a tail vmemmap address to an old frame.
 * That frame does not hold the new tails (the remap comes before the tails
 * are written, so it holds whatever the allocator left there), but nobody
 * may read it for them: the huge pages of the batch are private to the
 * grower until hugetlb_vmemmap_prep_folios() returns, which is after the
 * wait below, and the grower's own CPU flushed in tlb_epoch_advance(). A
 * stale translation elsewhere could serve only a speculative read, whose
 * value no program uses. The old frame is not freed (so cannot be reused
 * and written) until every online CPU has made a full local flush (global
 * entries and paging-structure caches included) after the remap:
 * tlb_epoch_advance() is called after the PTE stores, each CPU flushes at
 * its next timer tick after reading the new epoch, and tlb_epoch_wait()
 * returns only when all have. A CPU coming online later starts with an
 * empty TLB. Restores wait the same way before the pool hands the page to
 * the buddy allocator, whose writes to the struct pages must not go to (or
 * be read from) the shared tail page.
 */
static void flush_epoch(struct hvo_work *w, enum flush_cause cause)
{
	if (w->nr_vas)
		tlb_epoch_wait(tlb_epoch_advance());
}

/* The strategies, in the knob's order (hugetlb_vmemmap_strategies). */
static const struct hvo_flush_ops hvo_flush_strategies[NR_HVO_STRATEGIES] = {
    [HVO_PAGE] = {.split_all = split_as_remapped,
		  .split = split_flushing_each,
		  .flush_splits = flush_splits_range,
		  .flush_page = flush_page_now,
		  .flush_batch = flush_batch_none},
    [HVO_BATCH] = {.split_all = split_all,
		   .split = split_then_flush,
		   .flush_splits = flush_splits_range,
		   .flush_page = flush_page_later,
		   .flush_batch = flush_batch_all},
    [HVO_PRECISE] = {.split_all = split_all,
		     .split = split_then_flush,
		     .flush_splits = flush_splits_range,
		     .flush_page = flush_page_later,
		     .flush_batch = flush_listed},
    [HVO_DEFERRED] = {.split_all = split_all,
		      .split = split_then_flush,
		      .flush_splits = flush_splits_epoch,
		      .flush_page = flush_page_later,
		      .flush_batch = flush_epoch},
};

/* The end of a batch (or a retry point inside one): make the remaps safe, free the old frames. */
static void flush_batch(struct hvo_work *w, enum flush_cause cause)
{
	w->ops->flush_batch(w, cause);
	hvo_free_old_frames(w);
	w->nr_vas = 0;
}

/* [start, end) mapped by 4 KiB leaves, the split flushed, before a remap. */
static int ensure_split(struct hvo_work *w, uintptr_t start, uintptr_t end)
{
	if (hvo_is_split(start, end))
		return 0;
	return w->ops->split(w, start, end);
}

/* Optimize one page (pass 2); on failure it is left a plain compound page. */
static void optimize_one(struct hvo_work *w, struct page *head, unsigned int order,
			 uint64_t tail_pa)
{
	bool linux_prep = init_form == HVO_INIT_FULL;
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
	trace_hvo_remap(s + PAGE_SIZE, e, (e - s) / PAGE_SIZE - 1); /* all but the head page */
	if (!linux_prep)
		hvo_prep_compound_head_page(head, order); /* the rest is the shared page */
	w->ops->flush_page(w, s, e, FLUSH_VMEMMAP_REMAP);
	SetPageVmemmapOptimized(head);
}

void hugetlb_vmemmap_prep_folios(unsigned int order, struct list_head *list)
{
	uint64_t tail_pa = hugetlb_optimize_vmemmap ? hvo_shared_tail_page(order) : 0;
	struct hvo_work *w = &work;
	struct page *head;

	if (!tail_pa) { /* HVO off, or no memory for the shared tail page */
		list_for_each_entry (head, list, lru)
			hvo_prep_compound_full(head, order);
		return;
	}
	work_reset(w);
	w->ops->split_all(w, order, list);
	list_for_each_entry (head, list, lru)
		optimize_one(w, head, order, tail_pa);
	flush_batch(w, FLUSH_VMEMMAP_REMAP);
}

/* Restore one page's vmemmap; -ENOMEM leaves it optimized and unchanged. */
static int restore_one(struct hvo_work *w, struct page *head)
{
	unsigned int order = compound_order(head);
	struct list_head frames;
	bool dissolve = restore_form == HVO_RESTORE_DISSOLVE;
	uintptr_t s, e;

	if (hvo_alloc_frames(hugetlb_vmemmap_optimizable_pages(order), &frames))
		return -ENOMEM;
	hvo_vmemmap_range(head, order, &s, &e);
	hvo_restore_tails(s, e, hvo_shared_tail_page(order), dissolve, &frames, w);
	trace_hvo_restore(s + PAGE_SIZE, e, (e - s) / PAGE_SIZE - 1);
	if (dissolve)
		hvo_dissolve_head_page(head);
	w->ops->flush_page(w, s, e, FLUSH_VMEMMAP_RESTORE);
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
	list_for_each_entry_safe (head, next, list, lru) {
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

/* ---- the three knobs: a choice among names, shown as "a [b] c" (pseudo_choice) ---- */

static const struct pseudo_choice strategy_knob = {
    .names = strategy_names, .nr = NR_HVO_STRATEGIES, .value = (int *)&strategy};
static const struct pseudo_choice init_knob = {
    .names = hugetlb_vmemmap_inits, .nr = NR_HVO_INITS, .value = (int *)&init_form};
static const struct pseudo_choice restore_knob = {
    .names = hugetlb_vmemmap_restores, .nr = NR_HVO_RESTORES, .value = (int *)&restore_form};

int hugetlb_vmemmap_set_strategy(const char *name)
{
	return pseudo_choice_set(&strategy_knob, name);
}

const char *hugetlb_vmemmap_strategy(void)
{
	return pseudo_choice_word(&strategy_knob);
}

int hugetlb_vmemmap_set_init(const char *name)
{
	return pseudo_choice_set(&init_knob, name);
}

const char *hugetlb_vmemmap_init_form(void)
{
	return pseudo_choice_word(&init_knob);
}

int hugetlb_vmemmap_set_restore(const char *name)
{
	return pseudo_choice_set(&restore_knob, name);
}

const char *hugetlb_vmemmap_restore_form(void)
{
	return pseudo_choice_word(&restore_knob);
}

DEFINE_PSEUDO_CHOICE(strategy_file, "/proc/sys/vm/hugetlb_vmemmap_flush_strategy", &strategy_knob);
DEFINE_PSEUDO_CHOICE(init_file, "/sys/kernel/debug/flushlab/hugetlb_vmemmap_init", &init_knob);
DEFINE_PSEUDO_CHOICE(restore_file, "/sys/kernel/debug/flushlab/hugetlb_vmemmap_restore",
		     &restore_knob);
