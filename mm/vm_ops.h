/*
 * One table of operations per kind of mapping (Linux's struct
 * vm_operations_struct): the generic user-memory code (mm/memory.c,
 * mm/mmap.c) calls through vma->vm_ops and never asks what kind a VMA is.
 *
 * Kinds that exist, and the file that sets each table:
 *   anon_vm_ops     private anonymous memory and its THPs   mm/anon.c
 *   anon_shared_vm_ops  MAP_SHARED|MAP_ANONYMOUS            mm/anon_shared.c
 *   hugetlb_vm_ops  MAP_HUGETLB (private, anonymous)        mm/hugetlb_mm.c
 *   devdax_vm_ops   MAP_SHARED of /dev/daxR.N               mm/devdax_mmap.c
 *   shmem_vm_ops    tmpfs and memfd files, shared/private   fs/shmem_mmap.c
 * A new kind (MAP_SHARED|MAP_ANONYMOUS, a shmem file in Linux) is a new table set by its own file,
 * plus the call that builds its struct vm_area_desc and hands it to mmap_region (mm/mm_internal.h);
 * see "Next kinds" below for what such a table needs. A NULL hook means the default each comment
 * gives. All hooks run with the mm's lock held unless a hook says otherwise.
 */
#ifndef MM_VM_OPS_H
#define MM_VM_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fork_copy;
struct mm_struct;
struct mmu_gather;
struct mmu_mapping;
struct vm_area_struct;

