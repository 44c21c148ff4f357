/*
 * The page-table interface generic mm uses (LK's arch_mmu_* idea); arch/x86_64
 * implements it. Kernel mappings: one address space, shared by every CPU;
 * and, at the end, user roots (arch_mmu_user_*) that share its kernel half.
 *
 * None of these functions flushes a TLB. Each says what a caller must flush
 * before relying on the change; the caller decides how and when, through the
 * flush API in smp/tlbflush.h. That keeps flush policy (what flushlab measures)
 * out of page-table mechanics.
 */
#ifndef MM_MMU_H
#define MM_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "flushlab/layout.h" /* PAGE_SHIFT, PMD_SHIFT */

/* Mapping sizes, as levels of the page-table tree (Linux's enum pg_level). */
enum pg_level { PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G, PG_LEVEL_NONE };

static inline uint64_t pg_level_size(enum pg_level level)
{
	return 4096ULL << (9 * level);
}

/* Protection, arch-neutral. Kernel mappings are always readable. */
#define MMU_WRITE (1u << 0)
#define MMU_EXEC (1u << 1)
#define MMU_GLOBAL (1u << 2)  /* survives CR3 writes: needs a global flush */
#define MMU_NOCACHE (1u << 3) /* uncached: device registers (x86: PCD|PWT) */

struct mmu_mapping {
	uint64_t pa;	     /* physical address of the byte at the queried va */
	enum pg_level level; /* size of the leaf that maps it */
	unsigned int prot;
};

/* Boot, first: adopt the page tables the loader built (read from CR3). */
void arch_mmu_init(void);

/* What maps @va, if anything: 0, or -ENOENT. Lock-free read of live tables. */
int arch_mmu_query(uintptr_t va, struct mmu_mapping *m);

/*
 * Map one page of @level at @va (aligned to its size) to @pa. Allocates
 * intermediate tables (counted as page tables); -ENOMEM leaves nothing
 * changed but possibly empty intermediate tables; -EEXIST if @va is mapped.
 * Needs no flush: x86 never caches a translation, or a paging-structure
 * entry, whose present bit is 0 (Intel SDM vol. 3, 4.10.2.1 and 4.10.3.1),
 * so making a not-present va present invalidates nothing.
 */
int arch_mmu_map(uintptr_t va, uint64_t pa, enum pg_level level, unsigned int prot);

/*
 * Replace the frame and protection of the 4 KiB leaf at @va (HVO's remap).
 * Returns the old frame's physical address, or 0 if @va has no 4 KiB leaf.
 * Caller must flush @va on every CPU before the old frame is reused.
 */
uint64_t arch_mmu_remap_4k(uintptr_t va, uint64_t pa, unsigned int prot);

/* Unmap the leaf of @level at @va: 0 or -ENOENT. Caller flushes @va everywhere. */
int arch_mmu_unmap(uintptr_t va, enum pg_level level);

/*
 * Split the 1 GiB or 2 MiB leaf that maps @va into 512 leaves of the next
 * size, same frames, same attributes, installed with one store. Returns 0,
 * -ENOENT (no such leaf: already split or unmapped), or -ENOMEM (no table;
 * nothing changed). Afterwards a CPU may still hold the large translation:
 * it maps the same bytes with the same attributes, so it is harmless until
 * one of the new small leaves changes; the caller flushes before that is
 * relied on (Linux's VMEMMAP_SPLIT_NO_TLB_FLUSH rests on the same fact).
 */
int arch_mmu_split(uintptr_t va, enum pg_level level);

/*
 * Unlink the table that the entry of @level for @va points to (the table
 * mapping a 2 MiB or 1 GiB region with smaller entries) if none of its
 * entries is present, and return its physical address; 0 if there is no
 * such table or it is not empty. The caller must own the region (no other
 * code maps or walks it meanwhile), and must flush before it frees the page
 * with pgtable_free_page(): paging-structure caches may still hold the
 * unlinked entry, and any CPU could walk the old table through it. INVLPG
 * of any address drops every paging-structure-cache entry of the current
 * PCID, and a full flush drops them all (Intel SDM vol. 3, 4.10.4.1).
 */
uint64_t arch_mmu_unlink_table(uintptr_t va, enum pg_level level);

/*
 * Shared page tables: a table (counted as a page table) whose 512 4 KiB
 * entries all map @pa with @prot; 0 when out of memory. arch_mmu_link_table
 * points the not-present entry of @level (PG_LEVEL_2M: a PMD) for @va at
 * it, read-only at that level: no flush needed (a not-present entry is
 * never cached); -EEXIST if present. arch_mmu_unlink_shared_table clears
 * that entry if it points at @table_pa (returned; else 0); the caller
 * flushes before the va is mapped again (paging-structure caches).
 */
