/*
 * Classifying the UEFI memory map (UEFI 2.10, table 7-6 memory types). The
 * loader's own allocations are EfiLoaderData like any other; the kernel
 * tells its kernel image, page tables and boot_info apart by the ranges
 * boot_info records, not by type.
 */
#include "mm/efi_memmap.h"
#include "flushlab/boot_info.h"
#include "lib/kernel.h"

enum {
	EFI_RESERVED,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_CODE,
	EFI_BOOT_DATA,
	EFI_RUNTIME_CODE,
	EFI_RUNTIME_DATA,
	EFI_CONVENTIONAL,
	EFI_UNUSABLE,
	EFI_ACPI_RECLAIM,
	EFI_ACPI_NVS,
	EFI_MMIO,
	EFI_MMIO_PORT,
	EFI_PAL_CODE,
	EFI_PERSISTENT,
};

static enum mem_class classify(uint32_t type)
{
	switch (type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_CODE:
	case EFI_BOOT_DATA:
	case EFI_CONVENTIONAL:
		return MEM_USABLE;
	case EFI_RUNTIME_CODE:
	case EFI_RUNTIME_DATA:
	case EFI_PAL_CODE:
		return MEM_FIRMWARE;
	case EFI_ACPI_RECLAIM:
	case EFI_ACPI_NVS:
		return MEM_ACPI;
	case EFI_MMIO:
	case EFI_MMIO_PORT:
		return MEM_MMIO;
	default:
		return MEM_RESERVED;
	}
}

bool efi_type_ran_code(uint32_t efi_type)
{
	return efi_type == EFI_LOADER_CODE || efi_type == EFI_BOOT_CODE;
}

int efi_memmap_walk(const struct boot_info *bi, int (*fn)(const struct mem_range *r, void *arg),
		    void *arg)
{
	if (bi->mmap_desc_size < sizeof(struct boot_efi_memdesc))
		return 0;
	for (uint32_t off = 0; off + bi->mmap_desc_size <= bi->mmap_size;
	     off += bi->mmap_desc_size) {
		const struct boot_efi_memdesc *d = (const void *)(bi->mmap + off);
		struct mem_range r = {d->phys_start, d->nr_pages * 4096, d->type,
				      classify(d->type)};
		int ret = fn(&r, arg);

		if (ret)
			return ret;
	}
	return 0;
}

struct totals {
	uint64_t *bytes, end;
};

static int add_range(const struct mem_range *r, void *arg)
{
	struct totals *t = arg;

	t->bytes[r->class] += r->size;
	if (r->class == MEM_USABLE && r->phys + r->size > t->end)
		t->end = r->phys + r->size;
	return 0;
}

void efi_memmap_totals(const struct boot_info *bi, uint64_t bytes[NR_MEM_CLASSES],
		       uint64_t *usable_end)
{
	struct totals t = {bytes, 0};

	for (int c = 0; c < NR_MEM_CLASSES; c++)
		bytes[c] = 0;
	efi_memmap_walk(bi, add_range, &t);
	*usable_end = t.end;
}
