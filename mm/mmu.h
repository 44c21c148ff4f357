/*
 * The page-table interface generic mm uses (LK's arch_mmu_* idea); arch/x86_64
 * implements it. Kernel mappings only: one address space, shared by every CPU.
 *
 * None of these functions flushes a TLB. Each says what a caller must flush
 * before relying on the change; the caller decides how and when, through the
 * flush API in mm/tlbflush.h. That keeps flush policy (what flushlab measures)
 * out of page-table mechanics.
 */
#ifndef MM_MMU_H
#define MM_MMU_H

#include <stdbool.h>
#include <stdint.h>

/* Mapping sizes, as levels of the page-table tree (Linux's enum pg_level). */
enum pg_level { PG_LEVEL_4K, PG_LEVEL_2M, PG_LEVEL_1G, PG_LEVEL_NONE };

static inline uint64_t pg_level_size(enum pg_level level)
{
	return 4096ULL << (9 * level);
}

/* Protection, arch-neutral. Kernel mappings are always readable. */
#define MMU_WRITE (1u << 0)
#define MMU_EXEC (1u << 1)
#define MMU_GLOBAL (1u << 2) /* survives CR3 writes: needs a global flush */

struct mmu_mapping {
	uint64_t pa; /* physical address of the byte at the queried va */
	enum pg_level level; /* size of the leaf that maps it */
	unsigned int prot;
};

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

/* Change the protection of the leaf mapping @va. Caller flushes @va everywhere. */
int arch_mmu_protect(uintptr_t va, enum pg_level level, unsigned int prot);

#endif
