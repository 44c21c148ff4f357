/*
 * User address spaces: the API the task layer (exec, syscalls, #PF) calls.
 * Every function takes plain kernel values: the syscall wrappers copy user
 * arguments in before calling. Errors are -errno with Linux's meanings.
 * struct mm_struct itself is in mm/mm_types.h.
 */
#ifndef MM_MM_USER_H
#define MM_MM_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flushlab/layout.h"
#include "uapi/mman.h"

struct mm_struct;

/* The user half's layout (TASK_SIZE and friends) is in flushlab/layout.h. */

/* Limit on one mm's mapped bytes (Linux's RLIMIT_AS; ENOMEM past it). */
#define MM_MAX_MAP_BYTES (1ULL << 36) /* 64 GiB of address space */
#define MM_MAX_MAP_COUNT 65530	      /* Linux's vm.max_map_count */

/* handle_mm_fault flags, from the x86 #PF error code (Linux's names). */
#define FAULT_FLAG_WRITE 0x01	    /* error code bit 1 (W/R) */
#define FAULT_FLAG_USER 0x02	    /* bit 2 (U/S): from ring 3 */
#define FAULT_FLAG_INSTRUCTION 0x04 /* bit 4 (I/D): instruction fetch */
#define FAULT_FLAG_PRESENT 0x08	    /* bit 0 (P): protection fault on a present page */

/* A new empty address space whose PGD shares the kernel half. NULL on ENOMEM. */
struct mm_struct *mm_alloc(void);

/* Take another user (a thread sharing the mm). */
void mmget(struct mm_struct *mm);

/* Drop a user; the last one tears everything down: every page and page table. */
void mmput(struct mm_struct *mm);

/*
 * Hold the struct only (Linux's mm_count), not the address space: after
 * the last mmput it has mm_users 0, no VMA and no page table. mmdrop
 * frees it with the last reference.
 */
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);

/* The CR3 value for @mm (the PGD's physical address, no PCID bits). */
uint64_t mm_pgd_phys(struct mm_struct *mm);

long do_mmap(struct mm_struct *mm, uintptr_t addr, size_t len, int prot, int flags,
	     uintptr_t *out_addr);
struct dev_dax;
/* mmap of /dev/daxR.N at byte offset @off (Linux's rules, mm/devdax_mmap.c). */
long do_mmap_devdax(struct mm_struct *mm, struct dev_dax *d, bool writable, uintptr_t addr,
		    size_t len, int prot, int flags, uint64_t off, uintptr_t *out_addr);
long do_munmap(struct mm_struct *mm, uintptr_t addr, size_t len);
long do_mprotect(struct mm_struct *mm, uintptr_t addr, size_t len, int prot);
long do_madvise(struct mm_struct *mm, uintptr_t addr, size_t len, int advice);
/*
 * mlock (@lock) or munlock of [addr, addr + len) (mm/mlock.c): VM_LOCKED
 * set or cleared, pages faulted in by mlock. 0, -ENOMEM (not all mapped),
 * -EAGAIN (out of memory while faulting in).
 */
long do_mlock(struct mm_struct *mm, uintptr_t addr, size_t len, bool lock);
/* MADV_POPULATE_READ/WRITE of [start, end), page-aligned: 0, -ENOMEM, -EINVAL, -EFAULT. */
long madvise_populate(struct mm_struct *mm, uintptr_t start, uintptr_t end, bool write);
/* Pages in VM_LOCKED VMAs (/proc/PID/status VmLck). */
unsigned long mm_locked_vm(struct mm_struct *mm);
/*
 * mremap (mm/mremap.c): the new address in *@out, or -errno with Linux's
 * meanings (-EINVAL flags or alignment, -EFAULT no VMA holds the old
 * range, -ENOMEM cannot grow in place without MREMAP_MAYMOVE, or no room).
 */
long do_mremap(struct mm_struct *mm, uintptr_t addr, size_t old_len, size_t new_len, int flags,
	       uintptr_t new_addr, uintptr_t *out);

