/*
 * Virtual memory areas: struct vm_area_struct and the set of them that
 * makes an address space's layout, kept as a list sorted by address (a lab
 * has tens of VMAs; Linux needs its maple tree for thousands). Pure
 * bookkeeping: nothing here touches page tables, so vma.c is compiled and
 * tested on the host too. Page-table work for a range is the caller's,
 * through the callbacks of vma_unmap_range/vma_change_flags.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flushlab/layout.h"
#include "mm/list.h"

struct mm_struct;

/* vm_flags: Linux's values (include/linux/mm.h) where Linux has the flag. */
#define VM_NONE 0x00000000UL
#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_MAYEXEC 0x00000040UL
#define VM_MAYSHARE 0x00000080UL
#define VM_GROWSDOWN 0x00000100UL
#define VM_PFNMAP 0x00000400UL /* device memory, no struct page (docs/devmem.md) */
#define VM_LOCKED 0x00002000UL
#define VM_IO 0x00004000UL
#define VM_SEQ_READ 0x00008000UL  /* MADV_SEQUENTIAL */
#define VM_RAND_READ 0x00010000UL /* MADV_RANDOM */
#define VM_DONTCOPY 0x00020000UL  /* MADV_DONTFORK */
#define VM_DONTEXPAND 0x00040000UL
#define VM_ACCOUNT 0x00100000UL
#define VM_NORESERVE 0x00200000UL
#define VM_HUGETLB 0x00400000UL	   /* hugetlb mapping (docs/hgm.md) */
#define VM_MIXEDMAP 0x10000000UL   /* device pages with struct page (docs/devmem.md) */
#define VM_HUGEPAGE 0x20000000UL   /* MADV_HUGEPAGE (docs/thp.md) */
#define VM_NOHUGEPAGE 0x40000000UL /* MADV_NOHUGEPAGE */
/*
 * flushlab's own: an anonymous mapping (private anonymous or hugetlb).
 * Linux says so by vma->vm_ops == NULL; ours has a table for every kind
 * (mm/vm_ops.h), so a flag, kept above Linux's 32 bits, that vma.c's
 * bookkeeping and the host tests can see without the tables.
 */
#define VM_ANON (1UL << 40)

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
/* Linux's VM_SPECIAL: mappings that are never merged with a neighbour. */
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)

struct vm_operations_struct; /* mm/vm_ops.h */

struct vm_area_struct {
	uintptr_t vm_start;	  /* first byte */
	uintptr_t vm_end;	  /* first byte after */
	unsigned long vm_flags;	  /* VM_* */
	struct mm_struct *vm_mm;  /* owner (NULL in host tests) */
	struct list_head vm_list; /* in vma_set.head, sorted by vm_start */
	unsigned long vm_pgoff;	  /* offset in pages of the backing object (a device's) */
	/* The kind's operations (mm/vm_ops.h); every kernel VMA has a table. */
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data; /* the kind's: a hugetlb hstate, a struct dev_dax */
};

/* The address space's VMAs: disjoint, sorted, never empty-length. */
struct vma_set {
	struct list_head head;
	unsigned long nr;	   /* Linux's mm->map_count */
	unsigned long total_pages; /* Linux's mm->total_vm */
};

/* Allocation of VMAs: the kernel's in mm/mmap.c, the host test's with malloc. */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
void vm_area_free(struct vm_area_struct *vma);

void vma_set_init(struct vma_set *set);

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_ANON;
}

#define for_each_vma(set, vma) list_for_each_entry (vma, &(set)->head, vm_list)
/* Each VMA that overlaps [start, end), in address order (the body may not free it). */
#define for_each_vma_range(set, vma, start, end)                                                   \
	for ((vma) = find_vma((set), (start)); (vma) && (vma)->vm_start < (end);                   \
	     (vma) = find_vma((set), (vma)->vm_end))

/* The first VMA with vm_end > @addr (it may start above @addr), or NULL: Linux's find_vma. */
struct vm_area_struct *find_vma(struct vma_set *set, uintptr_t addr);
/* The first VMA that overlaps [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct vma_set *set, uintptr_t start, uintptr_t end);

/* Insert @vma (start < end, page-aligned): 0, or -EEXIST if it overlaps one. No merge. */
int vma_insert(struct vma_set *set, struct vm_area_struct *vma);
/* Unlink @vma from @set (the caller frees it). */
void vma_remove(struct vma_set *set, struct vm_area_struct *vma);

/*
 * Split @vma at @addr (page-aligned, strictly inside it) into two VMAs;
 * the new one takes [addr, end) if !@new_below, else [start, addr).
 * Returns the new VMA, or NULL (ENOMEM, nothing changed). Linux's split_vma.
 */
struct vm_area_struct *split_vma(struct vma_set *set, struct vm_area_struct *vma, uintptr_t addr,
				 bool new_below);

/*
 * Same flags, owner, kind and private data, touching ends, contiguous
 * pgoff, none of VM_SPECIAL (Linux's vma_merge): may be one VMA.
 */
bool vma_can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b);
/* Merge @vma with its compatible neighbours; returns the surviving VMA. */
struct vm_area_struct *vma_merge_neighbours(struct vma_set *set, struct vm_area_struct *vma);

/*
 * Callback for the page-table side of a range operation on the part
 * [vma->vm_start, vma->vm_end) of one VMA (already split to the range).
 */
typedef void (*vma_range_fn)(struct vm_area_struct *vma, void *arg);

/*
 * munmap's VMA side: split VMAs that straddle @start or @end, call @zap on
 * each VMA inside [start, end) (may be NULL), then remove and free them.
 * Holes are fine. 0, or -ENOMEM with nothing changed (both splits are
 * allocated before anything changes).
 */
int vma_unmap_range(struct vma_set *set, uintptr_t start, uintptr_t end, vma_range_fn zap,
		    void *arg);

/*
 * mprotect/madvise's VMA side: [start, end) must be fully mapped (else
 * -ENOMEM, Linux's answer, nothing changed). Splits at the ends, sets each
 * VMA's flags to (flags & ~@clear) | @set_bits, calls @fn on it, then
 * merges what became compatible. 0 or -ENOMEM.
 */
int vma_change_flags(struct vma_set *set, uintptr_t start, uintptr_t end, unsigned long clear,
		     unsigned long set_bits, vma_range_fn fn, void *arg);

/* Is [start, end) entirely covered by VMAs? */
bool vma_range_mapped(struct vma_set *set, uintptr_t start, uintptr_t end);

/*
 * A free gap of @len bytes (page multiple) in [low, high), highest first
 * (Linux's top-down mmap layout). Returns its start, or 0 if none.
 */
uintptr_t vma_get_unmapped_area(struct vma_set *set, size_t len, uintptr_t low, uintptr_t high);

/* ---- mmap's argument rules (pure, so the host tests cover Linux's errors) ---- */

/*
 * Page-align @len and check [addr, addr + len) for a user range:
 * 0 and *@end set, or -EINVAL (len 0, addr unaligned, wrap-around) or
 * -ENOMEM (past TASK_SIZE or the length overflows when aligned).
 */
int user_range_check(uintptr_t addr, size_t len, uintptr_t *end);
/* PROT_* to VM_READ/WRITE/EXEC (Linux's calc_vm_prot_bits); -1 if unknown bits. */
long calc_vm_prot_bits(int prot);
/* Check mmap's @prot/@flags for what flushlab supports: 0, -EINVAL, or -EOPNOTSUPP. */
int mmap_check_flags(int prot, int flags);

#endif
