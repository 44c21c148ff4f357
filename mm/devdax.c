/*
 * Device-dax instances on device-memory regions, Linux-shaped: daxR.N with
 * size and align under /sys/bus/dax/devices/, Linux's rules for both, and
 * a vmemmap built at creation (devdax_vmemmap.c). Regions come from ACPI
 * NFIT (arch/x86_64/nfit.c) or are simulated: a range beyond RAM whose
 * bytes are never touched, to show what the struct pages of 1 TiB cost.
 */
#include "arch/x86_64/nfit.h"
#include "flushlab/layout.h"
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/devdax_vmemmap.h"
#include "mm/devmem.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"

#define SIMULATED_BASE (1ULL << 40)
#define SIMULATED_SIZE (1ULL << 40)

struct devmem_region devmem_regions[DEVMEM_MAX_REGIONS];
int devmem_nr_regions;
struct dev_dax dev_dax_devices[DEVDAX_MAX_DEVICES];
/*
 * Orders destroy against open, mmap teardown and pins: destroy checks the
 * counters and clears live under it, so a file never gets an instance
 * that is being destroyed, and destroy never frees one still in use.
 */
static struct spinlock devdax_lock;

int devmem_add_region(uint64_t base, uint64_t size, bool simulated, const char *source)
{
	struct devmem_region *r;

	if (devmem_nr_regions == DEVMEM_MAX_REGIONS)
		return -ENOSPC;
	r = &devmem_regions[devmem_nr_regions];
	*r = (struct devmem_region){devmem_nr_regions, base, size, simulated, source};
	return devmem_nr_regions++;
}

/*
 * Does [base, base + size) hold RAM that memblock (and so the buddy
 * allocator) knows? The UEFI map never lists persistent memory as RAM
 * (mm/efi_memmap.c), so this is for firmware that gets it wrong: such a
 * range is refused as device memory rather than used twice.
 */
void devmem_add_nfit(const struct nfit_info *info)
{
	for (int i = 0; i < info->nr_pmem; i++) {
		const struct nfit_spa *r = &info->spa[i];

		if (devmem_overlaps_ram(r->base, r->size))
			printk("nfit: pmem range %u overlaps RAM in the UEFI map: not used\n",
			       r->range_index);
		else
			devmem_add_region(r->base, r->size, false, "nfit");
	}
}

bool devmem_overlaps_ram(uint64_t base, uint64_t size)
{
	for (uint64_t pa = base; pa < base + size; pa += PAGE_SIZE)
		if (memblock_is_memory(pa))
			return true;
	return false;
}

void devmem_init(void)
{
	if (PFN_PHYS(max_pfn) > SIMULATED_BASE)
		return;
	for (int i = 0; i < devmem_nr_regions; i++)
		if (devmem_regions[i].base < SIMULATED_BASE + SIMULATED_SIZE &&
		    SIMULATED_BASE < devmem_regions[i].base + devmem_regions[i].size)
			return;
	devmem_add_region(SIMULATED_BASE, SIMULATED_SIZE, true, "simulated");
}

struct dev_dax *devdax_find(const char *name)
{
	for (int i = 0; i < DEVDAX_MAX_DEVICES; i++)
		if (dev_dax_devices[i].live && !strcmp(dev_dax_devices[i].name, name))
			return &dev_dax_devices[i];
	return NULL;
}

/* Does [start, start + size) overlap a live instance? */
static bool range_busy(uint64_t start, uint64_t size)
{
	for (int i = 0; i < DEVDAX_MAX_DEVICES; i++) {
		struct dev_dax *d = &dev_dax_devices[i];

		if (d->live && start < d->start + d->size && d->start < start + size)
			return true;
	}
	return false;
}

/* Does [s, s + size) fit in @r beside every live instance? */
static bool fits(const struct devmem_region *r, uint64_t s, uint64_t size)
{
	return s >= r->base && s + size > s && s + size <= r->base + r->size &&
	       !range_busy(s, size);
}

/*
 * First fit, aligned to @align: a gap starts at the region's base or right
 * after an instance, so only those places need trying. -ENOSPC if none.
 */
static int find_space(const struct devmem_region *r, uint64_t size, unsigned long align,
		      uint64_t *start)
{
	uint64_t best = 0;
	bool found = false;

	for (int i = -1; i < DEVDAX_MAX_DEVICES; i++) {
		const struct dev_dax *d = i < 0 ? NULL : &dev_dax_devices[i];
		uint64_t s;

		if (d && (!d->live || d->region != r))
			continue;
		s = ALIGN_UP(d ? d->start + d->size : r->base, align);
		if (fits(r, s, size) && (!found || s < best)) {
			best = s;
			found = true;
		}
	}
	*start = best;
	return found ? 0 : -ENOSPC;
}

