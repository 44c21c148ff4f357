/*
 * Each live device-dax instance's files under /sys/bus/dax/devices/daxR.N/,
 * as Linux names them: size, align and resource, plus flushlab's own
 * `vmemmap` (what its struct pages cost). A directory exists while its
 * instance is live (devdax_find). Instances are always enabled here
 * (created and bound in one step), so writing size or align fails with
 * EBUSY as on a bound Linux device.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "mm/devmem.h"

static void *dax_lookup(void *parent, const char *name)
{
	return devdax_find(name);
}

static void dax_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	for (int i = 0; i < DEVDAX_MAX_DEVICES; i++)
		if (READ_ONCE(dev_dax_devices[i].live))
			emit(dev_dax_devices[i].name, ctx);
}

static const struct pseudo_dir_ops dax_dirs = {.lookup = dax_lookup, .iterate = dax_iterate};

static int size_show(struct seq_buf *s, void *data)
{
	const struct dev_dax *d = data;

	seq_printf(s, "%lu\n", d->size);
	return 0;
}

static int align_show(struct seq_buf *s, void *data)
{
	const struct dev_dax *d = data;

	seq_printf(s, "%lu\n", d->align);
	return 0;
}

static int resource_show(struct seq_buf *s, void *data)
{
	const struct dev_dax *d = data;

	seq_printf(s, "%#lx\n", d->start);
	return 0;
}

static int vmemmap_show(struct seq_buf *s, void *data)
{
	const struct dev_dax *d = data;

	seq_printf(s, "memmap=%s memmap_pages=%lu shared_tail_maps=%lu pgtable_pages=%lu%s\n",
		   d->memmap == DAX_MEMMAP_DEDUP ? "dedup" : "full", d->memmap_pages,
		   d->shared_maps, d->pgtable_pages, d->region->simulated ? " simulated" : "");
	return 0;
}

static int bound_store(const char *buf, size_t len, void *data)
{
	return -EBUSY; /* Linux: size and align change only while no driver is bound */
}

#define DAX_DIR "/sys/bus/dax/devices/*"
DEFINE_PSEUDO_DIR(dax_dir, DAX_DIR, &dax_dirs);
DEFINE_PSEUDO_FILE(dax_size, DAX_DIR "/size", size_show, bound_store, 0644);
DEFINE_PSEUDO_FILE(dax_align, DAX_DIR "/align", align_show, bound_store, 0644);
DEFINE_PSEUDO_FILE(dax_resource, DAX_DIR "/resource", resource_show, NULL, 0444);
DEFINE_PSEUDO_FILE(dax_vmemmap, DAX_DIR "/vmemmap", vmemmap_show, NULL, 0444);
