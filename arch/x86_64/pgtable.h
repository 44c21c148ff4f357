/*
 * x86-64 page-table format (4-level paging) and the kernel's virtual layout.
 * Private to arch/x86_64; generic mm uses mm/mmu.h.
 *
 *   0xffff800000000000  direct map of all physical memory (PML4 slot 256)
 *   0xffffc90000000000  scratch mappings for tests (where Linux has vmalloc)
 *   0xffffea0000000000  vmemmap: the struct page array (Linux's vmemmap_base)
 *   0xffffffff80000000  the kernel image (top 2 GiB, -mcmodel=kernel)
 */
#ifndef ARCH_X86_64_PGTABLE_H
#define ARCH_X86_64_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "flushlab/boot_info.h"

#define SCRATCH_BASE 0xffffc90000000000ULL
#define VMEMMAP_BASE 0xffffea0000000000ULL

#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_USER (1ULL << 2) /* U/S: ring 3 may use it (every level must allow it) */
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_PSE (1ULL << 7) /* a 2 MiB or 1 GiB leaf */
#define _PAGE_GLOBAL (1ULL << 8)
#define _PAGE_PAT_LARGE (1ULL << 12) /* PAT bit of a large leaf */
#define _PAGE_NX (1ULL << 63)
/*
 * A user PROT_NONE page: a not-present entry that still holds its frame
 * (Linux's _PAGE_PROTNONE, in the same bit as G). The CPU ignores every
 * other bit of a not-present entry (SDM vol. 3, 4.7), so this is software's.
 */
#define _PAGE_PROTNONE _PAGE_GLOBAL
#define PTE_PFN_MASK 0x000ffffffffff000ULL
#define PTE_LARGE_PFN_MASK 0x000fffffffffe000ULL /* bit 12 is PAT in large leaves */

typedef uint64_t pte_t;

static inline pte_t *phys_to_table(uint64_t pa)
{
	return (pte_t *)(DIRECT_MAP_BASE + pa);
}

static inline unsigned int pt_index(uintptr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* The kernel's PML4 (shared by every CPU), set from CR3 at boot. */
extern pte_t *kernel_pml4;
void pgtable_init(void);

/* The kernel half of every PML4: slots 256-511. */
#define KERNEL_PML4_FIRST 256

/*
 * Set once every kernel-half PML4 entry the kernel can ever need exists
 * (arch_mmu_user_init): from then on no kernel PML4 entry changes, so the
 * copies in user PGDs stay exact (pgtable_user.c).
 */
extern bool kernel_pml4_frozen;

#endif