struct vm_operations_struct {
	const char *name; /* the kind, for diagnostics ("anon", "hugetlb", "devdax") */
	/*
	 * A VMA of this kind appears as a copy of another (a split's new half,
	 * fork's child VMA, mremap's moved one) or goes away (vm_area_free):
	 * take or drop what the kind counts per VMA (Linux's ->open and
	 * ->close; mm/anon_shared.c's object reference, fs/shmem_mmap.c's
	 * inode reference and reverse-map count). Neither may fail. NULL: nothing.
	 */
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	/*
	 * A fault at @addr (4 KiB-aligned) that the VMA's flags allow
	 * (access_error passed), on an address no leaf maps: map it. 0 (retry
	 * the access), -ENOMEM (the task is killed as out of memory) or
	 * -EFAULT (a bad access: SIGSEGV). Linux's ->fault/->huge_fault and
	 * do_anonymous_page in one.
	 */
	int (*fault)(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags);
	/*
	 * A write fault on a present leaf that is read-only while the VMA is
	 * writable (@m is the leaf): break the sharing (Linux's do_wp_page
	 * for private pages, ->page_mkwrite for shared ones). NULL: no kind
	 * of this table maps read-only what it may write, so this is a bad
	 * access (-EFAULT).
	 */
	int (*wp_fault)(struct vm_area_struct *vma, uintptr_t addr, const struct mmu_mapping *m);
	/*
	 * Unmap [start, end) of @vma into @tlb: leaves cleared, pages and
	 * tables queued to be freed after the flush, the range added to the
	 * flush. @final: the VMA goes away (munmap, exit, MAP_FIXED; the range
	 * is then the whole VMA, cut where may_split allowed) and the call
	 * cannot fail; else MADV_DONTNEED of part of a VMA that stays, which
	 * may split leaves the range cuts and fail with -ENOMEM (nothing of
	 * the range unmapped then). 0 or -ENOMEM.
	 */
	int (*zap)(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		   uintptr_t end, bool final);
	/*
	 * After tlb_finish_mmu's flush: release what this kind's zap queued
	 * in @tlb that must outlive every stale translation (hugetlb folios
	 * back to their pool, device bytes uncounted). Called once per
	 * gather for each table whose zap ran. NULL: nothing queued.
	 */
	void (*zap_finish)(struct mmu_gather *tlb);
	/*
	 * May @vma be cut at @addr (strictly inside it)? Asked before munmap,
	 * MAP_FIXED, mprotect or madvise splits a VMA. 0 or -EINVAL (Linux's
	 * ->may_split: a hugetlb page or a device leaf is never cut). NULL: yes.
	 */
	int (*may_split)(struct vm_area_struct *vma, uintptr_t addr);
	/*
	 * May [start, end) of @vma take @newflags (Linux's ->mprotect)?
	 * Asked for every VMA of the range before anything changes. 0 or
	 * -errno. NULL: yes.
	 */
	int (*mprotect)(struct vm_area_struct *vma, uintptr_t start, uintptr_t end,
			unsigned long newflags);
	/*
	 * Set @vma's leaves to its (new) vm_flags, adding the range to @tlb's
	 * flush. @vma was cut to the mprotect range. Required when mprotect
	 * allows the change.
	 */
	void (*change_protection)(struct mmu_gather *tlb, struct vm_area_struct *vma);
	/*
	 * May @advice (MADV_*) be applied to @vma? Asked for every VMA of the
	 * range before anything changes. 0 or -errno. NULL: yes.
	 */
	int (*madvise)(struct vm_area_struct *vma, int advice);
	/*
	 * The page-table side of an advice that only changes vm_flags
	 * (MADV_HUGEPAGE, MADV_RANDOM, ...): @vma was cut to the range and
	 * has its new flags; leaves that now straddle its ends, or that the
	 * advice forbids, are split (cannot fail). NULL: nothing to do.
	 */
	void (*advise)(struct vm_area_struct *vma, int advice);
	/*
	 * madvise(MADV_COLLAPSE) of [start, end), called WITHOUT the mm lock,
	 * by a kind whose huge pages collapse their own way: a range that
	 * holds a VMA with this hook goes to it (hugetlb's HGM), any other to
	 * THP's madvise_collapse. NULL: THP's.
	 */
	long (*collapse)(struct mm_struct *mm, uintptr_t start, uintptr_t end);
	/*
	 * Populate the new VMA whole before mmap returns (a device with no
	 * fault path). Called with the lock held right after the insert; on
	 * failure mmap unmaps what it made and fails. NULL: demand faults.
	 */
	int (*mmap_populate)(struct vm_area_struct *vma);
	/*
	 * May mremap grow @vma in place or move it (Linux's ->mremap, asked
	 * first here)? 0 or -errno (-EINVAL: not implemented for the kind;
	 * shrinking is munmap's business and may_split's). NULL: yes, and the
	 * leaves move as 4 KiB ones (mm/mremap.c splits 2 MiB ones first).
	 */
	int (*mremap)(struct vm_area_struct *vma);
	/*
	 * fork's copy of @src's leaves into @dst, a new VMA of the child's mm
	 * with @src's range and flags (Linux's copy_page_range), the parent's
	 * lock held: anonymous pages shared read-only for copy-on-write (the
	 * parent's leaves made read-only noted in @c, flushed once when the
	 * whole mm is copied), device pages mapped again. 0, -ENOMEM, or
	 * -EOPNOTSUPP (a kind fork cannot copy; it says so, and takes @dst
	 * out of the child's set and frees it, as its teardown would not
	 * fit a VMA it never set up): the fork fails and the child's copy is
	 * torn down (other errors leave @dst for that teardown). NULL: the VMA is not copied at
	 * all (as MADV_DONTFORK; no kind leaves it NULL today).
	 */
	int (*dup)(struct fork_copy *c, struct vm_area_struct *dst, struct vm_area_struct *src);
	/*
	 * MADV_REMOVE (Linux's madvise_remove), in two steps. With the lock
	 * held, for the VMA holding @start: take a reference to the backing
	 * object into *@obj and @start's byte offset in it into *@off, or
	 * refuse (-EACCES: not a shared writable mapping). Then, the lock
	 * dropped (freeing the object's pages unmaps them from every mm, this
	 * one included), ->remove frees [off, off + len) of it and drops the
	 * reference. NULL: -EINVAL (anonymous and device memory).
	 */
	int (*remove_prepare)(struct vm_area_struct *vma, uintptr_t start, void **obj,
			      uint64_t *off);
	int (*remove)(void *obj, uint64_t off, uint64_t len);

	/*
	 * Next kinds (documented here, not implemented yet):
	 *
	 * - MAP_SHARED|MAP_ANONYMOUS as a shmem_vm_ops VMA over an unlinked
	 *   tmpfs inode (now mm/anon_shared.c's own object).
	 * - hugetlb's dup sharing folios copy-on-write (now it refuses).
	 * - const char *(*name)(struct vm_area_struct *vma): the name
	 *   /proc/PID/maps prints (Linux's ->name; the file's path otherwise).
	 */
};

extern const struct vm_operations_struct anon_vm_ops;
extern const struct vm_operations_struct anon_shared_vm_ops;
extern const struct vm_operations_struct hugetlb_vm_ops;
extern const struct vm_operations_struct devdax_vm_ops;

#endif
