/*
 * x86-64 page-table walking helpers for arch/x86_64. The layout and the
 * entry bits themselves live in flushlab/layout.h (shared with boot/ and
 * smp/); generic mm uses mm/mmu.h.
 */
#ifndef ARCH_X86_64_PGTABLE_H
#define ARCH_X86_64_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "flushlab/boot_info.h"
#include "flushlab/layout.h"

/*
 * A user PROT_NONE page: a not-present entry that still holds its frame
 * (Linux's _PAGE_PROTNONE, in the same bit as G). The CPU ignores every
 * other bit of a not-present entry (SDM vol. 3, 4.7), so this is software's.
 */
#define _PAGE_PROTNONE _PAGE_GLOBAL

typedef uint64_t pte_t;

static inline pte_t *phys_to_table(uint64_t pa)
{
	return (pte_t *)(DIRECT_MAP_BASE + pa);
}

static inline unsigned int pt_index(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PTRS_PER_TABLE - 1); /* 9 bits a level */
}

/* The kernel's PML4 (shared by every CPU), set from CR3 at boot. */
extern pte_t *kernel_pml4;

/*
 * Set once every kernel-half PML4 entry the kernel can ever need exists
 * (arch_mmu_user_init): from then on no kernel PML4 entry changes, so the
 * copies in user PGDs stay exact (pgtable_user.c).
 */
extern bool kernel_pml4_frozen;

#endif
