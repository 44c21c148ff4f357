/*
 * HugeTLB pools: one struct hstate per huge page size (2 MiB and 1 GiB),
 * grown and shrunk with Linux's semantics (mm/hugetlb.c there) through
 * /proc/sys/vm/nr_hugepages and /sys/kernel/mm/hugepages/. Pages enter a
 * pool in one batch through hugetlb_vmemmap_prep_folios (HVO) and leave it
 * in one batch through hugetlb_vmemmap_restore_folios.
 */
#ifndef MM_HUGETLB_H
#define MM_HUGETLB_H

#include <stdbool.h>
#include <stddef.h>

#include "mm/list.h"
#include "mm/page.h"

struct seq_buf;

#define HUGETLB_ORDER_2M 9
#define HUGETLB_ORDER_1G 18
#define HUGE_MAX_HSTATE 2

/* The largest pool size a write may ask for; more is "Invalid argument". */
#define HUGETLB_MAX_COUNT 0x7fffffffUL

/*
 * One pool. Counters as Linux's: nr_huge_pages counts every page the pool
 * owns (free or in use, surplus included); surplus_huge_pages those of them
 * above the persistent size (nr - surplus); resv_huge_pages the free pages
 * promised to MAP_HUGETLB mappings not yet faulted (mm/hugetlb_mm.c). max_huge_pages is the
 * persistent size the last resize reached, what /proc/sys/vm/nr_hugepages reads. Protected by
 * hugetlb_lock (mm/hugetlb.c).
 */
struct hstate {
	unsigned int order;
	char name[32]; /* "hugepages-2048kB" */
	unsigned long max_huge_pages;
	unsigned long nr_huge_pages;
	unsigned long free_huge_pages;
	unsigned long surplus_huge_pages;
	unsigned long resv_huge_pages;
	unsigned long nr_overcommit_huge_pages; /* always 0: no overcommit yet */
	struct list_head hugepage_freelists;	/* free heads, via lru */
	struct list_head hugepage_activelist;	/* heads in use, via lru */
};

extern struct hstate hstates[HUGE_MAX_HSTATE];
#define default_hstate (hstates[0]) /* 2 MiB, as x86's default_hugepagesz */
#define for_each_hstate(h) for (h = hstates; h < hstates + HUGE_MAX_HSTATE; h++)

static inline unsigned long pages_per_huge_page(const struct hstate *h)
{
	return 1UL << h->order;
}

static inline unsigned long huge_page_size_kb(const struct hstate *h)
{
	return (PAGE_SIZE / 1024) << h->order;
}

/* The hstate of @kb kilobytes (2048 or 1048576), or NULL. */
struct hstate *size_to_hstate(unsigned long kb);

/*
 * Resize @h's persistent pool to @count pages (Linux's set_max_huge_pages):
 * growth is best effort and stops at the first failed allocation; shrinking
 * frees free pages only, and pages in use beyond @count become surplus.
 * 0, or -EINVAL when @count exceeds HUGETLB_MAX_COUNT (nothing changes).
 * Console context only: may run for a long time holding hugetlb_lock.
 */
int set_max_huge_pages(struct hstate *h, unsigned long count);
/* Add prepared, optimized compound pages (on @list via lru) as free pool pages. */
void hugetlb_add_boot_folios(struct hstate *h, struct list_head *list);

/*
 * Take @n free pages of @h into use, all or none (the stand-in for a
 * process faulting hugetlb pages in). 0, or -ENOMEM with nothing taken.
 */
int hugetlb_take_pages(struct hstate *h, unsigned long n);

/*
 * Give back @n pages in use (Linux's free_huge_folio for each): a page
 * goes back to the free list, or, while the pool has surplus pages, to the
 * buddy allocator after its vmemmap is restored. 0, or -EINVAL (nothing
 * given back) when fewer than @n are in use.
 */
int hugetlb_give_pages(struct hstate *h, unsigned long n);

/*
 * ---- user mappings (mm/hugetlb_mm.c) ----
 * Linux's reservation rules: mmap(MAP_HUGETLB) reserves one free page per
 * huge page of the mapping (hugetlb_reserve_pages: 0, or -ENOMEM with
 * nothing reserved); a fault consumes one; munmap gives back the unused
 * ones. alloc_hugetlb_folio takes a free page into use (@use_resv: from a
 * reservation; else only an unreserved free page): its head, or NULL.
 * free_huge_folio gives one back (@rereserve: it becomes a reserved free
 * page again, for a mapping that keeps its promise after MADV_DONTNEED).
 * Any context a #PF may run in: they serve shootdowns while they wait.
 */
int hugetlb_reserve_pages(struct hstate *h, unsigned long n);
void hugetlb_unreserve_pages(struct hstate *h, unsigned long n);
struct page *alloc_hugetlb_folio(struct hstate *h, bool use_resv);
void free_huge_folio(struct hstate *h, struct page *page, bool rereserve);
/* Pages of @h's pool (free or in use) whose vmemmap HVO optimized. */
unsigned long hugetlb_nr_optimized(struct hstate *h);
/* Is any hugetlb page of any pool reserved or in use? */
bool hugetlb_any_in_use(void);

/* Pages of @h in use (taken and not given back). */
unsigned long hugetlb_pages_in_use(const struct hstate *h);
/*
 * The head of the @n-th page of @h's pool (free pages first, then pages in
 * use), or NULL: for views such as `hugepage vmemmap`. The page may leave
 * the pool once the call returns; only the console, which also resizes
 * pools, should use it.
 */
struct page *hugetlb_pool_page(struct hstate *h, unsigned long n);

/*
 * A consistent copy of @h's counters, taken under hugetlb_lock. The copy's
 * list heads are meaningless: read its counters only.
 */
void hugetlb_snapshot(const struct hstate *h, struct hstate *out);

/*
 * Check every pool against its counters: each page on the free and active
 * lists a hugetlb compound head of the pool's order, the lists' lengths
 * equal to free and nr - free, surplus <= nr, resv <= free. 0, or -EINVAL with
 * the first broken rule in @why.
 */
int hugetlb_check_pools(char *why, size_t len);

/* The HugePages_* / Hugepagesize / Hugetlb lines of /proc/meminfo. */
void hugetlb_report_meminfo(struct seq_buf *s);

/* Register the hugetlb pseudo-files (mm/hugetlb_sysfs.c). */

#endif
