/*
 * Kernel page tables: walk, map, remap, unmap, split and protect, for the
 * one kernel address space every CPU shares. Mechanics only: no function
 * here flushes a TLB (mm/mmu.h says what each change leaves for the caller).
 * Changes are serialised by pgtable_lock; readers walk lock-free, which is
 * safe because every entry is written with one aligned 64-bit store and a
 * table, once linked, is freed only by arch_mmu_unlink_table(), whose
 * caller owns the region it covers (no one else walks it).
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/pgtable.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/mmu.h"
#include "mm/pgtable_alloc.h"

pte_t *kernel_pml4;
bool kernel_pml4_frozen;
static DEFINE_SPINLOCK(pgtable_lock);

void arch_mmu_init(void)
{
	kernel_pml4 = phys_to_table(read_cr3() & PTE_PFN_MASK);
}

static pte_t prot_to_bits(unsigned int prot, enum pg_level level)
{
	pte_t bits = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY;

	if (prot & MMU_WRITE)
		bits |= _PAGE_RW;
	if ((prot & MMU_GLOBAL) && cpu_features.pge)
		bits |= _PAGE_GLOBAL;
	if (!(prot & MMU_EXEC) && cpu_features.nx)
		bits |= _PAGE_NX;
	if (prot & MMU_NOCACHE)
		bits |= _PAGE_PCD | _PAGE_PWT; /* PAT entry 3: UC (ioremap.c checks) */
	if (level != PG_LEVEL_4K)
		bits |= _PAGE_PSE;
	return bits;
}

static unsigned int bits_to_prot(pte_t e)
{
	return ((e & _PAGE_RW) ? MMU_WRITE : 0) | ((e & _PAGE_NX) ? 0 : MMU_EXEC) |
	       ((e & _PAGE_GLOBAL) ? MMU_GLOBAL : 0) |
	       ((e & (_PAGE_PCD | _PAGE_PWT)) == (_PAGE_PCD | _PAGE_PWT) ? MMU_NOCACHE : 0);
}

static uint64_t leaf_pa(pte_t e, enum pg_level level)
{
	return e & (level == PG_LEVEL_4K ? PTE_PFN_MASK : PTE_LARGE_PFN_MASK);
}

/*
 * The entry that maps @va at the lowest level the walk reaches: a present
 * leaf (its level in *level), or the first non-present entry on the way
 * (*level is that entry's level and the result has no present bit).
 */
static pte_t *walk(uintptr_t va, enum pg_level *level)
{
	pte_t *table = kernel_pml4;

	for (int l = 3;; l--) {
		pte_t *e = &table[pt_index(va, l)];
		pte_t v = READ_ONCE(*e);

		if (!(v & _PAGE_PRESENT) || l == 0 || (l <= 2 && (v & _PAGE_PSE))) {
			*level = l > 2 ? PG_LEVEL_NONE : (enum pg_level)l;
			return e;
		}
		table = phys_to_table(v & PTE_PFN_MASK);
	}
}

int arch_mmu_query(uintptr_t va, struct mmu_mapping *m)
{
	enum pg_level level;
	pte_t v = READ_ONCE(*walk(va, &level));

	if (!(v & _PAGE_PRESENT))
		return -ENOENT;
	m->level = level;
	m->pa = leaf_pa(v, level) + (va & (pg_level_size(level) - 1));
	m->prot = bits_to_prot(v);
	return 0;
}

