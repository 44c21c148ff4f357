/*
 * ACPI NFIT (NVDIMM Firmware Interface Table, ACPI 6.5 section 5.2.26): only
 * its System Physical Address (SPA) Range Structures of the persistent-memory
 * type, which say where an NVDIMM's bytes appear in the physical address
 * space. Each one found becomes a device-memory region (mm/devmem.h).
 */
#ifndef ARCH_X86_64_NFIT_H
#define ARCH_X86_64_NFIT_H

#include <stddef.h>
#include <stdint.h>

#define NFIT_MAX_SPA 8

struct nfit_spa {
	uint16_t range_index;
	uint64_t base, size;
};

struct nfit_info {
	int nr_pmem;	  /* persistent-memory SPA ranges in spa[] */
	int nr_other_spa; /* SPA ranges of other types (volatile, control...): ignored */
	int nr_other;	  /* structures of other types (region mappings, control regions...) */
	struct nfit_spa spa[NFIT_MAX_SPA];
};

/*
 * Parse the NFIT of @len bytes at @table (header included; its checksum is
 * the caller's business). Every length and offset is checked before it is
 * read; a malformed table (truncated, a structure of bad length, a pmem
 * range that is empty, unaligned, wraps, or overlaps another) is refused
 * whole: -EINVAL with the reason in @why. 0 and @out filled otherwise.
 */
int nfit_parse(const void *table, size_t len, struct nfit_info *out, char *why, size_t why_len);

/*
 * Boot: find the NFIT through the RSDP, parse it, print what it holds and
 * register every pmem range as a device-memory region. Before memory init,
 * so the ranges can be kept out of memblock. -ENOENT (no NFIT) or -EINVAL.
 */
/*
 * Find and parse the firmware's NFIT into @info and log its ranges; mm
 * decides what to do with them (mm/devmem.h: devmem_add_nfit). -ENOENT: no
 * NFIT (the usual case); -EINVAL: refused, with the reason logged.
 */
int nfit_init(uint64_t rsdp_phys, struct nfit_info *info);

#endif
