/*
 * Device-dax from the console: `daxctl` (a small subset of ndctl's daxctl,
 * same verbs and options) creates, destroys, lists and shows instances
 * (their files under /sys/bus/dax/devices/: mm/devdax_sysfs.c).
 */
#include "flushlab/layout.h"
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/devmem.h"
#include "mm/hugetlb_vmemmap.h"

static int parse_region(const char *arg, int *region)
{
	unsigned long r;

	if (!strncmp(arg, "region", 6))
		arg += 6;
	if (kstrtoul(arg, 10, &r) || r >= DEVMEM_MAX_REGIONS)
		return -EINVAL;
	*region = (int)r;
	return 0;
}

/* One "-x VALUE" option of create-device into @req; -EINVAL if malformed. */
static int create_option(const char *opt, const char *val, struct devdax_create *req)
{
	unsigned long long v;

	if (!strcmp(opt, "-r"))
		return parse_region(val, &req->region);
	if (!strcmp(opt, "-m")) {
		if (strcmp(val, "dedup") && strcmp(val, "full"))
			return -EINVAL;
		req->memmap = strcmp(val, "dedup") ? DAX_MEMMAP_FULL : DAX_MEMMAP_DEDUP;
		return 0;
	}
	if (parse_size(val, &v))
		return -EINVAL;
	if (!strcmp(opt, "-s"))
		req->size = v;
	else if (!strcmp(opt, "-a"))
		req->align = v;
	else if (!strcmp(opt, "-o")) {
		req->offset = v;
		req->has_offset = true;
	} else
		return -EINVAL;
	return 0;
}

static int create_device(int argc, char **argv)
{
	struct devdax_create req = {.align = PMD_SIZE, .memmap = DAX_MEMMAP_DEDUP};
	struct dev_dax *d;
	int ret;

	for (int i = 2; i < argc; i += 2)
		if (i + 1 >= argc || create_option(argv[i], argv[i + 1], &req)) {
			shell_error("daxctl: create-device: bad option %s\n", argv[i]);
			return 1;
		}
	ret = devdax_create(&req, &d);
	if (ret) {
		shell_error("daxctl: create-device: %s\n", errstr(-ret));
		return 1;
	}
	shell_printf("created %s: size=%lu align=%lu start=%#lx memmap=%s memmap_pages=%lu "
		     "pgtable_pages=%lu%s\n",
		     d->name, d->size, d->align, d->start,
		     d->memmap == DAX_MEMMAP_DEDUP ? "dedup" : "full", d->memmap_pages,
		     d->pgtable_pages,
		     d->region->simulated ? " (simulated: no memory behind it)" : "");
	return 0;
}

static int list_devices(void)
{
	for (int i = 0; i < devmem_nr_regions; i++) {
		struct devmem_region *r = &devmem_regions[i];

		shell_printf("region%d: [%#lx +%lu MiB] %s\n", r->id, r->base, r->size >> 20,
			     r->simulated ? "simulated (never touched)" : r->source);
	}
	for (int i = 0; i < DEVDAX_MAX_DEVICES; i++) {
		struct dev_dax *d = &dev_dax_devices[i];

		if (d->live)
			shell_printf(
			    "  %s: start=%#lx size=%lu align=%lu memmap=%s memmap_pages=%lu "
			    "pgtable_pages=%lu\n",
			    d->name, d->start, d->size, d->align,
			    d->memmap == DAX_MEMMAP_DEDUP ? "dedup" : "full", d->memmap_pages,
			    d->pgtable_pages);
	}
	if (!devmem_nr_regions)
		shell_printf("no device memory (boot with PMEM=SIZE for an NVDIMM)\n");
	return 0;
}

/* `daxctl vmemmap daxR.N [I]`: how the I-th compound page's struct pages are mapped. */
static int show_vmemmap(const char *name, const char *index)
{
	static struct vmemmap_run runs[32];
	struct dev_dax *d = devdax_find(name);
	unsigned long i = 0;
	struct page *head;
	int nr;

	if (!d || (index && kstrtoul(index, 10, &i)) || i >= d->size / d->align) {
		shell_error("daxctl: vmemmap: %s %s: no such device or page\n", name,
			    index ? index : "");
		return 1;
	}
	head = pfn_to_page(PFN_DOWN(d->start + i * d->align));
	nr = hugetlb_vmemmap_describe(head, runs, ARRAY_SIZE(runs));
	shell_printf(
	    "%s page %lu: pfn 0x%lx, struct pages at 0x%lx (%lu vmemmap pages), %s\n", d->name, i,
	    page_to_pfn(head), (uintptr_t)head,
	    d->align == PAGE_SIZE ? 1 : (d->align / PAGE_SIZE) * sizeof(struct page) / PAGE_SIZE,
	    d->memmap == DAX_MEMMAP_DEDUP ? "born deduplicated" : "full");
	for (int k = 0; k < nr && k < (int)ARRAY_SIZE(runs); k++)
		shell_printf("  pages %lu-%lu  0x%016lx  4K %s  frame 0x%lx  %s\n", runs[k].first,
			     runs[k].last, (uintptr_t)head + runs[k].first * PAGE_SIZE,
			     runs[k].writable ? "RW" : "ro", runs[k].pa,
			     runs[k].shared ? "shared tail page" : "own frames");
	return nr < 0;
}

static int cmd_daxctl(int argc, char **argv)
{
	int ret;

	if (argc >= 2 && !strcmp(argv[1], "create-device"))
		return create_device(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return list_devices();
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "vmemmap"))
		return show_vmemmap(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 3 && !strcmp(argv[1], "destroy-device")) {
		ret = devdax_destroy(argv[2]);
		if (ret)
			shell_error("daxctl: destroy-device: %s: %s\n", argv[2], errstr(-ret));
		else
			shell_printf("destroyed %s\n", argv[2]);
		return ret ? 1 : 0;
	}
	shell_error("usage: daxctl create-device [-r REGION] -s SIZE [-a ALIGN] [-m dedup|full] "
		    "[-o OFFSET] | destroy-device daxR.N | list | vmemmap daxR.N [I]\n");
	return 2;
}
DEFINE_SHELL_COMMAND(daxctl,
		     "create-device [-r R] -s SIZE [-a ALIGN] [-m dedup|full] [-o OFF] | "
		     "destroy-device daxR.N | list | vmemmap daxR.N [I]",
		     "device-dax instances on NVDIMM or simulated device memory (docs/devmem.md)",
		     cmd_daxctl);