/*
 * Resolve a fault at @addr in @mm: 0 when the access may be retried,
 * -EFAULT when it is a bad access (no VMA, or the VMA forbids it: SIGSEGV),
 * -ENOMEM when a page or page table could not be allocated (Linux's
 * VM_FAULT_OOM; the caller kills the process), -EIO when the mapping has no
 * page to give (Linux's VM_FAULT_SIGBUS: an empty hugetlb pool; SIGBUS).
 */
int handle_mm_fault(struct mm_struct *mm, uintptr_t addr, unsigned int fault_flags);

/*
 * Where a futex word at @uaddr lives, for a futex without
 * FUTEX_PRIVATE_FLAG (Linux's get_futex_key): 1 with *@pa the word's
 * physical address when a MAP_SHARED mapping holds it (a file, shared
 * anonymous memory, a device: another process, or another address of
 * this one, may map the same page); 0 for a private mapping, keyed by mm
 * and address as a private futex is; -EFAULT if nothing maps it now.
 */
int mm_futex_key(struct mm_struct *mm, uintptr_t uaddr, uint64_t *pa);

/* Faults handled since boot (/proc/vmstat pgfault, Linux's event). */
unsigned long vm_events_pgfault(void);
/* User page-table pages freed through an mmu_gather since boot (after its flush). */
unsigned long mmu_gather_tables_freed(void);

/*
 * fork's copy of @oldmm (Linux's dup_mm): a new mm with @oldmm's VMAs
 * (but MADV_DONTFORK ones) and its leaves, private writable pages shared
 * copy-on-write (read-only in both, refcount and mapcount raised; the
 * parent's leaves flushed once, counted as FLUSH_FORK_WRPROTECT), shared
 * ones (MAP_SHARED anonymous memory, device-dax) shared. Returns the new
 * mm or NULL with *@err: -ENOMEM (nothing of the copy is left), or
 * -EOPNOTSUPP for a private hugetlb mapping (copy-on-write of huge pages
 * is not implemented; said on the console).
 */
struct mm_struct *dup_mm(struct mm_struct *oldmm, int *err);

/* The copy-on-write counters on /proc/vmstat (mm/cow.c). */
struct seq_buf;
void cow_vmstat(struct seq_buf *s);

/* Counters for /proc/PID/status and ps: pages. */
unsigned long get_mm_rss(struct mm_struct *mm);
unsigned long mm_total_vm(struct mm_struct *mm);

/*
 * Check @mm: its page tables against its VMAs, every mapped page's
 * _mapcount and refcount, the RSS and page-table counters. 0 if all agree,
 * else -EINVAL with the first disagreement written to @why.
 */
int mm_check_invariants(struct mm_struct *mm, char *why, size_t len);

/* Boot, once the page allocator runs: make the shared zero page (mm/anon.c). */
void zero_page_init(void);
/*
 * Check the shared zero page: its struct page as at boot (no mapping
 * counts or references it) and every byte zero. 0 with its state written
 * to @why, or -EINVAL with what changed.
 */
int zero_page_check(char *why, size_t len);

/*
 * /proc/PID/{maps,smaps,smaps_rollup} for @mm, in Linux's formats, into @s
 * (mm/task_mmu.c); 0. smaps_rollup has the Rss, Anonymous and
 * AnonHugePages lines only.
 */
struct seq_buf;
int mm_show_maps(struct seq_buf *s, struct mm_struct *mm);
int mm_show_smaps(struct seq_buf *s, struct mm_struct *mm);
int mm_show_smaps_rollup(struct seq_buf *s, struct mm_struct *mm);

/*
 * /proc/PID/pagemap: @count bytes of 8-byte entries from @pos (entry
 * vaddr / 4096 sits at byte vaddr / 4096 * 8) into kernel @buf. The bytes
 * read (0 past the user half), or -EINVAL unless both are multiples of 8.
 */
long mm_read_pagemap(struct mm_struct *mm, char *buf, size_t count, uint64_t pos);

#endif
