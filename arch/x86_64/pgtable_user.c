/*
 * User page tables: one PML4 per address space whose lower half maps 4 KiB
 * user pages (U/S set at every level) and whose upper half is a copy of the
 * kernel's PML4 entries. Mechanics only, like pgtable.c: no TLB flush here,
 * and the caller serialises changes to one root (its mm's lock).
 *
 * Why copying the kernel half once is enough: a copy shares the kernel's
 * PDPTs, so every change the kernel makes below its PML4 is seen through
 * every user root at once. Only a new or changed kernel PML4 entry would
 * be missed. arch_mmu_user_init creates, at boot, each kernel-half entry
 * the kernel's mapping API can ever need (direct map, scratch, vmemmap and
 * image slots: the direct map and image come from the loader and never
 * change, vmemmap and scratch get their PDPT here if they have none), then
 * sets kernel_pml4_frozen; after that walk_alloc refuses to create a PML4
 * entry (-ENOMEM, loudly) instead of silently diverging (Linux does the
 * same for vmalloc: preallocate_vmalloc_pages).
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/pgtable.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "flushlab/layout.h"
#include "uapi/mman.h"
#include "mm/mmu.h"
#include "mm/page.h"
#include "mm/pgtable_alloc.h"
#include "arch/x86_64/pgtable_user_priv.h"

void arch_mmu_user_init(void)
{
	static const uintptr_t slots[] = {SCRATCH_BASE, IOREMAP_BASE, VMEMMAP_BASE};

	for (unsigned int i = 0; i < ARRAY_SIZE(slots); i++) {
		pte_t *e = &kernel_pml4[pt_index(slots[i], 3)];
		uint64_t pa;

		if (*e & _PAGE_PRESENT)
			continue;
		pa = pgtable_alloc_page();
		if (!pa)
			panic("pgtable: no page for the kernel PML4 entry of %#lx", slots[i]);
		WRITE_ONCE(*e, pa | _PAGE_PRESENT | _PAGE_RW);
	}
	kernel_pml4_frozen = true;
}

uint64_t arch_mmu_kernel_pgd_phys(void)
{
	return (uintptr_t)kernel_pml4 - DIRECT_MAP_BASE;
}

uint64_t arch_mmu_user_pgd_alloc(void)
{
	uint64_t pa = pgtable_alloc_page(); /* zeroed: the user half is empty */
	pte_t *pgd;

	if (!pa)
		return 0;
	BUG_ON(!kernel_pml4_frozen);
	pgd = phys_to_table(pa);
	for (int i = KERNEL_PML4_FIRST; i < PTRS_PER_TABLE; i++)
		pgd[i] = READ_ONCE(kernel_pml4[i]);
	return pa;
}

static bool table_empty(const pte_t *table, int first, int last)
{
	for (int i = first; i < last; i++)
		if (table[i])
			return false;
	return true;
}

void arch_mmu_user_pgd_free(uint64_t pgd)
{
	BUG_ON(!table_empty(phys_to_table(pgd), 0, KERNEL_PML4_FIRST));
	pgtable_free_page(pgd);
}

pte_t user_leaf_bits(unsigned int prot)
{
	pte_t bits = _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;

	if (prot & MMU_READ)
		bits |= _PAGE_PRESENT;
	else
		bits |= _PAGE_PROTNONE; /* not present: any access faults */
	if (prot & MMU_WRITE)
		bits |= _PAGE_RW;
	if (!(prot & MMU_EXEC) && cpu_features.nx)
		bits |= _PAGE_NX;
	return bits;
}

/* Is @e a leaf: a present one, or a PROT_NONE one holding its frame. */
static bool user_leaf_valid(pte_t e)
{
	return e & (_PAGE_PRESENT | _PAGE_PROTNONE);
}

unsigned int user_leaf_prot(pte_t e)
{
	return ((e & _PAGE_PRESENT) ? MMU_READ : 0) | ((e & _PAGE_RW) ? MMU_WRITE : 0) |
	       ((e & _PAGE_NX) ? 0 : MMU_EXEC);
}

