/*
 * Transparent huge pages (mm/huge_memory.c): anonymous 2 MiB pages mapped
 * by one PMD at fault time, split into 512 small pages by an operation that
 * cannot fail, collapsed back by madvise(MADV_COLLAPSE). Called by the
 * fault, zap, protect and madvise paths of memory.c and mmap.c, all with
 * the mm's lock held unless a function says otherwise.
 */
#ifndef MM_HUGE_MEMORY_H
#define MM_HUGE_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mmu.h"

struct mm_struct;
struct mmu_gather;
struct page;
struct seq_buf;
struct vm_area_struct;

/* /sys/kernel/mm/transparent_hugepage/enabled (Linux's words). */
enum thp_enabled { THP_ENABLED_ALWAYS, THP_ENABLED_MADVISE, THP_ENABLED_NEVER };
extern int transparent_hugepage_enabled;

/* /proc/vmstat events, Linux's names; the last is flushlab's own. */
enum thp_event {
	THP_FAULT_ALLOC,
	THP_FAULT_FALLBACK,
	THP_SPLIT_PMD,
	THP_SPLIT_PAGE,
	THP_COLLAPSE_ALLOC,
	THP_COLLAPSE_ALLOC_FAILED,
	THP_ZERO_PAGE_ALLOC,
	THP_COLLAPSE_ABORT, /* a PTE changed while the lock was dropped: gave up */
	NR_THP_EVENTS
};
unsigned long thp_event_count(enum thp_event e);
/* 2 MiB pages mapped by a PMD now (Linux's NR_ANON_THPS, /proc/meminfo AnonHugePages). */
unsigned long nr_anon_thps(void);

/*
 * May a fault (@enforce_sysfs: the enabled knob applies) or MADV_COLLAPSE
 * (@enforce_sysfs false) map [haddr, haddr + 2 MiB) of @vma with one PMD?
 */
bool thp_vma_allowable(const struct vm_area_struct *vma, uintptr_t haddr, bool enforce_sysfs);
/*
 * Map a zeroed 2 MiB page over the empty PMD of @addr: 0, or -EAGAIN when
 * the page or the deposit could not be allocated (counted as
 * thp_fault_fallback; the caller maps 4 KiB instead).
 */
int do_huge_pmd_anonymous_page(struct vm_area_struct *vma, uintptr_t addr);
/* Unmap the 2 MiB leaf at @haddr into @tlb (page freed after the flush). */
void zap_huge_pmd(struct mmu_gather *tlb, struct mm_struct *mm, uintptr_t haddr);
/*
 * split_huge_pmd then split_huge_page of the 2 MiB leaf at @haddr, if
 * there is one: 512 PTEs from the deposited table, 512 order-0 pages.
 * Cannot fail, allocates nothing; flushes the 2 MiB on mm_cpumask's CPUs.
 */
void split_huge_pmd_address(struct mm_struct *mm, uintptr_t haddr);
/* Split the leaves that [start, end) cuts (at most the two at its ends). */
void split_huge_pmd_edges(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* Split every leaf that intersects [start, end). */
void split_huge_pmd_range(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/*
 * madvise(MADV_COLLAPSE) of [start, end), called WITHOUT the mm lock (it
 * drops it to allocate): each 2 MiB block wholly inside becomes one leaf.
 * 0; -ENOMEM (unmapped range, or no huge page), -EINVAL (VMA not eligible
 * or nothing to collapse), -EAGAIN (a PTE changed: retry).
 */
long madvise_collapse(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* Tests: called by collapse with the lock dropped, between scan and recheck. */
extern void (*thp_collapse_test_hook)(struct mm_struct *mm, uintptr_t haddr);

/* For khugepaged.c: count @e; account @hpage just mapped by a PMD, @table its deposit. */
void thp_count_event(enum thp_event e);
void thp_account_pmd_map(struct mm_struct *mm, struct page *hpage, uint64_t table);

/* The checker's rules for a 2 MiB leaf's page: NULL if right, else what is wrong. */
const char *thp_check_mapped_page(const struct page *head);
/* Linux's folio_entire_mapcount: how many PMDs map the whole compound page. */
int thp_entire_mapcount(const struct page *head);

void thp_vmstat(struct seq_buf *s);

#endif
