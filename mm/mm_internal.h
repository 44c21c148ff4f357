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
#include "mm/vm_ops.h"
#include "smp/tlbflush.h"

/*
 * Take @mm's lock. Interrupts may be off (a #PF taken through an interrupt
 * gate): the wait then serves shootdowns aimed at this CPU, so a holder
 * that is flushing while we wait cannot deadlock with us.
 */
void mm_lock(struct mm_struct *mm);
void mm_unlock(struct mm_struct *mm);

/*
 * Linux's mmu_gather (mm/mmu_gather.c): pages and page-table pages
 * unmapped from @mm are collected here and freed only after the flush in
 * tlb_flush_mmu, so no CPU can still reach them through a TLB or
 * paging-structure cache entry.
 */
#define MMU_GATHER_MAX_KINDS 8 /* kinds with a zap_finish hook (mm/vm_ops.h) */
#define MMU_GATHER_BUNDLE 64   /* shared pages held in the gather itself */

/* A page of pointers to more shared pages, taken when the bundle is full. */
struct mmu_gather_batch {
	struct mmu_gather_batch *next;
	struct page *page; /* the frame this batch lives in */
	unsigned long nr;
	struct page *pages[];
};
#define MMU_GATHER_BATCH_PAGES                                                                     \
	((PAGE_SIZE - sizeof(struct mmu_gather_batch)) / sizeof(struct page *))

struct mmu_gather {
	struct mm_struct *mm;
	uintptr_t start, end;	 /* range to flush; start >= end: nothing */
	bool freed_tables;	 /* page-table pages were unlinked: flush lazy CPUs too */
	struct list_head pages;	 /* pages this mapping alone held, freed through page->lru */
	enum flush_cause cause;	 /* FLUSH_USER unless the gatherer names its own */
	struct list_head tables; /* page-table pages to free, through page->lru */
	struct list_head hugetlb_folios; /* hugetlb folios for their pool, through head[2].lru */
	unsigned long dax_bytes[DEVDAX_MAX_DEVICES]; /* device bytes unmapped, by instance */
	/* The tables whose zap ran into this gather and that have a zap_finish, once each. */
	const struct vm_operations_struct *zap_finish[MMU_GATHER_MAX_KINDS];
	int nr_zap_finish;
	/*
	 * Pages another mm maps too (fork's copy-on-write, shared anonymous
	 * memory, the page cache's): never linked through page->lru, which
	 * the other holder's gather may be using; their reference is put
	 * after the flush. The bundle first, then batch pages (kept from one
	 * flush to the next, freed by tlb_finish_mmu).
	 */
	struct page *shared[MMU_GATHER_BUNDLE];
	unsigned int nr_shared;
	unsigned int nr_batches;
	struct mmu_gather_batch *batches;
	uintptr_t dirty_table; /* a 2 MiB table that held a dirty file page, to flush on leaving */
};

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
/* Flush what was gathered (targeted by mm_cpumask), then free it; the gather goes on. */
void tlb_flush_mmu(struct mmu_gather *tlb);
/* The last flush and free of a gather (tlb_flush_mmu, and its batch pages go back). */
void tlb_finish_mmu(struct mmu_gather *tlb);
/* Free the unlinked page-table page @table_pa after the flush (and flush lazy CPUs too). */
void tlb_remove_table_pa(struct mmu_gather *tlb, uint64_t table_pa);
/* Remember that [start, end) must be flushed (protection changes). */
void tlb_flush_range_add(struct mmu_gather *tlb, uintptr_t start, uintptr_t end);
/*
 * Queue the reference of a page zapped from @tlb->mm, to be put after the
 * flush (freed with the last one): on tlb->pages if no one else holds it,
 * else in the shared arrays (a gather that cannot grow flushes early). The
 * caller has put the page's address in the range already.
 */
void tlb_remove_page(struct mmu_gather *tlb, struct page *page);
/*
 * tlb_remove_page for a page of a file or of shared memory zapped at @va,
 * with Linux's flush on leaving a page table that held a @dirty one; the
 * zap calls tlb_end_file_zap when it is done, for the last table.
 */
void tlb_remove_file_page(struct mmu_gather *tlb, struct page *page, uintptr_t va, bool dirty);
void tlb_end_file_zap(struct mmu_gather *tlb);

/* May VMAs be cut at @start and @end (their kinds' may_split)? 0 or -EINVAL; lock held. */
int may_split_range(struct mm_struct *mm, uintptr_t start, uintptr_t end);
/* munmap of [start, end) with the lock held: VMAs, pages and tables, into @tlb. */
int __do_munmap(struct mm_struct *mm, struct mmu_gather *tlb, uintptr_t start, uintptr_t end);
/*
 * MADV_DONTNEED's unmap of [start, end) (inside @vma, which stays), into
 * @tlb, through the VMA's table: 0 or -ENOMEM (a leaf the range cuts could
 * not be split; nothing of the range unmapped).
 */
