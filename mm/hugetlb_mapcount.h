/*
 * How a hugetlb folio counts its mappings: three schemes from the 2023
 * Linux HGM debate ([houghton-2023], docs/references.md), chosen at run time through
 * /sys/kernel/debug/flushlab/hugetlb_mapcount_scheme. Every mapcount atomic
 * they do is counted (/proc/vmstat hugetlb_mapcount_inc/_dec). The one
 * count a folio has besides its subpages' _mapcount lives in head[1]._spare
 * (the first vmemmap page, which HVO never shares).
 *
 *   subpage: an entry below the hstate level adds 1 to _mapcount of every
 *            4 KiB subpage it maps (a PMD: 512); a hstate-level leaf adds
 *            1 to the folio count (Linux's THP "entire" mapcount).
 *   head:    every entry, of any size, adds 1 to the folio count.
 *   pxd:     the folio count is 1 while the hstate-level entry (PUD for
 *            1 GiB, PMD for 2 MiB) is populated, as a leaf or a table.
 */
#ifndef MM_HUGETLB_MAPCOUNT_H
#define MM_HUGETLB_MAPCOUNT_H

#include <stdbool.h>

#include "mm/mmu.h"
#include "mm/page.h"

enum hugetlb_mapcount_scheme {
	HUGETLB_MAPCOUNT_SUBPAGE,
	HUGETLB_MAPCOUNT_HEAD,
	HUGETLB_MAPCOUNT_PXD,
	NR_HUGETLB_MAPCOUNT_SCHEMES
};

enum hugetlb_mapcount_scheme hugetlb_mapcount_scheme(void);
const char *hugetlb_mapcount_scheme_name(enum hugetlb_mapcount_scheme s);
/*
 * By name: 0, -EINVAL (no such scheme), -EBUSY (a hugetlb block is mapped,
 * or a page reserved or in use). Atomic against mmap (hugetlb_mapcount_map_begin).
 */
int hugetlb_set_mapcount_scheme(const char *name);

/*
 * An mmap of @blocks hugetlb pages of @h begins (before it reserves): 0,
 * with the blocks counted so that the scheme cannot change under them, or
 * -EOPNOTSUPP when the scheme is subpage and @h holds HVO pages (a
 * rate-limited console line says why). Every block counted is uncounted
 * once, by hugetlb_mapcount_map_end: at its unmap, or by a failed mmap.
 */
struct hstate;
int hugetlb_mapcount_map_begin(struct hstate *h, unsigned long blocks);
void hugetlb_mapcount_map_end(unsigned long blocks);

/* Mapcount atomics done since boot (each one RMW on a count). */
unsigned long hugetlb_mapcount_incs(void);
unsigned long hugetlb_mapcount_decs(void);

/*
 * One entry of @level maps the part of the folio @head (hstate level
 * @hlevel) that starts at subpage @idx: count it (add) or uncount it
 * (remove) under the current scheme. Caller holds the mm's lock.
 */
void hugetlb_add_rmap(struct page *head, unsigned long idx, enum pg_level level,
		      enum pg_level hlevel);
void hugetlb_remove_rmap(struct page *head, unsigned long idx, enum pg_level level,
			 enum pg_level hlevel);
/* The hstate-level entry of @head became populated (leaf or table) / empty: pxd counts it. */
void hugetlb_pxd_populate(struct page *head);
void hugetlb_pxd_clear(struct page *head);

/* The folio's own count (head[1]._spare): entire, entries or pxd, by scheme. */
int hugetlb_folio_count(const struct page *head);
/*
 * Linux-style queries, answered by each scheme as it can:
 *   folio_mapcount: subpage: count + sum of subpage counts (Linux's
 *     total_mapcount: a PMD counts 512); head: the entries; pxd: 0 or 1.
 *   page_mapcount of subpage @idx: subpage: entries that map it (exact);
 *     head and pxd: the folio's answer (they cannot tell subpages apart).
 */
long hugetlb_folio_mapcount(const struct page *head, unsigned int order);
long hugetlb_page_mapcount(const struct page *head, unsigned long idx);

/* What a page-table walk found mapping one folio: the checker's input. */
struct hugetlb_walk_counts {
	unsigned long hstate_leaves, pmd_leaves, pte_leaves; /* entries by size */
	unsigned long units;				     /* 4 KiB subpages mapped */
	bool populated; /* the hstate-level entry is a leaf or a table */
};
/*
 * Compare @head's counts with @w under the current scheme, subpage by
 * subpage where the scheme counts subpages. NULL if right, else what is
 * wrong (a static string).
 */
const char *hugetlb_check_counts(const struct page *head, unsigned int order,
				 const struct hugetlb_walk_counts *w);

#endif
