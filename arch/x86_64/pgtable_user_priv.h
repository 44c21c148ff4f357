/*
 * Private to arch/x86_64's user page-table files (pgtable_user.c and
 * pgtable_user_huge.c): the leaf encoding and the allocating walk they
 * share. Generic mm/ uses mm/mmu.h.
 */
#ifndef ARCH_X86_64_PGTABLE_USER_PRIV_H
#define ARCH_X86_64_PGTABLE_USER_PRIV_H

#include <stdint.h>

#include "arch/x86_64/pgtable.h"

#define USER_TABLE_BITS (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER) /* the leaf decides */

/* The bits of a user leaf with MMU_* @prot (no frame, no PSE). */
pte_t user_leaf_bits(unsigned int prot);
/* MMU_* protection of the user leaf @e. */
unsigned int user_leaf_prot(pte_t e);
/*
 * The table that holds @va's entry at @level (0: PTE, 1: PMD, 2: PUD),
 * creating the tables above it (counted in *@nr_tables); -ENOMEM, or
 * -EEXIST if a large leaf maps @va on the way down.
 */
int user_walk_alloc(uint64_t pgd, uintptr_t va, int level, long *nr_tables, pte_t **out);

#endif
