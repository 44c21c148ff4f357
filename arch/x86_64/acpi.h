/*
 * ACPI, only as far as flushlab needs it: RSDP -> XSDT (or RSDT) -> MADT,
 * for the local APIC of every processor, the LAPIC's and IOAPICs' MMIO
 * addresses; and the FADT, for the PM timer. Nothing is kept pointing into
 * the tables after acpi_init returns.
 */
#ifndef ARCH_X86_64_ACPI_H
#define ARCH_X86_64_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define ACPI_MAX_LAPICS 256

/* MADT Local APIC flags (ACPI 6.5, table 5.23). */
#define ACPI_MADT_ENABLED 0x1	     /* usable now: start it */
#define ACPI_MADT_ONLINE_CAPABLE 0x2 /* disabled, but may be hot-added later */

struct acpi_lapic {
	uint32_t apic_id;  /* xAPIC ids fit 8 bits; x2APIC entries give 32 */
	uint32_t acpi_uid; /* the processor's ACPI id / UID */
	uint32_t flags;	   /* ACPI_MADT_* */
};

#define ACPI_MAX_IOAPICS 8

struct acpi_ioapic {
	uint32_t id;
	uint32_t phys;	   /* MMIO base of its IOREGSEL/IOWIN pair */
	uint32_t gsi_base; /* first global system interrupt it serves */
};

struct acpi_madt_info {
	uint64_t lapic_phys; /* after any 64-bit address override entry */
	bool lapic_override; /* the override entry was present */
	bool pcat_compat;    /* flags bit 0: the board also has a dual 8259 PIC */
	int nr_ioapics;	     /* entries in ioapics[] (type 1) */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int nr_lapics;	/* entries in lapics[] */
	int nr_enabled; /* with ACPI_MADT_ENABLED */
	int nr_skipped; /* entries beyond ACPI_MAX_LAPICS, ignored */
	struct acpi_lapic lapics[ACPI_MAX_LAPICS];
};

extern struct acpi_madt_info acpi_madt;

/*
 * What flushlab uses from the FADT ("FACP"): the ACPI PM timer, for TSC
 * calibration, and what it says of the CMOS RTC (arch/x86_64/rtc.c).
 */
struct acpi_fadt_info {
	uint16_t pm_timer_port; /* I/O port of the 3.579545 MHz PM timer, 0 if none */
	bool pm_timer_32bit;	/* FADT flag TMR_VAL_EXT: 32-bit counter, else 24-bit */
	uint8_t rtc_century;	/* CENTURY: the CMOS index of the century byte, 0 if none */
	bool no_cmos_rtc;	/* IAPC_BOOT_ARCH "CMOS RTC Not Present" */
};

extern struct acpi_fadt_info acpi_fadt;

/*
 * Find and parse the MADT and FADT from the RSDP at @rsdp_phys (boot_info),
 * after the memory step (tables outside the direct map need ioremap).
 * Returns 0, or -ENOENT (no RSDP or MADT) / -EINVAL (bad signature or
 * checksum) after printing why; then acpi_madt stays empty and the kernel
 * runs on one CPU. A missing FADT only leaves acpi_fadt empty.
 */
int acpi_init(uint64_t rsdp_phys);

/*
 * The ACPI table with signature @sig (checksum verified; its header's length
 * is at least the 36-byte header), through the direct map, or NULL. For
 * other tables' parsers (nfit.c); callers validate the body themselves.
 */
const void *acpi_find_table(uint64_t rsdp_phys, const char *sig);

#endif
