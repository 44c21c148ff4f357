/*
 * memblock: the early boot allocator (Linux's name and model). It knows RAM
 * and reservations as sorted range lists filled from the UEFI memory map,
 * serves the page tables and vmemmap built before the buddy allocator exists,
 * then hands every unreserved frame to it (memblock_free_all).
 *
 * Boot order:
 *   1. memblock_add() each usable EFI range; memblock_add_firmware() runtime
 *      and ACPI ranges (kept apart, never managed); memblock_reserve() the
 *      kernel image, boot_info, loader page tables, anything still in use.
 *      memblock_set_current_limit(direct-map end) if the direct map is partial.
 *   2. Size the vmemmap: max_pfn = PFN_UP(memblock_end_of_DRAM()); map it for
 *      every for_each_memmap_range() range, frames from
 *      memblock_alloc(..., PURPOSE_VMEMMAP) (2 MiB where possible).
 *   3. Set vmemmap (and direct_map_base); page_alloc_init(max_pfn); call
 *      memmap_init_range() on each for_each_memmap_range() range.
 *   4. memblock_free_all(): the buddy allocator is live, memblock is closed.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/gfp.h"
#include "mm/page.h"

typedef uint64_t phys_addr_t;

#define PHYS_ADDR_MAX (~(phys_addr_t)0)
#define MEMBLOCK_MAX_REGIONS 256
/* memblock_alloc stays above 1 MiB: low memory is for the SMP trampoline. */
#define MEMBLOCK_LOW_LIMIT 0x100000ULL

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum page_purpose purpose; /* reserved regions: who owns it */
};

/* Sorted, non-overlapping; adjacent regions with one purpose are merged. */
struct memblock_type {
	unsigned long cnt;
	const char *name;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	phys_addr_t current_limit; /* memblock_alloc stays below this */
	bool frozen;		   /* set by memblock_free_all: no more allocations */
	struct memblock_type memory;
	struct memblock_type reserved;
	struct memblock_type firmware;
};

extern struct memblock memblock;

/*
 * Range updates: 0, -ENOSPC when a list is full (nothing changed), -EBUSY
 * after memblock_free_all. Overlaps are fine: memory is a union; a new
 * reservation only claims the parts not reserved already (first owner wins).
 */
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_add_firmware(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size, enum page_purpose purpose);
int memblock_phys_free(phys_addr_t base, phys_addr_t size); /* drop a reservation */

/*
 * Allocate and reserve @size bytes aligned to @align (a power of two; 0 means
 * PAGE_SIZE), from the top of memory down. Returns the physical address, or 0
 * when nothing fits. Contents are not zeroed.
 *   memblock_alloc: in [MEMBLOCK_LOW_LIMIT, current_limit)
 *   memblock_alloc_low: below 1 MiB (never page 0), e.g. an AP trampoline
 *   memblock_alloc_range: in [start, end)
 */
phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align, enum page_purpose purpose);
phys_addr_t memblock_alloc_low(phys_addr_t size, phys_addr_t align, enum page_purpose purpose);
phys_addr_t memblock_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				 phys_addr_t end, enum page_purpose purpose);

void memblock_set_current_limit(phys_addr_t limit);

phys_addr_t memblock_end_of_DRAM(void); /* end of the last usable range */
phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
unsigned long memblock_firmware_pages(void);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_reserved(phys_addr_t addr);

/*
 * Account every reserved frame inside memory to its purpose, hand every
 * other whole frame of memory to the buddy allocator in the largest aligned
 * blocks, and close memblock. Returns the number of frames freed.
 */
unsigned long memblock_free_all(void);

/* Forget everything (host tests, or a kernel test on a private memblock). */
void memblock_reset(void);

/* ---- iterators (idx is a uint64_t the loop owns) ---- */

bool __next_mem_range(uint64_t *idx, const struct memblock_type *type, phys_addr_t *start,
		      phys_addr_t *end);
bool __next_free_mem_range(uint64_t *idx, phys_addr_t *start, phys_addr_t *end);
bool __next_memmap_range(uint64_t *idx, unsigned long *start_pfn, unsigned long *end_pfn);

/* Each usable RAM range. */
#define for_each_mem_range(i, p_start, p_end)                                                      \
	for (i = 0; __next_mem_range(&i, &memblock.memory, p_start, p_end);)
/* Each reserved range. */
#define for_each_reserved_mem_range(i, p_start, p_end)                                             \
	for (i = 0; __next_mem_range(&i, &memblock.reserved, p_start, p_end);)
/* Each part of RAM not reserved. */
#define for_each_free_mem_range(i, p_start, p_end)                                                 \
	for (i = 0; __next_free_mem_range(&i, p_start, p_end);)
/*
 * The pfn ranges whose struct pages must be mapped and initialised: memory
 * rounded out to MAX_ORDER_NR_PAGES (4 MiB of RAM) and merged, clipped to
 * ALIGN_UP(max_pfn, MAX_ORDER_NR_PAGES). Feed each to memmap_init_range().
 */
#define for_each_memmap_range(i, p_start_pfn, p_end_pfn)                                           \
	for (i = 0; __next_memmap_range(&i, p_start_pfn, p_end_pfn);)

#endif
