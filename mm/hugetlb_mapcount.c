/*
 * The three hugetlb mapcount schemes (mm/hugetlb_mapcount.h has the rules)
 * and their knob. Every count is changed with an atomic RMW, as Linux's
 * are (other mms could map the folio at once in Linux: shared mappings),
 * and every RMW is counted, so a workload sees exactly what a scheme costs.
 * The counters themselves are added once per call, not once per RMW.
 */
#include "kernel/pseudofs.h"
#include "kernel/ratelimit.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_mapcount.h"
#include "mm/hugetlb_mm.h"
#include "smp/tlbflush.h"

static int scheme = HUGETLB_MAPCOUNT_HEAD;
static unsigned long nr_inc, nr_dec;

static const char *const scheme_names[] = {"subpage", "head", "pxd"};

enum hugetlb_mapcount_scheme hugetlb_mapcount_scheme(void)
{
	return (enum hugetlb_mapcount_scheme)READ_ONCE(scheme);
}

const char *hugetlb_mapcount_scheme_name(enum hugetlb_mapcount_scheme s)
{
	return s < NR_HUGETLB_MAPCOUNT_SCHEMES ? scheme_names[s] : "?";
}

/*
 * The scheme may change only while nothing could be counted under the old
 * one: no hugetlb block is mapped (a VMA's blocks, counted from the mmap's
 * start to their unmap, faulted or not: a fault reads the scheme) and no
 * page is in use or reserved. scheme_lock makes the check and the store
 * one step against mmap, which checks the scheme and counts its blocks
 * under the same lock: a switch either sees the new blocks (EBUSY) or the
 * mmap sees the new scheme. Counts drop without the lock: a switch that
 * sees a stale count refuses, which is the safe side. Held briefly, from
 * process context; a waiter serves shootdowns (a pool resize holding
 * hugetlb_lock may be waiting on this CPU).
 */
static DEFINE_SPINLOCK(scheme_lock);
static unsigned long nr_mapped_blocks;

static void scheme_lock_poll(void)
{
	while (!spin_trylock(&scheme_lock))
		tlb_wait_poll();
}

/* The knob's setter: @i is a valid scheme (pseudo_choice checked the word). */
static int set_scheme(int i)
{
	int ret = 0;

	scheme_lock_poll();
	if (i != scheme &&
	    (__atomic_load_n(&nr_mapped_blocks, __ATOMIC_RELAXED) || hugetlb_any_in_use()))
		ret = -EBUSY;
	else
		WRITE_ONCE(scheme, i);
	spin_unlock(&scheme_lock);
	return ret;
}

static const struct pseudo_choice scheme_choice = {
    .names = scheme_names, .nr = NR_HUGETLB_MAPCOUNT_SCHEMES, .value = &scheme, .set = set_scheme};

DEFINE_PSEUDO_CHOICE(scheme_file, "/sys/kernel/debug/flushlab/hugetlb_mapcount_scheme",
		     &scheme_choice);

int hugetlb_set_mapcount_scheme(const char *name)
{
	return pseudo_choice_set(&scheme_choice, name);
}

int hugetlb_mapcount_map_begin(struct hstate *h, unsigned long blocks)
{
	unsigned long hvo = 0;

	scheme_lock_poll();
	if (scheme == HUGETLB_MAPCOUNT_SUBPAGE)
		hvo = hugetlb_nr_optimized(h);
	if (!hvo)
		__atomic_add_fetch(&nr_mapped_blocks, blocks, __ATOMIC_RELAXED);
	spin_unlock(&scheme_lock);
	if (!hvo)
		return 0;
	/* A program can ask for this as often as it likes: a line per call would flood. */
	if (printk_ratelimit())
		printk("hugetlb: mapcount scheme subpage needs writable tail struct pages, but "
		       "%lu pages of %s have HVO-shared ones: mmap refused (EOPNOTSUPP); see "
		       "docs/hgm.md\n",
		       hvo, h->name);
	return -EOPNOTSUPP;
}

void hugetlb_mapcount_map_end(unsigned long blocks)
{
	unsigned long old = __atomic_fetch_sub(&nr_mapped_blocks, blocks, __ATOMIC_RELAXED);

	BUG_ON(old < blocks);
}

unsigned long hugetlb_mapcount_incs(void)
{
	return __atomic_load_n(&nr_inc, __ATOMIC_RELAXED);
}

unsigned long hugetlb_mapcount_decs(void)
{
	return __atomic_load_n(&nr_dec, __ATOMIC_RELAXED);
}

static long *folio_count(const struct page *head)
{
	return (long *)&head[1]._spare;
}

int hugetlb_folio_count(const struct page *head)
{
	return (int)__atomic_load_n(folio_count(head), __ATOMIC_RELAXED);
}

/* Add @d (+1 or -1) to the count of every subpage in [idx, idx + n): n RMWs. */
static void subpages_add(struct page *head, unsigned long idx, unsigned long n, int d)
{
	struct page *p = head + idx;

	for (unsigned long i = 0; i < n; i++)
		__atomic_add_fetch(&p[i]._mapcount, d, __ATOMIC_SEQ_CST);
}