/* The level-0 entry for @va, or NULL when a table on the way is missing. */
static pte_t *user_pte(uint64_t pgd, uintptr_t va)
{
	pte_t *table = phys_to_table(pgd);

	BUG_ON(va >= TASK_SIZE);
	for (int l = 3; l > 0; l--) {
		pte_t v = READ_ONCE(table[pt_index(va, l)]);

		if (!(v & _PAGE_PRESENT) || (v & _PAGE_PSE))
			return NULL; /* no table, or a 2 MiB leaf (the _pmd functions' business) */
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	return &table[pt_index(va, 0)];
}

/*
 * ---- 2 MiB user leaves (transparent huge pages) ----
 * A huge leaf is a PSE entry in a page directory (level 1), always present
 * (a PROT_NONE huge page is split first: mm/huge_memory.c). Its PAT bit is
 * bit 12, so its frame is read with PTE_LARGE_PFN_MASK.
 */

/* The level-1 (PMD) entry for @va, or NULL when the PDPT or PD is missing (or a 1 GiB leaf). */
static pte_t *user_pmd(uint64_t pgd, uintptr_t va)
{
	pte_t *table = phys_to_table(pgd);

	BUG_ON(va >= TASK_SIZE);
	for (int l = 3; l > 1; l--) {
		pte_t v = READ_ONCE(table[pt_index(va, l)]);

		if (!(v & _PAGE_PRESENT) || (v & _PAGE_PSE))
			return NULL; /* no table, or a 1 GiB leaf (hugetlb or device memory) */
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	return &table[pt_index(va, 1)];
}

/*
 * ---- 1 GiB user leaves (device-dax at align=1G, mm/devdax_mmap.c) ----
 * A PSE entry in a PDPT (level 2), always present; its frame is read with
 * PTE_LARGE_PFN_MASK as a 2 MiB leaf's (PAT is bit 12 at both levels).
 */
static pte_t *user_pud(uint64_t pgd, uintptr_t va)
{
	pte_t v = READ_ONCE(((pte_t *)phys_to_table(pgd))[pt_index(va, 3)]);

	BUG_ON(va >= TASK_SIZE);
	return (v & _PAGE_PRESENT) ? &((pte_t *)phys_to_table(v & PTE_PFN_MASK))[pt_index(va, 2)]
				   : NULL;
}

static bool user_pud_leaf(uint64_t pgd, uintptr_t va, struct mmu_mapping *m)
{
	pte_t *e = user_pud(pgd, va);
	pte_t v = e ? READ_ONCE(*e) : 0;

	if (!(v & _PAGE_PRESENT) || !(v & _PAGE_PSE))
		return false;
	m->pa = (v & PTE_LARGE_PFN_MASK) + (va & (HPAGE_PUD_SIZE - 1));
	m->level = PG_LEVEL_1G;
	m->prot = user_leaf_prot(v);
	return true;
}

static bool user_pmd_leaf(uint64_t pgd, uintptr_t va, struct mmu_mapping *m)
{
	pte_t *e = user_pmd(pgd, va);
	pte_t v = e ? READ_ONCE(*e) : 0;

	if (!(v & _PAGE_PRESENT) || !(v & _PAGE_PSE))
		return false;
	m->pa = (v & PTE_LARGE_PFN_MASK) + (va & (HPAGE_PMD_SIZE - 1));
	m->level = PG_LEVEL_2M;
	m->prot = user_leaf_prot(v);
	return true;
}

enum pmd_state arch_mmu_user_pmd_state(uint64_t pgd, uintptr_t va)
{
	pte_t *e = user_pmd(pgd, va);
	pte_t v = e ? READ_ONCE(*e) : 0;

	if (!v)
		return PMD_STATE_NONE;
	return (v & _PAGE_PSE) ? PMD_STATE_LEAF : PMD_STATE_TABLE;
}

/*
 * The table that holds @va's entry at @level (0: PTE, 1: PMD), creating the
 * tables above it (counted in *@nr_tables); -ENOMEM, or -EEXIST if a 2 MiB
 * leaf already maps @va on the way down. A new table is zeroed before the
 * store that links it, and linking a not-present entry needs no flush
 * (SDM vol. 3, 4.10.2.1).
 */
int user_walk_alloc(uint64_t pgd, uintptr_t va, int level, long *nr_tables, pte_t **out)
{
	pte_t *table = phys_to_table(pgd);

	for (int l = 3; l > level; l--) {
		pte_t *e = &table[pt_index(va, l)];
		pte_t v = *e;

		if (!(v & _PAGE_PRESENT)) {
			uint64_t t = pgtable_alloc_page();

			if (!t)
				return -ENOMEM;
			(*nr_tables)++;
			v = t | USER_TABLE_BITS;
			WRITE_ONCE(*e, v);
		}
		if (v & _PAGE_PSE)
			return -EEXIST; /* a 2 MiB or 1 GiB leaf maps @va */
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	*out = table;
	return 0;
}

/* A 2 MiB (@level 1) or 1 GiB (@level 2) user leaf where nothing is mapped yet. */
static int user_map_large(uint64_t pgd, uintptr_t va, uint64_t pa, unsigned int prot, int level,
			  long *nr_tables)
{
	pte_t *table;
	int ret;

	BUG_ON(va >= TASK_SIZE || (va | pa) & (pg_level_size(level) - 1) || !(prot & MMU_READ));
	ret = user_walk_alloc(pgd, va, level, nr_tables, &table);
	if (ret)
		return ret;
	if (table[pt_index(va, level)])
		return -EEXIST; /* a page table or a leaf is already there */
	/* not present -> present: nothing cached to flush (SDM vol. 3, 4.10.2.1) */
	WRITE_ONCE(table[pt_index(va, level)], pa | user_leaf_bits(prot) | _PAGE_PSE);
	return 0;
}

/* Clear the large leaf @e, if it is one; its frame, or 0. The caller flushes. */
static uint64_t user_unmap_large(pte_t *e)
{
	pte_t v = e ? *e : 0;

	if (!(v & _PAGE_PRESENT) || !(v & _PAGE_PSE))
		return 0;
	WRITE_ONCE(*e, 0);
	return v & PTE_LARGE_PFN_MASK;
}

int arch_mmu_user_map_pmd(uint64_t pgd, uintptr_t va, uint64_t pa, unsigned int prot,
			  long *nr_tables)
{
	return user_map_large(pgd, va, pa, prot, PG_LEVEL_2M, nr_tables);
}

uint64_t arch_mmu_user_unmap_pmd(uint64_t pgd, uintptr_t va)
{
	return user_unmap_large(user_pmd(pgd, va));
}

int arch_mmu_user_protect_pmd(uint64_t pgd, uintptr_t va, unsigned int prot)
{
	pte_t *e = user_pmd(pgd, va);
	pte_t v = e ? *e : 0;

	BUG_ON(!(prot & MMU_READ));
	if (!(v & _PAGE_PRESENT) || !(v & _PAGE_PSE))
		return -ENOENT;
	WRITE_ONCE(*e, (v & PTE_LARGE_PFN_MASK) | user_leaf_bits(prot) | _PAGE_PSE);
	return 0;
}

void arch_mmu_user_pmd_populate(uint64_t pgd, uintptr_t va, uint64_t table_pa, uint64_t pa,
				unsigned int prot)
{
	pte_t *e = user_pmd(pgd, va);
	pte_t *pt = phys_to_table(table_pa);

	BUG_ON(!e || *e || (va | pa) & (HPAGE_PMD_SIZE - 1));
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		pt[i] = (pa + i * PAGE_SIZE) | user_leaf_bits(prot);
	/*
	 * The 512 entries are plain stores to a table no CPU can reach yet;
	 * x86 keeps stores in order (TSO), so a walker that sees the PMD
	 * store below sees them too.
	 */
	WRITE_ONCE(*e, table_pa | USER_TABLE_BITS);
}

uint64_t arch_mmu_user_pmd_take_table(uint64_t pgd, uintptr_t va)
{
	pte_t *e = user_pmd(pgd, va);
	pte_t v = e ? *e : 0;

	if (!(v & _PAGE_PRESENT) || (v & _PAGE_PSE))
		return 0;
	WRITE_ONCE(*e, 0);
	memset(phys_to_table(v & PTE_PFN_MASK), 0, PAGE_SIZE);
	return v & PTE_PFN_MASK;
}

int arch_mmu_user_map_pud(uint64_t pgd, uintptr_t va, uint64_t pa, unsigned int prot,
			  long *nr_tables)
{
	return user_map_large(pgd, va, pa, prot, PG_LEVEL_1G, nr_tables);
}

uint64_t arch_mmu_user_unmap_pud(uint64_t pgd, uintptr_t va)
{
	return user_unmap_large(user_pud(pgd, va));
}

int arch_mmu_user_map(uint64_t pgd, uintptr_t va, uint64_t pa, unsigned int prot, long *nr_tables)
{
	pte_t *table;
	int ret;

	BUG_ON(va >= TASK_SIZE || (va | pa) & (PAGE_SIZE - 1));
	ret = user_walk_alloc(pgd, va, 0, nr_tables, &table);
	if (ret)
		return ret;
	if (user_leaf_valid(table[pt_index(va, 0)]))
		return -EEXIST;
	WRITE_ONCE(table[pt_index(va, 0)], pa | user_leaf_bits(prot));
	return 0;
}

uint64_t arch_mmu_user_unmap(uint64_t pgd, uintptr_t va)
{
	pte_t *e = user_pte(pgd, va);
	pte_t v;

	if (!e || !user_leaf_valid(v = *e))
		return 0;
	WRITE_ONCE(*e, 0);
	return v & PTE_PFN_MASK;
}

int arch_mmu_user_protect(uint64_t pgd, uintptr_t va, unsigned int prot)
{
	pte_t *e = user_pte(pgd, va);

	if (!e || !user_leaf_valid(*e))
		return -ENOENT;
	WRITE_ONCE(*e, (*e & PTE_PFN_MASK) | user_leaf_bits(prot));
	return 0;
}

int arch_mmu_user_query(uint64_t pgd, uintptr_t va, struct mmu_mapping *m)
{
	pte_t *e = user_pte(pgd, va & ~(PAGE_SIZE - 1));
	pte_t v;

	if (!e && (user_pmd_leaf(pgd, va, m) || user_pud_leaf(pgd, va, m)))
		return 0;
	if (!e || !user_leaf_valid(v = READ_ONCE(*e)))
		return -ENOENT;
	m->pa = (v & PTE_PFN_MASK) + (va & (PAGE_SIZE - 1));
	m->level = PG_LEVEL_4K;
	m->prot = user_leaf_prot(v);
	return 0;
}

/* The span of one entry at @level, and the first va of entry @i of a table at @base. */
#define LEVEL_SPAN(l) (1ULL << (12 + 9 * (l)))

/*
 * Free the empty tables below the table @table (at @level >= 1) whose
 * entries' spans intersect [start, end); @base is the va of entry 0.
 * Returns true if @table itself is then empty.
 */
static bool free_level(pte_t *table, int level, uintptr_t base, uintptr_t start, uintptr_t end,
		       mmu_table_free_fn free_fn, void *arg, unsigned long *freed, long *nr_tables)
{
	int last = level == 3 ? KERNEL_PML4_FIRST : PTRS_PER_TABLE;

	for (int i = 0; i < last; i++) {
		uintptr_t lo = base + i * LEVEL_SPAN(level), hi = lo + LEVEL_SPAN(level);
		pte_t v = table[i];
		pte_t *child;

		if (hi <= start || lo >= end || !(v & _PAGE_PRESENT) || (v & _PAGE_PSE))
			continue; /* nothing, or a 2 MiB leaf: not a table, never freed here */
		child = phys_to_table(v & PTE_PFN_MASK);
		if (level > 1 &&
		    !free_level(child, level - 1, lo, start, end, free_fn, arg, freed, nr_tables))
			continue;
		if (level == 1 && !table_empty(child, 0, PTRS_PER_TABLE))
			continue;
		WRITE_ONCE(table[i], 0);
		free_fn(v & PTE_PFN_MASK, arg);
		(*freed)++;
		(*nr_tables)--;
	}
	return table_empty(table, 0, last);
}

unsigned long arch_mmu_user_free_pgtables(uint64_t pgd, uintptr_t start, uintptr_t end,
					  mmu_table_free_fn free_fn, void *arg, long *nr_tables)
{
	unsigned long freed = 0;

	free_level(phys_to_table(pgd), 3, 0, start, end, free_fn, arg, &freed, nr_tables);
	return freed;
}

static int walk_level(pte_t *table, int level, uintptr_t base, uintptr_t start, uintptr_t end,
		      mmu_leaf_fn fn, void *arg, unsigned long *nr_tables)
{
	int last = level == 3 ? KERNEL_PML4_FIRST : PTRS_PER_TABLE;

	for (int i = 0; i < last; i++) {
		uintptr_t lo = base + i * LEVEL_SPAN(level), hi = lo + LEVEL_SPAN(level);
		pte_t v = READ_ONCE(table[i]);
		int ret;

		if (hi <= start || lo >= end)
			continue;
		if (level == 0) {
			struct mmu_mapping m = {v & PTE_PFN_MASK, PG_LEVEL_4K, user_leaf_prot(v)};

			if (user_leaf_valid(v) && (ret = fn(lo, &m, arg)))
				return ret;
			continue;
		}
		if (!(v & _PAGE_PRESENT))
			continue;
		if ((level == 1 || level == 2) && (v & _PAGE_PSE)) {
			struct mmu_mapping m = {v & PTE_LARGE_PFN_MASK, (enum pg_level)level,
						user_leaf_prot(v)};

			if ((ret = fn(lo, &m, arg)))
				return ret;
			continue;
		}
		if (nr_tables)
			(*nr_tables)++;
		ret = walk_level(phys_to_table(v & PTE_PFN_MASK), level - 1, lo, start, end, fn,
				 arg, nr_tables);
		if (ret)
			return ret;
	}
	return 0;
}

int arch_mmu_user_walk(uint64_t pgd, uintptr_t start, uintptr_t end, mmu_leaf_fn fn, void *arg,
		       unsigned long *nr_tables)
{
	return walk_level(phys_to_table(pgd), 3, 0, start, end, fn, arg, nr_tables);
}

/* "P RW US A D PS NX" for the bits of @e that are set. */
static void entry_flags(pte_t e, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s%s", (e & _PAGE_PRESENT) ? "P" : "-",
		 (e & _PAGE_RW) ? " RW" : "", (e & _PAGE_USER) ? " US" : "",
		 (e & _PAGE_ACCESSED) ? " A" : "", (e & _PAGE_DIRTY) ? " D" : "",
		 (e & _PAGE_PSE) ? " PS" : "", (e & _PAGE_NX) ? " NX" : "");
}

static void dump_pte(const pte_t *pt, int i, uintptr_t va)
{
	char f[32];

	entry_flags(pt[i], f, sizeof(f));
	if (!pt[i])
		printk("      PT[%3d] %016lx  none            va %#lx\n", i, 0UL, va);
	else
		printk("      PT[%3d] %016lx  %-14s  va %#lx -> %#lx\n", i, pt[i], f, va,
		       (unsigned long)(pt[i] & PTE_PFN_MASK));
}

void arch_mmu_user_dump_pmd(uint64_t pgd, uintptr_t va)
{
	pte_t *table = phys_to_table(pgd), *pt;
	static const char *const names[] = {"PT", "PD", "PDPT", "PML4"};
	static const char *const indent[] = {"", "  ", "    "};
	uintptr_t h = va & ~(HPAGE_PMD_SIZE - 1);
	char f[32];
	pte_t v = 0;

	for (int l = 3; l >= 1; l--) {
		v = table[pt_index(h, l)];
		entry_flags(v, f, sizeof(f));
		printk("  %s%s[%3u] %016lx  %-14s", indent[3 - l], names[l], pt_index(h, l), v, f);
		if (!(v & _PAGE_PRESENT)) {
			printk("  none\n");
			return;
		}
		if (v & _PAGE_PSE) {
			printk("  2 MiB leaf: va %#lx -> %#lx\n", h,
			       (unsigned long)(v & PTE_LARGE_PFN_MASK));
			return;
		}
		printk("  -> %s at %#lx\n", names[l - 1], (unsigned long)(v & PTE_PFN_MASK));
		table = phys_to_table(v & PTE_PFN_MASK);
	}
	pt = table;
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (i < 3 || i > 509 || !pt[i] || (i > 0 && !pt[i - 1]))
			dump_pte(pt, i, h + i * PAGE_SIZE);
		else if (i == 3)
			printk("      ...\n");
}
