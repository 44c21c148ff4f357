/*
 * HugeTLB Vmemmap Optimization (HVO): a huge page's tail struct pages are
 * all alike, so the vmemmap pages that hold only tails can be remapped
 * read-only onto one shared, pre-initialised tail page and their frames
 * freed: 7 of 8 vmemmap pages per 2 MiB page, 4095 of 4096 per 1 GiB page.
 * The interface is Linux's list-based one (mm/hugetlb_vmemmap.h in 6.7+);
 * how the TLB is flushed is a run-time strategy (hugetlb_vmemmap_strategy).
 */
#ifndef MM_HUGETLB_VMEMMAP_H
#define MM_HUGETLB_VMEMMAP_H

#include <stdbool.h>
#include "mm/list.h"
#include "mm/page.h"

/* The two huge-page orders HVO knows: 2 MiB and 1 GiB. */
#define HVO_ORDER_2M (PMD_SHIFT - PAGE_SHIFT)
#define HVO_ORDER_1G (PUD_SHIFT - PAGE_SHIFT)

/* For page-table walkers (ptdump, tests): the shared tail pages and the splits made. */
bool hvo_is_shared_tail_page(uint64_t pa);
unsigned long hvo_nr_shared_tail_pages(void);
extern unsigned long hvo_pmd_splits;

/* /proc/sys/vm/hugetlb_optimize_vmemmap: applies to pages added afterwards. */
extern bool hugetlb_optimize_vmemmap;

/*
 * Prepare @nr freshly allocated blocks of 2^@order pages (heads on @list via
 * lru, allocated WITHOUT __GFP_COMP) as compound pages and, when
 * hugetlb_optimize_vmemmap is on, optimize their vmemmap. Blocks that
 * cannot be optimized (out of memory) are still fully prepared compound
 * pages, just not optimized. Never fails.
 */
void hugetlb_vmemmap_prep_folios(unsigned int order, struct list_head *list);

/*
 * Restore the vmemmap of every optimized page on @list (compound heads via
 * lru) so they can go back to the buddy allocator, which is all a caller
 * may do with them next. Restored pages (and pages that were never
 * optimized) move to @restored; a page whose vmemmap cannot be restored
 * (out of memory) stays on @list, still optimized and intact. The restore
 * form "copy" restores compound tails (the buddy allocator then clears
 * them, as in Linux); "dissolve" writes the struct pages once, already as
 * free pages, so a restored page may no longer be compound. Returns the
 * number left.
 */
long hugetlb_vmemmap_restore_folios(struct list_head *list, struct list_head *restored);

/* Vmemmap pages per huge page of @order that HVO frees (7 for 2 MiB, 4095 for 1 GiB). */
unsigned long hugetlb_vmemmap_optimizable_pages(unsigned int order);

/*
 * Every strategy finishes its flushes (and frees the old frames) before
 * these calls return: the memory saved shows in MemFree at once.
 */

/* The flush strategy by name ("page", "batch", "precise", "deferred"). */
int hugetlb_vmemmap_set_strategy(const char *name);
const char *hugetlb_vmemmap_strategy(void);
extern const char *const hugetlb_vmemmap_strategies[]; /* NULL-terminated */
/* How struct pages are written ("full", "unshared") and restored ("copy", "dissolve"). */
int hugetlb_vmemmap_set_init(const char *name);
const char *hugetlb_vmemmap_init_form(void);
extern const char *const hugetlb_vmemmap_inits[]; /* NULL-terminated */
int hugetlb_vmemmap_set_restore(const char *name);
const char *hugetlb_vmemmap_restore_form(void);
extern const char *const hugetlb_vmemmap_restores[]; /* NULL-terminated */

/*
 * How the vmemmap of the huge page at @head is mapped, for a student to see:
 * runs of consecutive vmemmap pages (0 is the head's) that map consecutive
 * frames of their own, or one shared tail page, with one protection and
 * leaf size. Fills up to @max runs and returns how many there are in all
 * (more than @max: the rest were not stored), or -ENOENT.
 */
struct vmemmap_run {
	unsigned long first, last; /* vmemmap pages of the huge page */
	uint64_t pa;		   /* the frame of page @first */
	bool writable;
	bool shared; /* the shared read-only tail page of HVO */
	int level;   /* enum pg_level of the leaf: 2 MiB until HVO splits it */
};
int hugetlb_vmemmap_describe(struct page *head, struct vmemmap_run *runs, int max);

#endif