static void rmap_change(struct page *head, unsigned long idx, enum pg_level level,
			enum pg_level hlevel, int d)
{
	unsigned long n = 1;

	switch (hugetlb_mapcount_scheme()) {
	case HUGETLB_MAPCOUNT_SUBPAGE:
		if (level == hlevel) {
			__atomic_add_fetch(folio_count(head), d, __ATOMIC_SEQ_CST);
		} else {
			n = pg_level_size(level) >> PAGE_SHIFT;
			subpages_add(head, idx, n, d);
		}
		break;
	case HUGETLB_MAPCOUNT_HEAD:
		__atomic_add_fetch(folio_count(head), d, __ATOMIC_SEQ_CST);
		break;
	default:
		return; /* pxd: hugetlb_pxd_populate/clear */
	}
	__atomic_add_fetch(d > 0 ? &nr_inc : &nr_dec, n, __ATOMIC_RELAXED);
}

void hugetlb_add_rmap(struct page *head, unsigned long idx, enum pg_level level,
		      enum pg_level hlevel)
{
	rmap_change(head, idx, level, hlevel, 1);
}

void hugetlb_remove_rmap(struct page *head, unsigned long idx, enum pg_level level,
			 enum pg_level hlevel)
{
	rmap_change(head, idx, level, hlevel, -1);
}

void hugetlb_pxd_populate(struct page *head)
{
	if (hugetlb_mapcount_scheme() != HUGETLB_MAPCOUNT_PXD)
		return;
	__atomic_add_fetch(folio_count(head), 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&nr_inc, 1, __ATOMIC_RELAXED);
}

void hugetlb_pxd_clear(struct page *head)
{
	if (hugetlb_mapcount_scheme() != HUGETLB_MAPCOUNT_PXD)
		return;
	__atomic_sub_fetch(folio_count(head), 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&nr_dec, 1, __ATOMIC_RELAXED);
}

long hugetlb_folio_mapcount(const struct page *head, unsigned int order)
{
	long n = hugetlb_folio_count(head);

	if (hugetlb_mapcount_scheme() == HUGETLB_MAPCOUNT_SUBPAGE)
		for (unsigned long i = 0; i < (1UL << order); i++)
			n += page_mapcount(head + i);
	return n;
}

long hugetlb_page_mapcount(const struct page *head, unsigned long idx)
{
	long n = hugetlb_folio_count(head);

	if (hugetlb_mapcount_scheme() == HUGETLB_MAPCOUNT_SUBPAGE)
		n += page_mapcount(head + idx);
	return n;
}

/* The counts each scheme must hold for what the walk found. */
const char *hugetlb_check_counts(const struct page *head, unsigned int order,
				 const struct hugetlb_walk_counts *w)
{
	unsigned long nr = 1UL << order, sub_units = w->units - w->hstate_leaves * nr;
	unsigned long entries = w->hstate_leaves + w->pmd_leaves + w->pte_leaves;

	switch (hugetlb_mapcount_scheme()) {
	case HUGETLB_MAPCOUNT_SUBPAGE:
		if ((unsigned long)hugetlb_folio_count(head) != w->hstate_leaves)
			return "subpage: entire count is not the hstate-level leaves";
		if ((unsigned long)hugetlb_folio_mapcount(head, order) !=
		    w->hstate_leaves + sub_units)
			return "subpage: folio_mapcount is not entire + subpages mapped";
		return NULL;
	case HUGETLB_MAPCOUNT_HEAD:
		if ((unsigned long)hugetlb_folio_mapcount(head, order) != entries)
			return "head: folio count is not the number of entries";
		break;
	default:
		if (hugetlb_folio_mapcount(head, order) != (long)w->populated)
			return "pxd: folio count is not 1 for a populated hstate-level entry";
		break;
	}
	/* head and pxd never touch subpages: every _mapcount still -1 (reads work under HVO). */
	for (unsigned long i = 0; i < nr; i++)
		if (page_mapcount(head + i))
			return "a subpage has a mapcount under a scheme that counts none";
	return NULL;
}

/* ---- /proc/vmstat ---- */

void hgm_vmstat(struct seq_buf *s)
{
	static const char *const names[NR_HGM_STATS] = {
	    "hgm_split",
	    "hgm_collapse_pmd",
	    "hgm_collapse_hstate",
	    "hgm_pt_pages_freed",
	    "hgm_collapse_ns",
	    "hgm_collapse_walk_ns",
	    "hgm_collapse_flush_ns",
	};

	seq_printf(s, "hugetlb_mapcount_inc %lu\nhugetlb_mapcount_dec %lu\n",
		   hugetlb_mapcount_incs(), hugetlb_mapcount_decs());
	for (int i = 0; i < NR_HGM_STATS; i++)
		seq_printf(s, "%s %lu\n", names[i], hgm_stat_read((enum hgm_stat)i));
}
