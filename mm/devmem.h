/*
 * Device memory (Linux's ZONE_DEVICE, device-dax): physical ranges that are
 * not RAM (an NVDIMM found through ACPI NFIT, or a simulated range beyond
 * RAM that nothing ever touches), never given to the buddy allocator, cut
 * into device-dax instances daxR.N whose struct pages are built when the
 * instance is created and freed when it is destroyed. The vmemmap of an
 * instance with align 2 MiB or 1 GiB is born deduplicated: every vmemmap
 * page that would hold only tails maps HVO's shared read-only tail page.
 *
 * User mappings of /dev/daxR.N and pinning are mm/devdax_mmap.c and
 * mm/devdax_pin.c: an instance counts its open files, mapped bytes and
 * pins, and destroy refuses one in use with -EBUSY.
 */
#ifndef MM_DEVMEM_H
#define MM_DEVMEM_H

#include <stdbool.h>
#include <stdint.h>

#define DEVMEM_MAX_REGIONS 4
#define DEVDAX_MAX_DEVICES 8

struct devmem_region {
	int id; /* daxID.N */
	uint64_t base, size;
	bool simulated;	    /* no memory behind it: struct pages only */
	const char *source; /* "nfit" or "simulated" */
};

enum dax_memmap {
	DAX_MEMMAP_DEDUP, /* compound pages, tails share one read-only page */
	DAX_MEMMAP_FULL,  /* every struct page its own (Linux before 5.17) */
};

struct dev_dax {
	bool live;
	char name[16]; /* "dax0.0" */
	struct devmem_region *region;
	uint64_t start, size;	     /* physical */
	unsigned long align;	     /* 4096, 2 MiB or 1 GiB */
	enum dax_memmap memmap;	     /* align 4096: always one struct page per frame */
	unsigned long memmap_pages;  /* vmemmap frames of its own */
	unsigned long pgtable_pages; /* page-table pages its vmemmap added */
	unsigned long shared_maps;   /* vmemmap pages mapping the shared tail page */
	uint64_t memmap_ns;	     /* how long building its vmemmap took (bench devdax) */
	/* Under devdax_lock: what keeps destroy away (-EBUSY while any is non-zero). */
	unsigned long nr_open;	    /* open files of /dev/daxR.N */
	unsigned long nr_mapped;    /* bytes mapped by user VMAs, dropped after their flush */
	unsigned long nr_pins;	    /* outstanding pins (each owned by an open file) */
	unsigned long pinned_pages; /* 4 KiB pages those pins hold */
};

extern struct devmem_region devmem_regions[DEVMEM_MAX_REGIONS];
extern int devmem_nr_regions;
extern struct dev_dax dev_dax_devices[DEVDAX_MAX_DEVICES];

/* Register a region (NFIT at boot, or the simulated one). Its index, or -ENOSPC. */
int devmem_add_region(uint64_t base, uint64_t size, bool simulated, const char *source);
struct nfit_info;
/* Add each pmem range ACPI's NFIT gave (arch/x86_64/nfit.h) that is not RAM. */
void devmem_add_nfit(const struct nfit_info *info);
/* Does the range hold RAM the allocator knows (firmware listing pmem as RAM)? */
bool devmem_overlaps_ram(uint64_t base, uint64_t size);
/* After memory init: add the simulated region (1 TiB at 1 TiB) if RAM ends below it. */
void devmem_init(void);

struct devdax_create {
	int region; /* index into devmem_regions */
	uint64_t size;
	unsigned long align;
	enum dax_memmap memmap;
	bool has_offset;
	uint64_t offset; /* from the region's base; else first fit */
};

/*
 * Create and enable a device-dax instance, building its vmemmap. Linux's
 * errors: -EINVAL (align not 4K/2M/1G, size 0 or not a multiple of align,
 * offset unaligned), -ENOSPC (no room in the region), -EBUSY (the range is
 * in use: another instance, or struct pages already mapped), -ENODEV (no
 * such region), -ENOMEM (nothing left behind). Sends no TLB flush.
 */
int devdax_create(const struct devdax_create *req, struct dev_dax **out);
/*
 * Destroy: unmap its vmemmap, one flush (cause devmem_offline), then free
 * every frame and emptied page table. -ENODEV, or -EBUSY if mapped.
 */
int devdax_destroy(const char *name);
struct dev_dax *devdax_find(const char *name);

/*
 * Open /dev/@name: the live instance with nr_open taken, or NULL. Every
 * devdax_get is paired with one devdax_put (file close). Both take
 * devdax_lock, as destroy does, so an instance is never freed under a file.
 */
struct dev_dax *devdax_get(const char *name);
void devdax_put(struct dev_dax *d);
/* Add @delta (may be negative) to @d's counter @field under devdax_lock. */
void devdax_count(struct dev_dax *d, unsigned long *field, long delta);

/*
 * The pin ioctls of an open /dev/daxR.N (@owner: its open file), on the
 * calling process's @mm: mm/devdax_pin.c, include/uapi/dax.h. -ENOTTY for
 * another command. devdax_pin_release drops every pin @owner still holds
 * (its close).
 */
struct mm_struct;
long devdax_ioctl(struct dev_dax *d, const void *owner, struct mm_struct *mm, unsigned long cmd,
		  uintptr_t uarg);
void devdax_pin_release(const void *owner);
/* The ioctls' work on a kernel copy of the argument (ktests call these directly). */
struct dax_pin;
long devdax_pin(struct dev_dax *d, const void *owner, struct mm_struct *mm, struct dax_pin *a);
long devdax_unpin(const void *owner, struct dax_pin *a);

/* Pages of vmemmap and page tables held by device memory (for /proc/vmstat). */
unsigned long devdax_memmap_pages(void);
unsigned long devdax_pgtable_pages(void);

#endif
