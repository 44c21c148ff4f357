/*
 * Private to mm/'s user address-space files (memory.c, mmap.c, mm_check.c):
 * the mm lock, the mmu_gather that defers frees past the TLB flush, and the
 * helpers they share. Not for other subsystems: they use mm/mm_user.h.
 */
#ifndef MM_MM_INTERNAL_H
#define MM_MM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/devmem.h"
#include "mm/list.h"
#include "mm/mm_types.h"

/*
 * Take @mm's lock. Interrupts may be off (a #PF taken through an interrupt
 * gate): the wait then serves shootdowns aimed at this CPU, so a holder
 * that is flushing while we wait cannot deadlock with us.
 */
void mm_lock(struct mm_struct *mm);
void mm_unlock(struct mm_struct *mm);

/*
 * Linux's mmu_gather: pages and page-table pages unmapped from @mm are
 * collected here and freed only after the flush in tlb_finish_mmu, so no
 * CPU can still reach them through a TLB or paging-structure cache entry.
 */
#define MMU_GATHER_SHARED 64 /* pages other mappings still share, put after a flush */

struct mmu_gather {
	struct mm_struct *mm;
	uintptr_t start, end;		 /* range to flush; start >= end: nothing */
	bool freed_tables;		 /* page-table pages were unlinked: flush lazy CPUs too */
	struct list_head pages;		 /* data pages to put, through page->lru */
	struct list_head tables;	 /* page-table pages to free, through page->lru */
	struct list_head hugetlb_folios; /* hugetlb folios for their pool, through head[2].lru */
	unsigned long dax_bytes[DEVDAX_MAX_DEVICES]; /* device bytes unmapped, by instance */
	/*
	 * Pages another mm maps too (fork's copy-on-write, shared anonymous
	 * memory): never linked through page->lru, which the other mm's
	 * gather may be using; their reference is put after the flush.
	 */
	struct page *shared[MMU_GATHER_SHARED];
	unsigned int nr_shared;
};

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
/* Flush what was gathered (targeted by mm_cpumask), then free it. */
void tlb_finish_mmu(struct mmu_gather *tlb);
/* Free the unlinked page-table page @table_pa after the flush (and flush lazy CPUs too). */
void tlb_remove_table_pa(struct mmu_gather *tlb, uint64_t table_pa);
/* Remember that [start, end) must be flushed (protection changes). */
void tlb_flush_range_add(struct mmu_gather *tlb, uintptr_t start, uintptr_t end);

/* munmap of [start, end) with the lock held: VMAs, pages and tables, into @tlb. */
int __do_munmap(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t start, uintptr_t end);
/* Unmap every page of [start, end) (inside @vma), into @tlb. */
void zap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		    uintptr_t end);
/* Unlink the page-table pages that became empty under [start, end), into @tlb. */
void free_pgtables(struct mmu_gather *tlb, uintptr_t start, uintptr_t end);
/* Set the leaves of @vma to its vm_flags' protection, into @tlb's range. */
void change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma);
/* MMU_* protection of a VMA's leaves (x86: any access flag implies read). */
unsigned int vm_flags_to_mmu_prot(unsigned long vm_flags);
/*
 * Put the reference of a page zapped from @tlb->mm (after the flush that
 * made it unreachable from @tlb->mm's TLBs): freed with the last one.
 */
void tlb_remove_page(struct mmu_gather *tlb, struct page *page);
/* Flush what was gathered so far and put the pages, keeping the tables for the end. */
void tlb_flush_mmu(struct mmu_gather *tlb);
/* An anonymous private VMA whose 4 KiB pages fork shares copy-on-write. */
bool vma_is_cow(const struct vm_area_struct *vma);
/*
 * @prot for the 4 KiB leaf of frame @pa in a VMA (@cow: vma_is_cow):
 * without MMU_WRITE while another mapping shares the page.
 */
unsigned int cow_leaf_prot(bool cow, uint64_t pa, unsigned int prot);
/* Drop one reference of an order-0 anonymous page; free it with the last. */
void put_anon_page(struct page *page);
/* A write fault on a read-only leaf of a private writable VMA: copy or reuse (mm locked). */
int do_wp_page(struct vm_area_struct *vma, uintptr_t addr, uint64_t pa);
/* Map a new zeroed page at @addr in @vma (mm locked): 0 or -ENOMEM. */
int do_anonymous_page(struct vm_area_struct *vma, uintptr_t addr);

/* ---- device-dax VMAs (mm/devdax_mmap.c) ---- */
struct mmu_mapping;
bool vma_is_devdax(const struct vm_area_struct *vma);
int devdax_mmap_check(struct dev_dax *d, bool writable, size_t len, int prot, int flags,
		      uint64_t off);
int devdax_mmap_populate(struct vm_area_struct *vma);
/* A #PF in a device-dax VMA (mm locked): 0 (retry the access) or -EFAULT. */
int devdax_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags);
void devdax_zap_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		      uintptr_t end);
void devdax_tlb_finish(struct mmu_gather *tlb);
int devdax_may_split(struct vma_set *set, uintptr_t addr);
int devdax_check_leaf(const struct vm_area_struct *vma, uintptr_t va, const struct mmu_mapping *m,
		      char *why, size_t len);
const char *devdax_vma_name(const struct vm_area_struct *vma);

#endif
