/*
 * Memory at boot: read the UEFI map, print what is there, and keep the
 * totals /proc/meminfo reports. (The physical-memory issue replaces the
 * totals with the buddy allocator's exact accounting.)
 */
#include "flushlab/boot_info.h"
#include "kernel/boot.h"
#include "mm/efi_memmap.h"
#include "mm/mm.h"
#include "lib/kernel.h"

struct mm_totals mm_totals;

void boot_memory_init(const struct boot_info *bi)
{
	uint64_t end;

	efi_memmap_totals(bi, mm_totals.bytes, &end);
	mm_totals.usable_end = end;
	printk("memory: %lu MiB usable up to %#lx; firmware %lu KiB, ACPI %lu KiB, "
	       "reserved %lu KiB\n",
	       mm_totals.bytes[MEM_USABLE] >> 20, end, mm_totals.bytes[MEM_FIRMWARE] >> 10,
	       mm_totals.bytes[MEM_ACPI] >> 10, mm_totals.bytes[MEM_RESERVED] >> 10);
	arch_drop_identity_map();
}
