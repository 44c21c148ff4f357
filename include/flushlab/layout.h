/*
 * The x86-64 address layout and page-table entry format, in one place for
 * the three layers that build or walk page tables: the loader (boot/), the
 * kernel's page-table code (arch/x86_64/) and the AP trampoline (smp/).
 * Generic mm/ code asks arch/ through mm/mmu.h instead of using PTE bits.
 *
 *   0x0000000000000000  user space (below the canonical hole, PML4 0-255)
 *   0xffff800000000000  direct map of RAM and ACPI tables (PML4 slot 256);
 *                       MMIO and holes are not mapped there
 *   0xffffc90000000000  scratch mappings for tests (where Linux has vmalloc)
 *   0xffffc98000000000  ioremap: device registers, uncached 4 KiB pages (and
 *                       firmware tables outside the direct map, write-back)
 *   0xffffea0000000000  vmemmap: the struct page array (Linux's vmemmap_base)
 *   0xffffffff80000000  the kernel image (top 2 GiB, -mcmodel=kernel)
 *
 * Only fixed-width types: GNU-EFI's loader includes it too.
 */
#ifndef FLUSHLAB_LAYOUT_H
#define FLUSHLAB_LAYOUT_H

#define DIRECT_MAP_BASE 0xffff800000000000ULL /* all RAM and ACPI memory */
#define SCRATCH_BASE 0xffffc90000000000ULL
#define IOREMAP_BASE 0xffffc98000000000ULL
#define IOREMAP_END 0xffffc98040000000ULL /* 1 GiB of device mappings */
#define VMEMMAP_BASE 0xffffea0000000000ULL
#define KERNEL_VIRT_BASE 0xffffffff80000000ULL /* top 2 GiB: -mcmodel=kernel */

/* The kernel half of every PML4: slots 256-511. */
#define KERNEL_PML4_FIRST 256

/* What one entry maps at each level: 4 KiB, 2 MiB, 1 GiB, 512 GiB (a PML4 slot). */
#define PAGE_SHIFT 12
#define PMD_SHIFT 21
#define PUD_SHIFT 30
#define PGDIR_SHIFT 39
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PUD_SIZE (1UL << PUD_SHIFT)
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PTRS_PER_TABLE 512 /* entries in a page table of any level */

/* Entry bits (Intel SDM vol. 3, 4.5; AMD APM vol. 2, 5.3). */
#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_USER (1ULL << 2) /* U/S: ring 3 may use it (every level must allow it) */
#define _PAGE_PWT (1ULL << 3)
#define _PAGE_PCD (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_PSE (1ULL << 7) /* a 2 MiB or 1 GiB leaf */
#define _PAGE_GLOBAL (1ULL << 8)
#define _PAGE_PAT_LARGE (1ULL << 12) /* PAT bit of a large leaf */
#define _PAGE_NX (1ULL << 63)
#define PTE_PFN_MASK 0x000ffffffffff000ULL
#define PTE_LARGE_PFN_MASK 0x000fffffffffe000ULL /* bit 12 is PAT in large leaves */

/*
 * The user half of every address space: [mmap_min_addr, TASK_SIZE).
 * TASK_SIZE is Linux's x86-64 value: the top page below the canonical hole
 * is never mapped, so SYSRET never returns to a non-canonical RIP + len.
 */
#define TASK_SIZE 0x00007ffffffff000ULL
#define USER_BASE 0x400000ULL	 /* lowest address the kernel picks by itself */
#define MMAP_MIN_ADDR 0x10000ULL /* Linux's vm.mmap_min_addr: MAP_FIXED below -> EPERM */
#define TASK_UNMAPPED_BASE 0x00007f0000000000ULL /* top of the mmap area (grows down) */
#define STACK_TOP TASK_SIZE

#endif
