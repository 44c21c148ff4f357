/*
 * struct boot_info: the one record the UEFI loader (boot/) hands the kernel.
 * The loader fills it before ExitBootServices and passes its physical address
 * in %rdi; after that the kernel never calls UEFI. Shared by both sides, so it
 * uses only fixed-width types and fixed-size buffers (no pointers).
 */
#ifndef FLUSHLAB_BOOT_INFO_H
#define FLUSHLAB_BOOT_INFO_H

#include <stdint.h>

#include "flushlab/layout.h" /* the virtual layout the loader sets up */

#define BOOT_INFO_MAGIC 0x424c4853554c46ULL /* "FLUSHLB" */
#define BOOT_INFO_VERSION 2		    /* 2: initrd */

#define BOOT_MMAP_BUF_SIZE (32 * 1024) /* OVMF maps are 6-12 KiB */
#define BOOT_CMDLINE_SIZE 1024
#define BOOT_SCRIPT_SIZE (64 * 1024)

/* EFI memory descriptor, as the UEFI spec lays it out (walk in desc_size steps). */
struct boot_efi_memdesc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t nr_pages; /* 4 KiB pages */
	uint64_t attribute;
};

/* A physical range the loader allocated and the kernel must keep. */
struct boot_range {
	uint64_t phys;
	uint64_t size;
};

struct boot_info {
	uint64_t magic;	  /* BOOT_INFO_MAGIC */
	uint32_t version; /* BOOT_INFO_VERSION */
	uint32_t size;	  /* sizeof(struct boot_info) as the loader knew it */

	uint64_t loader_tsc;  /* TSC when the loader started */
	uint64_t handoff_tsc; /* TSC just before the jump to the kernel */
	uint64_t rsdp_phys;   /* ACPI 2.0+ RSDP, 0 if none */

	struct boot_range kernel;      /* the loaded image, .bss included */
	struct boot_range page_tables; /* the loader's page-table pool */
	struct boot_range self;	       /* this struct */
	struct boot_range symtab;      /* ELF .symtab of kernel.elf, 0 if none */
	struct boot_range strtab;      /* its .strtab */
	struct boot_range initrd;      /* \flushlab\initrd (cpio newc), 0 if none; size in bytes */
	uint64_t direct_map_end;       /* end of its highest range: the direct map has holes */

	uint32_t mmap_desc_size;
	uint32_t mmap_desc_version;
	uint32_t mmap_size;   /* bytes used in mmap[] */
	uint32_t script_size; /* bytes used in script[], 0 if no script */
	uint8_t mmap[BOOT_MMAP_BUF_SIZE];
	char cmdline[BOOT_CMDLINE_SIZE]; /* NUL-terminated */
	char script[BOOT_SCRIPT_SIZE];	 /* not NUL-terminated; script_size bytes */
};

/*
 * The kernel's pointer to the record (through the direct map), set first
 * thing in kmain (init/main.c) and read-only after. The loader has no use
 * for it; the declaration is here so the record and its one global live in
 * one header that every layer may include.
 */
extern const struct boot_info *boot_info;

#endif