uint64_t arch_mmu_alloc_filled_table(uint64_t pa, unsigned int prot);
int arch_mmu_link_table(uintptr_t va, enum pg_level level, uint64_t table_pa);
uint64_t arch_mmu_unlink_shared_table(uintptr_t va, enum pg_level level, uint64_t table_pa);
/*
 * A table of one's own built before it is linked: set entry @index of the
 * unlinked table @table_pa to map @pa with @prot (no lock, no flush: no CPU
 * can reach it), then link it read-write with arch_mmu_link_own_table (same
 * rules as arch_mmu_link_table). It is an ordinary table from then on.
 */
void arch_mmu_table_set(uint64_t table_pa, unsigned int index, uint64_t pa, unsigned int prot);
int arch_mmu_link_own_table(uintptr_t va, enum pg_level level, uint64_t table_pa);
/* Is no page of [start, end) mapped? (Skips a missing table's whole span.) */
bool arch_mmu_range_unmapped(uintptr_t start, uintptr_t end);

/* Change the protection of the leaf mapping @va. Caller flushes @va everywhere. */
int arch_mmu_protect(uintptr_t va, enum pg_level level, unsigned int prot);

/*
 * ---- user address spaces (arch/x86_64/pgtable_user.c) ----
 * A user root (@pgd, a physical address: the CR3 value) maps 4 KiB user
 * leaves below the canonical hole and shares the kernel half. The caller
 * (mm/memory.c) serialises changes to one root with its mm's lock, and
 * flushes (flush_tlb_mm_range) before a dropped frame or freed table is
 * reused. @nr_tables is the caller's page-table counter, kept exact here.
 */
#define MMU_READ (1u << 3) /* user leaves: without it the page is PROT_NONE (kept, not present) */

/* Boot, before any user root: make the kernel half of the PML4 final. */
void arch_mmu_user_init(void);
/* The kernel's own root, for CPUs that run no user address space. */
uint64_t arch_mmu_kernel_pgd_phys(void);
/* A new root: empty user half, kernel half copied. 0 on ENOMEM. Counted as a page table. */
uint64_t arch_mmu_user_pgd_alloc(void);
/* Free a root whose user half is empty (after free_pgtables of everything). */
void arch_mmu_user_pgd_free(uint64_t pgd);
/*
 * Map the 4 KiB user page @va to @pa. Needs no flush (a not-present entry
 * is never cached). -ENOMEM leaves tables already made in place (counted,
 * freed by a later free_pgtables); -EEXIST if @va has a leaf.
 */
int arch_mmu_user_map(uint64_t pgd, uintptr_t va, uint64_t pa, unsigned int prot, long *nr_tables);
/* Clear the leaf at @va (PROT_NONE ones too): its frame's address, or 0 if none. */
uint64_t arch_mmu_user_unmap(uint64_t pgd, uintptr_t va);
/* New protection for the leaf at @va, same frame: 0 or -ENOENT. */
int arch_mmu_user_protect(uint64_t pgd, uintptr_t va, unsigned int prot);
/* The leaf at @va (a PROT_NONE one has no MMU_READ): 0 or -ENOENT. */
int arch_mmu_user_query(uint64_t pgd, uintptr_t va, struct mmu_mapping *m);

typedef void (*mmu_table_free_fn)(uint64_t table_pa, void *arg);
/*
 * Unlink every page-table page under @pgd that maps only inside the 512 GiB
 * slots [start, end) touch and has become empty, bottom up, and hand each
 * to @free_fn: the caller frees it only after flushing (a CPU's
 * paging-structure caches may still point at it). Returns how many.
 */
unsigned long arch_mmu_user_free_pgtables(uint64_t pgd, uintptr_t start, uintptr_t end,
					  mmu_table_free_fn free_fn, void *arg, long *nr_tables);

typedef int (*mmu_leaf_fn)(uintptr_t va, const struct mmu_mapping *m, void *arg);
/*
 * Call @fn on every leaf in [start, end) in address order (non-zero from
 * @fn stops the walk and is returned); count page-table pages below @pgd
 * reached on the way into *@nr_tables if not NULL (all of them when the
 * range is the whole user half).
 */
int arch_mmu_user_walk(uint64_t pgd, uintptr_t start, uintptr_t end, mmu_leaf_fn fn, void *arg,
		       unsigned long *nr_tables);

/*
 * ---- 2 MiB user leaves (transparent huge pages, mm/huge_memory.c) ----
 * Same rules as the 4 KiB functions above: mechanics only, the mm's lock
 * held, no flush. A huge leaf is always present (PROT_NONE splits it).
 */
#define HPAGE_PMD_SHIFT PMD_SHIFT
#define HPAGE_PMD_SIZE (1UL << HPAGE_PMD_SHIFT)
#define HPAGE_PMD_ORDER (PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR (1 << HPAGE_PMD_ORDER)

