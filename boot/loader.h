/*
 * Private declarations of the UEFI loader (BOOTX64.EFI). The loader reads
 * \flushlab\kernel.elf (plus the optional \flushlab\cmdline and
 * \flushlab\script) from the ESP it was started from, loads the kernel,
 * builds the boot page tables, fills struct boot_info and jumps.
 */
#ifndef BOOT_LOADER_H
#define BOOT_LOADER_H

#include <efi.h>
#include <efilib.h>
#include "flushlab/boot_info.h"

/* Where a loaded kernel landed and what it needs mapped. */
struct loaded_kernel {
	uint64_t entry;	    /* virtual */
	uint64_t phys_base; /* physical address of KERNEL_VIRT_BASE */
	uint64_t span;	    /* bytes from KERNEL_VIRT_BASE to the end of .bss */
	const void *elf;    /* the file, for the page-permission pass */
	uint64_t elf_size;
};

/* Print a message on the firmware console and end the boot with a failure. */
EFI_STATUS loader_fail(EFI_STATUS status, const CHAR16 *fmt, ...);

/* Allocate zeroed pages below 4 GiB-agnostic, never NULL on success. */
EFI_STATUS alloc_pages(UINTN pages, EFI_PHYSICAL_ADDRESS *phys);

/* elf.c: check the file, copy its PT_LOAD segments, copy its symbols. */
EFI_STATUS elf_load_kernel(const void *file, UINTN size, struct loaded_kernel *k,
			   struct boot_info *bi);

/* mtrr.c: the variable and fixed MTRRs, as far as large pages care. */
#define MTRR_MAX_VAR 32
struct mtrr_state {
	int enabled;	 /* MTRR_DEF_TYPE.E: else everything is UC */
	int fixed;	 /* fixed ranges on: the first MiB changes type every few KiB */
	unsigned nr_var; /* valid variable ranges in var[] */
	struct {
		uint64_t base, mask; /* address bits only */
	} var[MTRR_MAX_VAR];
};
void mtrr_read(struct mtrr_state *m);
/* 1 if the MTRRs give all of the @size-aligned [pa, pa + size) one memory type. */
int mtrr_type_uniform(const struct mtrr_state *m, uint64_t pa, uint64_t size);
/* How many type boundaries can fall inside @ram_bytes of RAM, at most. */
uint64_t mtrr_boundaries(const struct mtrr_state *m, uint64_t ram_bytes);

/*
 * paging.c: build the direct map (RAM and ACPI tables only), the identity
 * map of the same ranges and the higher-half kernel map.
 */
EFI_STATUS paging_build(const struct loaded_kernel *k, struct boot_info *bi, uint64_t *cr3);

#endif