static int check_request(const struct devdax_create *req, uint64_t *start)
{
	const struct devmem_region *r;

	if (req->region < 0 || req->region >= devmem_nr_regions)
		return -ENODEV;
	r = &devmem_regions[req->region];
	if (req->align != PAGE_SIZE && req->align != PMD_SIZE && req->align != PUD_SIZE)
		return -EINVAL;
	if (!req->size || req->size % req->align)
		return -EINVAL;
	if (!req->has_offset)
		return find_space(r, req->size, req->align, start);
	*start = r->base + req->offset;
	if (*start % req->align)
		return -EINVAL;
	if (req->offset >= r->size || req->size > r->size - req->offset)
		return -ENOSPC;
	return range_busy(*start, req->size) ? -EBUSY : 0;
}

static struct dev_dax *new_instance(int region)
{
	for (int id = 0; id < DEVDAX_MAX_DEVICES; id++) {
		char name[16];
		struct dev_dax *d;

		snprintf(name, sizeof(name), "dax%d.%d", region, id);
		if (devdax_find(name))
			continue;
		for (int i = 0; i < DEVDAX_MAX_DEVICES; i++) {
			d = &dev_dax_devices[i];
			if (d->live)
				continue;
			*d = (struct dev_dax){.live = false};
			memcpy(d->name, name, sizeof(name));
			return d;
		}
		return NULL;
	}
	return NULL;
}

static unsigned int align_order(unsigned long align)
{
	return align == PAGE_SIZE ? 0 : (unsigned int)(__builtin_ctzl(align) - PAGE_SHIFT);
}

int devdax_create(const struct devdax_create *req, struct dev_dax **out)
{
	unsigned long tables0;
	uint64_t t0;
	struct devmap_cost cost;
	struct dev_dax *d;
	uint64_t start;
	int ret = check_request(req, &start);

	if (ret)
		return ret;
	/* What every instance of this align shares is not this one's cost. */
	if (devmap_vmemmap_prepare(align_order(req->align), req->memmap == DAX_MEMMAP_DEDUP))
		return -ENOMEM;
	tables0 = nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
	d = new_instance(req->region);
	if (!d)
		return -ENOSPC;
	t0 = clock_ns();
	ret = devmap_vmemmap_populate(PFN_DOWN(start), req->size >> PAGE_SHIFT,
				      align_order(req->align), req->memmap == DAX_MEMMAP_DEDUP,
				      &cost);
	if (ret)
		return ret;
	d->memmap_ns = clock_ns() - t0;
	d->region = &devmem_regions[req->region];
	d->start = start;
	d->size = req->size;
	d->align = req->align;
	d->memmap = req->align == PAGE_SIZE ? DAX_MEMMAP_FULL : req->memmap;
	d->memmap_pages = cost.memmap_pages;
	d->shared_maps = cost.shared_maps;
	/* Console commands run one at a time and nothing else maps kernel memory then. */
	d->pgtable_pages = nr_pages_by_purpose(PURPOSE_PAGE_TABLE) - tables0;
	d->live = true;
	*out = d;
	return 0;
}

int devdax_destroy(const char *name)
{
	struct dev_dax *d = devdax_find(name);

	if (!d)
		return -ENODEV;
	spin_lock(&devdax_lock);
	if (d->nr_open || d->nr_mapped || d->nr_pins) {
		spin_unlock(&devdax_lock);
		return -EBUSY;
	}
	d->live = false;
	spin_unlock(&devdax_lock);
	devmap_vmemmap_depopulate(PFN_DOWN(d->start), d->size >> PAGE_SHIFT);
	return 0;
}

struct dev_dax *devdax_get(const char *name)
{
	struct dev_dax *d;

	spin_lock(&devdax_lock);
	d = devdax_find(name);
	if (d)
		d->nr_open++;
	spin_unlock(&devdax_lock);
	return d;
}

void devdax_put(struct dev_dax *d)
{
	devdax_count(d, &d->nr_open, -1);
}

void devdax_count(struct dev_dax *d, unsigned long *field, long delta)
{
	spin_lock(&devdax_lock);
	BUG_ON(delta < 0 && *field < (unsigned long)-delta);
	*field += delta;
	spin_unlock(&devdax_lock);
}

unsigned long devdax_memmap_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < DEVDAX_MAX_DEVICES; i++)
		n += dev_dax_devices[i].live ? dev_dax_devices[i].memmap_pages : 0;
	return n;
}

unsigned long devdax_pgtable_pages(void)
{
	unsigned long n = 0;

	for (int i = 0; i < DEVDAX_MAX_DEVICES; i++)
		n += dev_dax_devices[i].live ? dev_dax_devices[i].pgtable_pages : 0;
	return n;
}
