/*
 * User leaves at any hugetlb level (mm/hugetlb_mm.c, mm/hugetlb_hgm.c):
 * 2 MiB PMD and 1 GiB PUD leaves, the split of one into 512 leaves of the
 * next size down, and the unlinking of a whole subtree of page tables that
 * a collapse replaces by one leaf. Mechanics only, like pgtable_user.c: the
 * caller holds its mm's lock and does every flush (mm/mmu.h says which).
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/pgtable_user_priv.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "flushlab/layout.h"
#include "mm/mmu.h"

/* The entry at @level (1: PMD, 2: PUD) for @va, or NULL when a table above is missing or a leaf. */
static pte_t *user_entry(uint64_t pgd, uintptr_t va, enum pg_level level)
{
	pte_t *table = phys_to_table(pgd);

	BUG_ON(va >= TASK_SIZE || level < PG_LEVEL_2M || level > PG_LEVEL_1G);
	for (int l = 3; l > (int)level; l--) {
		pte_t v = READ_ONCE(table[pt_index(va, l)]);

		if (!(v & _PAGE_PRESENT) || (v & _PAGE_PSE))
			return NULL;
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	return &table[pt_index(va, level)];
}

enum pmd_state arch_mmu_user_huge_state(uint64_t pgd, uintptr_t va, enum pg_level level)
{
	pte_t *e = user_entry(pgd, va, level);
	pte_t v = e ? READ_ONCE(*e) : 0;

	if (!v)
		return PMD_STATE_NONE;
	return (v & _PAGE_PSE) ? PMD_STATE_LEAF : PMD_STATE_TABLE;
}

int arch_mmu_user_map_huge(uint64_t pgd, uintptr_t va, uint64_t pa, enum pg_level level,
			   unsigned int prot, long *nr_tables)
{
	uint64_t size = pg_level_size(level);
	pte_t *table;
	int ret;

	BUG_ON(va >= TASK_SIZE || (va | pa) & (size - 1) || !(prot & MMU_READ) ||
	       level < PG_LEVEL_2M || level > PG_LEVEL_1G);
	ret = user_walk_alloc(pgd, va, level, nr_tables, &table);
	if (ret)
		return ret;
	if (table[pt_index(va, level)])
		return -EEXIST;
	/* not present -> present: nothing cached to flush (SDM vol. 3, 4.10.2.1) */
	WRITE_ONCE(table[pt_index(va, level)], pa | user_leaf_bits(prot) | _PAGE_PSE);
	return 0;
}

uint64_t arch_mmu_user_unmap_huge(uint64_t pgd, uintptr_t va, enum pg_level level)
{
	pte_t *e = user_entry(pgd, va, level);
	pte_t v = e ? *e : 0;

	if (!(v & _PAGE_PRESENT) || !(v & _PAGE_PSE))
		return 0;
	WRITE_ONCE(*e, 0);
	return v & PTE_LARGE_PFN_MASK;
}

void arch_mmu_user_huge_populate(uint64_t pgd, uintptr_t va, enum pg_level level, uint64_t table_pa,
				 uint64_t pa, unsigned int prot)
{
	pte_t *e = user_entry(pgd, va, level);
	pte_t *t = phys_to_table(table_pa);
	uint64_t step = pg_level_size(level - 1);
	pte_t bits = user_leaf_bits(prot) | (level == PG_LEVEL_1G ? _PAGE_PSE : 0);

	BUG_ON(!e || *e || (va | pa) & (pg_level_size(level) - 1));
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		t[i] = (pa + i * step) | bits;
	/*
	 * Plain stores to a table no CPU can reach yet; x86 keeps stores in
	 * order (TSO), so a walker that sees the link below sees them too.
	 */
	WRITE_ONCE(*e, table_pa | USER_TABLE_BITS);
}

unsigned long arch_mmu_user_unlink_tables(uint64_t pgd, uintptr_t va, enum pg_level level,
					  mmu_table_free_fn free_fn, void *arg, long *nr_tables)
{
	pte_t *e = user_entry(pgd, va, level);
	pte_t v = e ? *e : 0, *t;
	unsigned long n = 0;

	if (!(v & _PAGE_PRESENT) || (v & _PAGE_PSE))
		return 0;
	WRITE_ONCE(*e, 0); /* one store: from here no walk reaches the subtree */
	t = phys_to_table(v & PTE_PFN_MASK);
	for (int i = 0; level == PG_LEVEL_1G && i < PTRS_PER_TABLE; i++)
		if ((t[i] & _PAGE_PRESENT) && !(t[i] & _PAGE_PSE)) {
			free_fn(t[i] & PTE_PFN_MASK, arg);
			n++;
		}
	free_fn(v & PTE_PFN_MASK, arg);
	n++;
	*nr_tables -= (long)n;
	return n;
}