/* The entry for @va at @target level, creating tables on the way; lock held. */
static int walk_alloc(uintptr_t va, enum pg_level target, pte_t **out)
{
	pte_t *table = kernel_pml4;

	for (int l = 3; l > (int)target; l--) {
		pte_t *e = &table[pt_index(va, l)];
		pte_t v = *e;

		if (!(v & _PAGE_PRESENT)) {
			uint64_t pa;

			/* User PGDs hold copies of the PML4's kernel half: it must not grow. */
			if (l == 3 && kernel_pml4_frozen) {
				printk(
				    "pgtable: no PML4 entry for %#lx: the kernel half is frozen\n",
				    va);
				return -ENOMEM;
			}
			pa = pgtable_alloc_page();
			if (!pa)
				return -ENOMEM;
			/* Upper levels stay permissive: the leaf decides. */
			v = pa | _PAGE_PRESENT | _PAGE_RW;
			WRITE_ONCE(*e, v);
		} else if (l <= 2 && (v & _PAGE_PSE)) {
			return -EEXIST; /* a larger leaf already maps va */
		}
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	*out = &table[pt_index(va, target)];
	return 0;
}

int arch_mmu_map(uintptr_t va, uint64_t pa, enum pg_level level, unsigned int prot)
{
	pte_t *e;
	int ret;

	BUG_ON(va & (pg_level_size(level) - 1) || pa & (pg_level_size(level) - 1));
	spin_lock(&pgtable_lock);
	ret = walk_alloc(va, level, &e);
	if (!ret && (*e & _PAGE_PRESENT))
		ret = -EEXIST;
	if (!ret)
		WRITE_ONCE(*e, pa | prot_to_bits(prot, level));
	spin_unlock(&pgtable_lock);
	return ret;
}

/* The present leaf of exactly @level mapping @va, or NULL; lock held. */
static pte_t *leaf_at(uintptr_t va, enum pg_level level)
{
	enum pg_level found;
	pte_t *e = walk(va, &found);

	return (*e & _PAGE_PRESENT) && found == level ? e : NULL;
}

uint64_t arch_mmu_remap_4k(uintptr_t va, uint64_t pa, unsigned int prot)
{
	uint64_t old = 0;
	pte_t *e;

	spin_lock(&pgtable_lock);
	e = leaf_at(va, PG_LEVEL_4K);
	if (e) {
		old = *e & PTE_PFN_MASK;
		WRITE_ONCE(*e, (pa & PTE_PFN_MASK) | prot_to_bits(prot, PG_LEVEL_4K));
	}
	spin_unlock(&pgtable_lock);
	return old;
}

int arch_mmu_unmap(uintptr_t va, enum pg_level level)
{
	pte_t *e;

	spin_lock(&pgtable_lock);
	e = leaf_at(va, level);
	if (e)
		WRITE_ONCE(*e, 0);
	spin_unlock(&pgtable_lock);
	return e ? 0 : -ENOENT;
}

int arch_mmu_protect(uintptr_t va, enum pg_level level, unsigned int prot)
{
	pte_t *e;

	spin_lock(&pgtable_lock);
	e = leaf_at(va, level);
	if (e)
		WRITE_ONCE(*e, leaf_pa(*e, level) | prot_to_bits(prot, level));
	spin_unlock(&pgtable_lock);
	return e ? 0 : -ENOENT;
}

/* Fill a new table with 512 leaves one level down, same frames and bits. */
static void fill_split_table(pte_t *table, pte_t large, enum pg_level level)
{
	enum pg_level child = level - 1;
	uint64_t pa = leaf_pa(large, level), step = pg_level_size(child);
	pte_t bits = large & ~(PTE_PFN_MASK | _PAGE_PSE);

	if (child != PG_LEVEL_4K)
		bits |= _PAGE_PSE; /* 1 GiB -> 2 MiB: the children are leaves too */
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		table[i] = (pa + i * step) | bits;
}

int arch_mmu_split(uintptr_t va, enum pg_level level)
{
	uint64_t table_pa;
	pte_t *e;

	BUG_ON(level != PG_LEVEL_2M && level != PG_LEVEL_1G);
	/* Allocate before taking the lock: a failure then changes nothing. */
	table_pa = pgtable_alloc_page();
	if (!table_pa)
		return -ENOMEM;
	spin_lock(&pgtable_lock);
	e = leaf_at(va, level);
	if (e) {
		fill_split_table(phys_to_table(table_pa), *e, level);
		/* The table is complete before the one store that publishes it. */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		WRITE_ONCE(*e, table_pa | _PAGE_PRESENT | _PAGE_RW);
	}
	spin_unlock(&pgtable_lock);
	if (!e) {
		pgtable_free_page(table_pa); /* lost a race, or nothing to split */
		return -ENOENT;
	}
	return 0;
}

/* True if no entry of the table at @pa is present. */
static bool table_is_empty(uint64_t pa)
{
	pte_t *table = phys_to_table(pa);

	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i] & _PAGE_PRESENT)
			return false;
	return true;
}

