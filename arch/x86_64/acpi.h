/*
 * ACPI, only as far as SMP needs it: RSDP -> XSDT (or RSDT) -> MADT, for the
 * local APIC of every processor the firmware lists and the LAPIC's MMIO
 * address. The tables are read through the direct map; nothing is kept
 * pointing into them after acpi_init returns.
 */
#ifndef ARCH_X86_64_ACPI_H
#define ARCH_X86_64_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_LAPICS 256

/* MADT Local APIC flags (ACPI 6.5, table 5.23). */
#define ACPI_MADT_ENABLED 0x1 /* usable now: start it */
#define ACPI_MADT_ONLINE_CAPABLE 0x2 /* disabled, but may be hot-added later */

struct acpi_lapic {
	uint32_t apic_id; /* xAPIC ids fit 8 bits; x2APIC entries give 32 */
	uint32_t acpi_uid; /* the processor's ACPI id / UID */
	uint32_t flags; /* ACPI_MADT_* */
};

struct acpi_madt_info {
	uint64_t lapic_phys; /* after any 64-bit address override entry */
	bool lapic_override; /* the override entry was present */
	int nr_lapics; /* entries in lapics[] */
	int nr_enabled; /* with ACPI_MADT_ENABLED */
	int nr_skipped; /* entries beyond ACPI_MAX_LAPICS, ignored */
	struct acpi_lapic lapics[ACPI_MAX_LAPICS];
};

extern struct acpi_madt_info acpi_madt;

/*
 * Find and parse the MADT from the RSDP at @rsdp_phys (boot_info). Returns
 * 0, or -ENOENT (no RSDP or MADT) / -EINVAL (bad signature or checksum) after
 * printing why; then acpi_madt stays empty and the caller runs on one CPU.
 */
int acpi_init(uint64_t rsdp_phys);

/*
 * The ACPI table with signature @sig (checksum verified; its header's length
 * is at least the 36-byte header), through the direct map, or NULL. For
 * other tables' parsers (nfit.c); callers validate the body themselves.
 */
const void *acpi_find_table(uint64_t rsdp_phys, const char *sig);

#endif
