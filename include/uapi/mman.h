/*
 * PROT_*, MAP_*, MADV_*, MREMAP_*, MLOCK_* with Linux's x86-64 values
 * (asm-generic/mman-common.h, asm/mman.h, linux/mman.h): the one home of
 * these constants, shared by the kernel's mmap code and by user/ programs.
 */
#ifndef UAPI_MMAN_H
#define UAPI_MMAN_H

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_32BIT 0x40
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000

/* MAP_HUGETLB's page size: log2 of it in bits 26-31 (Linux's MAP_HUGE_*). */
#define MAP_HUGE_SHIFT 26
#define MAP_HUGE_MASK 0x3f
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)

#define MAP_FAILED ((void *)-1)

#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#define MADV_DONTNEED_LOCKED 24
#define MADV_COLLAPSE 25
/*
 * flushlab's own, the name the HugeTLB high-granularity-mapping RFC used
 * (never merged into Linux, where 26 is unused and answers EINVAL): each
 * hugetlb leaf in the range becomes 512 leaves of the next size down.
 */
#define MADV_SPLIT 26
/* Linux's advice 100-103: poisoning and (6.13) guard regions. */
#define MADV_HWPOISON 100
#define MADV_SOFT_OFFLINE 101
#define MADV_GUARD_INSTALL 102
#define MADV_GUARD_REMOVE 103

/* mremap(2) flags. */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* mlock2(2) and mlockall(2) flags. */
#define MLOCK_ONFAULT 0x01
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

/* msync(2) flags. */
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#endif
