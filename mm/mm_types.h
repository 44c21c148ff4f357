/*
 * struct mm_struct: one user address space (Linux's name and role): its
 * page-table root, its VMAs, its counters, and the CPUs that have it loaded
 * (mm_cpumask, what targeted shootdowns are aimed by). struct
 * vm_area_struct lives in mm/vma.h so the VMA code compiles on the host.
 *
 * An interface read from below: the flush engine's user-mm half
 * (smp/tlb_mm.c) reads an mm's cpumask, root and TLB generation here, as
 * Linux's arch/x86/mm/tlb.c reads mm_struct. It is the one include that
 * runs up the layering (tools/layering.py lists it as an interface).
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include <stdint.h>

#include "kernel/spinlock.h"
#include "mm/list.h"
#include "mm/vma.h"
#include "smp/cpumask.h"

/* RSS counters (Linux's enum: MM_FILEPAGES, MM_ANONPAGES, ...). */
enum mm_counter {
	MM_ANONPAGES,  /* anonymous 4 KiB pages mapped */
	MM_HUGEPAGES,  /* reserved for THP/hugetlb (issues 9, 10): 4 KiB units */
	MM_SHMEMPAGES, /* tmpfs and memfd page-cache pages mapped (fs/shmem_mmap.c) */
	NR_MM_COUNTERS
};

struct mm_struct {
	uint64_t pgd;	     /* physical address of the PML4 */
	struct vma_set vmas; /* mm->mmap in old Linux */
	/*
	 * Protects vmas, the user page tables and the counters (Linux's
	 * mmap_lock plus page_table_lock in one). Taken with interrupts on.
	 */
	struct spinlock lock;
	int mm_users; /* threads using it; last mmput tears down the address space */
	/*
	 * References to the struct itself (Linux's mm_count): all the users
	 * together hold one, khugepaged's list another. The last mmdrop frees
	 * the struct; the pages and tables went at mm_users == 0.
	 */
	int mm_count;
	struct list_head khugepaged_node; /* on khugepaged's list (mm/khugepaged_scan.c) */
	bool khugepaged_entered;	  /* Linux's MMF_VM_HUGEPAGE; under khugepaged's lock */
	uint64_t khugepaged_enter_ns;	  /* when it joined the list (clock_ns) */
	long rss[NR_MM_COUNTERS];	  /* pages, under lock */
	long pgtables_pages; /* page-table pages below pgd (Linux's mm->pgtables_bytes / 4096) */
	/*
	 * Page tables deposited for the split of each 2 MiB leaf (Linux's
	 * pmd_huge_pte): a stack of physical addresses chained through each
	 * table's struct page private; counted in pgtables_pages too.
	 */
	uint64_t pmd_huge_pte;
	long nr_pmd_huge_pte;
	uintptr_t mmap_base; /* top of the top-down mmap area */
	/*
	 * CPUs that have this mm in CR3, lazily or not: set before the CR3
	 * write and cleared after the next one, only by switch_mm_irqs_off
	 * and leave_mm (smp/tlb_mm.c), which argue the ordering.
	 */
	struct cpumask cpu_bitmap;
	/*
	 * Flushes requested for this mm (Linux's mm->context.tlb_gen). Bumped
	 * with a LOCK XADD by every flush_tlb_mm_range, between the PTE stores
	 * and the read of the mask: the barrier smp/tlb_mm.c argues with.
	 */
	uint64_t tlb_gen;
	/*
	 * Names this address space for the PCID slots (Linux's
	 * mm->context.ctx_id): unique for the kernel's lifetime, never 0,
	 * never reused, unlike pgd, whose frame a later mm may get.
	 */
	uint64_t ctx_id;
	unsigned long hiwater_rss; /* peak RSS, for /proc/PID/status VmHWM */
};

static inline struct cpumask *mm_cpumask(struct mm_struct *mm)
{
	return &mm->cpu_bitmap;
}

static inline unsigned long get_mm_counter(const struct mm_struct *mm, enum mm_counter c)
{
	return (unsigned long)mm->rss[c];
}

static inline void add_mm_counter(struct mm_struct *mm, enum mm_counter c, long v)
{
	mm->rss[c] += v;
}

#endif
