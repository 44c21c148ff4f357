/*
 * Frames for page-table pages, from memblock while the kernel boots and
 * from the buddy allocator afterwards; either way zeroed and counted as
 * page tables (nr_page_table_pages).
 */
#ifndef MM_PGTABLE_ALLOC_H
#define MM_PGTABLE_ALLOC_H

#include <stdint.h>

/* A zeroed page for a page table: its physical address, or 0 when out of memory. */
uint64_t pgtable_alloc_page(void);
/*
 * Give back a page-table page that was never linked into a live table, or
 * one that arch_mmu_unlink_table() unlinked and the caller then flushed.
 */
void pgtable_free_page(uint64_t pa);

#endif
