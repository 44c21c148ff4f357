/*
 * hugetlb in user address spaces (mm/hugetlb_mm.c) and high-granularity
 * mapping (mm/hugetlb_hgm.c): mmap(MAP_HUGETLB)'s preparation, and what
 * mm_check.c and madvise call for VMAs with VM_HUGETLB; the rest is
 * hugetlb_vm_ops (mm/vm_ops.h). All with the mm's lock held unless said.
 * A hugetlb VMA's vm_private_data is its struct hstate.
 */
#ifndef MM_HUGETLB_MM_H
#define MM_HUGETLB_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/hugetlb.h"
#include "mm/mmu.h"
#include "mm/vma.h"

struct mm_struct;
struct mmu_gather;
struct vm_area_desc;

static inline bool is_vm_hugetlb_page(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_HUGETLB;
}

static inline struct hstate *hstate_vma(const struct vm_area_struct *vma)
{
	return vma->vm_private_data;
}

/* The level of the page-table entry that maps a whole page of @h. */
static inline enum pg_level hstate_level(const struct hstate *h)
{
	return h->order == HUGETLB_ORDER_1G ? PG_LEVEL_1G : PG_LEVEL_2M;
}

static inline uint64_t huge_page_size(const struct hstate *h)
{
	return PAGE_SIZE << h->order;
}

/*
 * mmap(MAP_HUGETLB), before the VMA exists (no lock): @desc made a hugetlb
 * one (hugetlb_vm_ops, VM_HUGETLB, the hstate that @flags name: MAP_HUGE_2MB,
 * MAP_HUGE_1GB, or the default 2 MiB), its len rounded up to the size and
 * used as the alignment, a MAP_FIXED @addr checked, and the pages reserved
 * unless MAP_NORESERVE. 0, -EINVAL (unknown size, misaligned fixed
 * address), -ENOMEM (the pool is short, or the rounded range no longer
 * fits), -EOPNOTSUPP (scheme subpage with HVO-optimized pages: docs/hgm.md).
 */
long hugetlb_mmap_prepare(struct vm_area_desc *desc, int flags, uintptr_t addr);
/* Undo the reservation of a prepare whose mmap failed later. */
void hugetlb_mmap_cancel(const struct vm_area_desc *desc);
/* Check every hugetlb VMA of @mm against its page tables; the 4 KiB units mapped in *@units. */
int hugetlb_check_mm(struct mm_struct *mm, char *why, size_t len, unsigned long *units);
/* The folio (head) the populated hstate-level entry at @block maps, or NULL. */
struct page *hugetlb_block_folio(struct mm_struct *mm, uintptr_t block, const struct hstate *h);

/* ---- high-granularity mapping (mm/hugetlb_hgm.c) ---- */

/*
 * MADV_SPLIT of [start, end) in hugetlb VMAs: every leaf larger than 4 KiB
 * that the range touches becomes 512 leaves of the next size down. 0, or
 * -ENOMEM (no page table: the leaves not yet split stay as they were).
 */
long hgm_split_range(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* Split the leaves around @addr until @addr is a 4 KiB boundary between leaves. */
long hugetlb_split_edge(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t addr);
/*
 * MADV_COLLAPSE of [start, end) in hugetlb VMAs: every huge page wholly
 * inside becomes one hstate-level leaf; else every 2 MiB block of a 1 GiB
 * page wholly inside becomes one PMD leaf. Allocates nothing. 0, or
 * -EINVAL (the range holds no block to collapse).
 */
long hgm_collapse_range(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* HGM counters since boot, in /proc/vmstat under these names (hgm_vmstat). */
enum hgm_stat {
	HGM_SPLITS,	       /* hgm_split: leaves split */
	HGM_COLLAPSES_PMD,     /* hgm_collapse_pmd: PTE tables made 2 MiB leaves */
	HGM_COLLAPSES_HSTATE,  /* hgm_collapse_hstate: huge pages mapped whole again */
	HGM_PT_PAGES_FREED,    /* hgm_pt_pages_freed: page-table pages collapses freed */
	HGM_COLLAPSE_NS,       /* hgm_collapse_ns: in-kernel time of MADV_COLLAPSE on hugetlb */
	HGM_COLLAPSE_WALK_NS,  /* hgm_collapse_walk_ns: of it, walking and uncounting */
	HGM_COLLAPSE_FLUSH_NS, /* hgm_collapse_flush_ns: of it, the flushes */
	NR_HGM_STATS
};
unsigned long hgm_stat_read(enum hgm_stat i);
struct seq_buf;
/* The hgm_* and hugetlb_mapcount_* lines of /proc/vmstat. */
void hgm_vmstat(struct seq_buf *s);

#endif
