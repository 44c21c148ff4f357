/*
 * Kernel mappings of physical ranges outside the direct map: device
 * registers (LAPIC, IOAPIC), uncached, and firmware tables that lie in no
 * RAM or ACPI range, write-back. Each gets its own 4 KiB pages in the
 * ioremap area (arch/x86_64/pgtable.h), never an alias of a direct-map page.
 */
#ifndef ARCH_X86_64_IOREMAP_H
#define ARCH_X86_64_IOREMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Map [phys, phys + size) uncached (PCD|PWT: PAT entry 3, UC), global,
 * not executable; returns the virtual address of @phys, or NULL when page
 * tables or the area ran out. Needs the page-table allocator (after the
 * memory step). Mappings are never removed: flushlab maps a handful of
 * devices once, at boot. Needs no flush: the pages were not present.
 */
void *ioremap(uint64_t phys, size_t size);

/* The same, write-back: for firmware tables outside the direct map. */
void *ioremap_cache(uint64_t phys, size_t size);

/* The virtual address of @phys in the direct map, or NULL if it is not mapped there. */
void *phys_to_virt_mapped(uint64_t phys);

/* IA32_PAT entry 3 is UC, as PCD|PWT mappings assume (the power-on default). */
bool pat_entry3_is_uc(void);

#endif
