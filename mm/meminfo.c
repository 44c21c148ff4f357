/* /proc/meminfo in Linux's format ("MemTotal:       1024000 kB"). */
#include "kernel/procfs.h"
#include "kernel/pseudofs.h"
#include "mm/mm.h"
#include "lib/kernel.h"

static void line(struct seq_buf *s, const char *name, uint64_t bytes)
{
	seq_printf(s, "%-16s%8lu kB\n", name, bytes >> 10);
}

static int meminfo_show(struct seq_buf *s, void *data)
{
	line(s, "MemTotal:", mm_totals.bytes[MEM_USABLE]);
	return 0;
}

static struct pseudo_file meminfo_file = { .path = "/proc/meminfo", .show = meminfo_show };

void procfs_meminfo_init(void)
{
	pseudofs_register(&meminfo_file);
}