/* What the PMD entry for @va holds: nothing (or no table above it), a table, a 2 MiB leaf. */
enum pmd_state { PMD_STATE_NONE, PMD_STATE_TABLE, PMD_STATE_LEAF };
enum pmd_state arch_mmu_user_pmd_state(uint64_t pgd, uintptr_t va);
/*
 * Map a 2 MiB leaf at @va (2 MiB-aligned) to @pa, making the tables above
 * it (counted in *@nr_tables). -EEXIST if the PMD entry holds a table or a
 * leaf; -ENOMEM as arch_mmu_user_map. No flush: it was not present.
 */
int arch_mmu_user_map_pmd(uint64_t pgd, uintptr_t va, uint64_t pa, unsigned int prot,
			  long *nr_tables);
/* Clear the 2 MiB leaf at @va: its frame's address, or 0 if there is none. */
uint64_t arch_mmu_user_unmap_pmd(uint64_t pgd, uintptr_t va);
/* New protection (with MMU_READ) for the 2 MiB leaf at @va: 0 or -ENOENT. */
int arch_mmu_user_protect_pmd(uint64_t pgd, uintptr_t va, unsigned int prot);
/*
 * Split, second half: fill the unlinked zeroed table @table_pa with 512
 * 4 KiB leaves for [pa, pa + 2 MiB) with @prot and link it into the PMD
 * entry of @va, which must be empty (the caller cleared and flushed it).
 */
void arch_mmu_user_pmd_populate(uint64_t pgd, uintptr_t va, uint64_t table_pa, uint64_t pa,
				unsigned int prot);
/*
 * Collapse, first half: unlink the page table at the PMD entry of @va,
 * zero it and return its address (0 if the entry is not a table). The
 * caller flushes, with freed_tables, before reusing it.
 */
uint64_t arch_mmu_user_pmd_take_table(uint64_t pgd, uintptr_t va);
/*
 * 1 GiB user leaves (device memory mapped at align=1G): the same rules as
 * the 2 MiB ones. The walker reports them as PG_LEVEL_1G.
 */
#define HPAGE_PUD_SIZE PUD_SIZE
int arch_mmu_user_map_pud(uint64_t pgd, uintptr_t va, uint64_t pa, unsigned int prot,
			  long *nr_tables);
/* Clear the 1 GiB leaf at @va: its frame's address, or 0 if there is none. */
uint64_t arch_mmu_user_unmap_pud(uint64_t pgd, uintptr_t va);
/*
 * Print the page-table path to the 2 MiB block of @va on the console,
 * ptdump-style: each level's entry and flags, and the 4 KiB entries of a
 * table at the end (first, last, and those around a hole). For thpdemo.
 */
void arch_mmu_user_dump_pmd(uint64_t pgd, uintptr_t va);

/*
 * ---- hugetlb leaves at either level (mm/hugetlb_mm.c, mm/hugetlb_hgm.c) ----
 * @level is PG_LEVEL_2M (a PMD entry) or PG_LEVEL_1G (a PUD entry). Same
 * rules: mechanics only, the mm's lock held, no flush here.
 */
/* What the entry of @level for @va holds (NONE also when a table above is missing). */
enum pmd_state arch_mmu_user_huge_state(uint64_t pgd, uintptr_t va, enum pg_level level);
/* Map a leaf of @level at @va to @pa (both aligned), making the tables above; -EEXIST, -ENOMEM. */
int arch_mmu_user_map_huge(uint64_t pgd, uintptr_t va, uint64_t pa, enum pg_level level,
			   unsigned int prot, long *nr_tables);
/* Clear the leaf of @level at @va: its frame, or 0 if there is none. Caller flushes. */
uint64_t arch_mmu_user_unmap_huge(uint64_t pgd, uintptr_t va, enum pg_level level);
/*
 * Split, second half: fill the unlinked zeroed table @table_pa with 512
 * leaves of the next size down for [pa, pa + size of @level) and link it
 * into the entry of @level for @va, which the caller cleared and flushed.
 */
void arch_mmu_user_huge_populate(uint64_t pgd, uintptr_t va, enum pg_level level, uint64_t table_pa,
				 uint64_t pa, unsigned int prot);
/*
 * Collapse, first half: clear the entry of @level for @va if it points at
 * a table, and hand that table and (for a PUD) every PTE table below it to
 * @free_fn, which frees them only after a flush with freed_tables. Returns
 * how many (0: not a table); *@nr_tables drops by as many.
 */
unsigned long arch_mmu_user_unlink_tables(uint64_t pgd, uintptr_t va, enum pg_level level,
					  mmu_table_free_fn free_fn, void *arg, long *nr_tables);

#endif