uint64_t arch_mmu_unlink_table(uintptr_t va, enum pg_level level)
{
	uint64_t pa = 0;
	pte_t *table = kernel_pml4;
	pte_t *e = NULL;

	BUG_ON(level != PG_LEVEL_2M && level != PG_LEVEL_1G);
	spin_lock(&pgtable_lock);
	for (int l = 3; l >= (int)level; l--) {
		pte_t v;

		e = &table[pt_index(va, l)];
		v = *e;
		if (!(v & _PAGE_PRESENT) || (l <= 2 && (v & _PAGE_PSE))) {
			e = NULL; /* nothing here, or a leaf: no table to unlink */
			break;
		}
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	if (e && table_is_empty(*e & PTE_PFN_MASK)) {
		pa = *e & PTE_PFN_MASK;
		WRITE_ONCE(*e, 0);
	}
	spin_unlock(&pgtable_lock);
	return pa;
}

/*
 * ---- shared page tables (device memory's vmemmap at align=1G) ----
 * A page table whose 512 entries all map one frame can serve every 2 MiB
 * of the vmemmap that holds nothing but tails; PMD entries point at it.
 */

uint64_t arch_mmu_alloc_filled_table(uint64_t pa, unsigned int prot)
{
	uint64_t table_pa = pgtable_alloc_page();
	pte_t *t;

	if (!table_pa)
		return 0;
	t = phys_to_table(table_pa);
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		t[i] = pa | prot_to_bits(prot, PG_LEVEL_4K);
	return table_pa;
}

/*
 * The entry for @va at @level is not present (else -EEXIST), so no TLB or
 * paging-structure cache holds anything for it (Intel SDM vol. 3, 4.10.2.1
 * and 4.10.3.1): linking needs no flush. The entry is read-only (R/W = 0),
 * which makes everything below it read-only whatever its leaves say
 * (SDM 4.6.1, with CR0.WP set).
 */
static int link_table(uintptr_t va, enum pg_level level, uint64_t table_pa, pte_t bits)
{
	pte_t *e;
	int ret;

	BUG_ON(level != PG_LEVEL_2M || va & (pg_level_size(level) - 1));
	spin_lock(&pgtable_lock);
	ret = walk_alloc(va, level, &e);
	if (!ret && (*e & _PAGE_PRESENT))
		ret = -EEXIST;
	if (!ret)
		WRITE_ONCE(*e, table_pa | bits);
	spin_unlock(&pgtable_lock);
	return ret;
}

int arch_mmu_link_table(uintptr_t va, enum pg_level level, uint64_t table_pa)
{
	return link_table(va, level, table_pa, _PAGE_PRESENT | _PAGE_ACCESSED);
}

/*
 * The same argument with R/W = 1: the table's own leaves decide. The
 * table's entries were all written before this store, and x86 makes stores
 * visible in order (TSO), so a walker that sees the link sees them.
 */
int arch_mmu_link_own_table(uintptr_t va, enum pg_level level, uint64_t table_pa)
{
	return link_table(va, level, table_pa, _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED);
}

void arch_mmu_table_set(uint64_t table_pa, unsigned int index, uint64_t pa, unsigned int prot)
{
	BUG_ON(index >= PTRS_PER_TABLE || pa & (PAGE_SIZE - 1));
	((pte_t *)phys_to_table(table_pa))[index] = pa | prot_to_bits(prot, PG_LEVEL_4K);
}

/*
 * No present leaf in [start, end)? A missing table answers for its whole
 * span at once, so an unused stretch costs one walk per table, not per page.
 */
bool arch_mmu_range_unmapped(uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = start; va < end && va >= start;) {
		enum pg_level level;
		pte_t v = READ_ONCE(*walk(va, &level));
		uint64_t span = level == PG_LEVEL_NONE ? PGDIR_SIZE : pg_level_size(level);

		if (v & _PAGE_PRESENT)
			return false;
		va = ALIGN_DOWN(va, span) + span;
	}
	return true;
}

uint64_t arch_mmu_unlink_shared_table(uintptr_t va, enum pg_level level, uint64_t table_pa)
{
	pte_t *table = kernel_pml4;
	uint64_t ret = 0;

	BUG_ON(level != PG_LEVEL_2M);
	spin_lock(&pgtable_lock);
	for (int l = 3; l >= (int)level; l--) {
		pte_t *e = &table[pt_index(va, l)];
		pte_t v = *e;

		if (!(v & _PAGE_PRESENT) || (l <= 2 && (v & _PAGE_PSE)))
			break;
		if (l == (int)level && (v & PTE_PFN_MASK) == table_pa) {
			WRITE_ONCE(*e, 0);
			ret = table_pa;
		}
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	spin_unlock(&pgtable_lock);
	return ret;
}