int zap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		   uintptr_t end);
/*
 * Unmap the whole of @vma into the struct mmu_gather @tlb, as it goes away
 * (a vma_range_fn for vma_unmap_range: munmap, MAP_FIXED, exit). Cannot fail.
 */
void unmap_vma(struct vm_area_struct *vma, void *tlb);
/* Unlink the page-table pages that became empty under [start, end), into @tlb. */
void free_pgtables(struct mmu_gather *tlb, uintptr_t start, uintptr_t end);
/* MMU_* protection of a VMA's leaves (x86: any access flag implies read). */
unsigned int vm_flags_to_mmu_prot(unsigned long vm_flags);

/* ---- copy-on-write and fork (mm/cow.c, mm/fork.c) ---- */
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

/*
 * fork's copy in progress (mm/fork.c): the two mms, and the range of the
 * parent's leaves made read-only, flushed once at the end (FLUSH_FORK_WRPROTECT).
 */
struct fork_copy {
	struct mm_struct *dst, *src;
	bool cow;		   /* the VMA being copied shares its pages copy-on-write */
	uintptr_t wp_lo, wp_hi;	   /* the parent's leaves made read-only: the range to flush */
	unsigned long wrprotected; /* how many */
};
/*
 * The object behind a MAP_SHARED|MAP_ANONYMOUS mapping of @len bytes
 * (mm/anon_shared.c), with the one reference its VMA will hold; NULL when
 * out of memory. anon_shared_put drops a reference (freeing it and its
 * pages with the last).
 */
void *anon_shared_create(size_t len);
void anon_shared_put(void *obj);
/*
 * anon_vm_ops' dup (mm/vm_ops.h): copy @src's 4 KiB leaves into @dst's mm,
 * private writable pages shared read-only (THPs split first). 0 or -ENOMEM.
 */
int anon_dup(struct fork_copy *c, struct vm_area_struct *dst, struct vm_area_struct *src);
/*
 * Copy @src's 4 KiB leaves into @c->dst's mm, each page one more reference
 * and mapcount, each writable leaf made read-only in both if @c->cow (the
 * range goes into @c for fork's one flush). 0 or -ENOMEM.
 */
int copy_present_leaves(struct fork_copy *c, struct vm_area_struct *src);

/*
 * The shared zero page (mm/anon.c; Linux's zero_pfn): mapped read-only by
 * anonymous read faults, never counted, referenced or freed. Made by
 * zero_page_init (mm/mm_user.h) at boot, once the allocator runs.
 */
extern unsigned long zero_pfn;

static inline bool is_zero_pfn(unsigned long pfn)
{
	return pfn == zero_pfn;
}

/*
 * What an mmap is about to create, filled in by the kind's mmap (do_mmap
 * for anonymous and hugetlb memory, do_mmap_devdax for a device) before any
 * VMA exists (Linux's struct vm_area_desc).
 */
struct vm_area_desc {
	size_t len;		/* bytes, a multiple of @align */
	size_t align;		/* of the start mmap picks (a MAP_FIXED one was checked) */
	unsigned long vm_flags; /* VM_* */
	unsigned long pgoff;	/* in the backing object; VMA_PGOFF_ANON: none */
	const struct vm_operations_struct *vm_ops;
	void *private_data; /* the VMA's vm_private_data */
};
/* No backing object: vm_pgoff is the start's page number (Linux's choice, lets neighbours merge).
 */
#define VMA_PGOFF_ANON (~0UL)

/*
 * mmap's common path, lock not held: allocate the VMA, check the limits,
 * place it (MAP_FIXED: at *@addr, unmapping what was there, unless
 * MAP_FIXED_NOREPLACE finds something: -EEXIST; else at the hint *@addr if
 * free, or the highest gap, aligned), insert it, let the kind populate it
 * (vm_ops->mmap_populate) and merge it. 0 and *@addr set, or -errno with
 * nothing changed.
 */
long mmap_region(struct mm_struct *mm, const struct vm_area_desc *desc, uintptr_t *addr, int flags);

/* ---- device-dax VMAs (mm/devdax_mmap.c) ---- */
struct mmu_mapping;
bool vma_is_devdax(const struct vm_area_struct *vma);
int devdax_check_leaf(const struct vm_area_struct *vma, uintptr_t va, const struct mmu_mapping *m,
		      char *why, size_t len);
const char *devdax_vma_name(const struct vm_area_struct *vma);

#endif
