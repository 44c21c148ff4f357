/*
 * The UEFI memory map as the kernel sees it after ExitBootServices: each
 * descriptor classified as usable RAM, firmware runtime, ACPI, MMIO or
 * reserved. Walked in desc_size steps, never sizeof(descriptor).
 */
#ifndef MM_EFI_MEMMAP_H
#define MM_EFI_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

struct boot_info;

enum mem_class {
	MEM_USABLE,   /* conventional, boot services, loader: ours after exit */
	MEM_FIRMWARE, /* runtime services code and data: never touched */
	MEM_ACPI,     /* ACPI reclaimable and NVS: tables we still read */
	MEM_MMIO,     /* device windows */
	MEM_RESERVED, /* reserved, unusable, persistent, unknown */
	NR_MEM_CLASSES,
};

struct mem_range {
	uint64_t phys, size;
	uint32_t efi_type;
	enum mem_class class;
};

/* A usable type whose frames the firmware ran code from (EfiLoaderCode, EfiBootServicesCode). */
bool efi_type_ran_code(uint32_t efi_type);
/* Calls @fn for every descriptor; stops early if @fn returns non-zero. */
int efi_memmap_walk(const struct boot_info *bi, int (*fn)(const struct mem_range *r, void *arg),
		    void *arg);
/* Bytes per class, and the end of the highest usable range. */
void efi_memmap_totals(const struct boot_info *bi, uint64_t bytes[NR_MEM_CLASSES],
		       uint64_t *usable_end);

#endif
