/*
 * Memory's pseudo-files, in Linux's names and formats where Linux has them:
 * /proc/meminfo, /proc/vmstat, /proc/buddyinfo and the fail_page_alloc
 * fault-injection knobs; plus flushlab's own check_memory, which runs the
 * accounting invariant checker and fails (EIO) when it does not hold.
 */
#include "kernel/procfs.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/devmem.h"
#include "mm/fail_page_alloc.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "smp/tlb_ledger.h"

static void kb_line(struct seq_buf *s, const char *name, unsigned long pages)
{
	seq_printf(s, "%-16s%8lu kB\n", name, pages * (PAGE_SIZE / 1024));
}

static int meminfo_show(struct seq_buf *s, void *data)
{
	kb_line(s, "MemTotal:", totalram_pages());
	kb_line(s, "MemFree:", nr_free_pages());
	kb_line(s, "MemAvailable:", nr_free_pages());
	kb_line(s, "AnonPages:", nr_pages_by_purpose(PURPOSE_ANON));
	kb_line(s, "PageTables:", nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
	/* tmpfs and memfd data, with their page-cache index nodes (fs/page_cache.c) */
	kb_line(s, "Shmem:", nr_pages_by_purpose(PURPOSE_SHMEM));
	kb_line(s, "AnonHugePages:", nr_anon_thps() * HPAGE_PMD_NR); /* mm/huge_memory.c */
	/* flushlab's own: frames backing the struct page array (Linux has no line). */
	kb_line(s, "Vmemmap:", nr_pages_by_purpose(PURPOSE_VMEMMAP));
	hugetlb_report_meminfo(s); /* HugePages_*, Hugepagesize, Hugetlb */
	return 0;
}

static int vmstat_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "nr_free_pages %lu\n", nr_free_pages());
	seq_printf(s, "nr_anon_pages %lu\n", nr_pages_by_purpose(PURPOSE_ANON));
	seq_printf(s, "nr_shmem %lu\n", nr_pages_by_purpose(PURPOSE_SHMEM));
	seq_printf(s, "nr_page_table_pages %lu\n", nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
	seq_printf(s, "nr_memmap_pages %lu\n", nr_pages_by_purpose(PURPOSE_VMEMMAP));
	seq_printf(s, "nr_memmap_pages_peak %lu\n", nr_memmap_pages_peak());
	seq_printf(s, "pgfault %lu\n", vm_events_pgfault());
	thp_vmstat(s); /* nr_anon_transparent_hugepages, thp_* events */
	hgm_vmstat(s); /* hugetlb mapcount atomics, hgm_* events */
	/* flushlab's own: the part of both that device memory (device-dax) holds. */
	seq_printf(s, "nr_memmap_device_pages %lu\n", devdax_memmap_pages());
	seq_printf(s, "nr_page_table_device_pages %lu\n", devdax_pgtable_pages());
	tlb_ledger_vmstat(s); /* smp/tlb_ledger.c: nr_tlb_* and flushlab's own */
	return 0;
}

static int buddyinfo_show(struct seq_buf *s, void *data)
{
	unsigned long counts[NR_PAGE_ORDERS];

	buddyinfo_counts(counts);
	seq_printf(s, "Node 0, zone %8s ", "Normal");
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(s, "%6lu ", counts[order]);
	seq_printf(s, "\n");
	return 0;
}

static int check_memory_show(struct seq_buf *s, void *data)
{
	char why[160] = "";

	if (page_alloc_check_invariants(why, sizeof(why))) {
		seq_printf(s, "broken: %s\n", why);
		return -EIO;
	}
	seq_printf(s, "ok: %lu frames = %lu free", totalram_pages(), nr_free_pages());
	for (int p = 0; p < NR_PURPOSES; p++)
		seq_printf(s, " + %lu %s", nr_pages_by_purpose(p), page_purpose_name(p));
	seq_printf(s, "\n");
	return 0;
}

static int knob_show(struct seq_buf *s, void *data)
{
	long v;
	int ret = fail_page_alloc_get(data, &v);

	if (!ret)
		seq_printf(s, "%ld\n", v);
	return ret;
}

static int knob_store(const char *buf, size_t len, void *data)
{
	long v;
	int ret = kstrtol(buf, 0, &v);

	return ret ? ret : fail_page_alloc_set(data, v);
}

#define FAIL_PAGE_ALLOC_DIR "/sys/kernel/debug/fail_page_alloc/"
#define MAX_KNOBS 12

static struct pseudo_file mm_files[] = {
    {.path = "/proc/meminfo", .show = meminfo_show},
    {.path = "/proc/vmstat", .show = vmstat_show},
    {.path = "/proc/buddyinfo", .show = buddyinfo_show},
    {.path = "/sys/kernel/debug/flushlab/check_memory", .show = check_memory_show},
};
static struct pseudo_file knob_files[MAX_KNOBS];
static char knob_paths[MAX_KNOBS][64];

void procfs_mm_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mm_files); i++)
		pseudofs_register(&mm_files[i]);
	thp_sysfs_init();	 /* /sys/kernel/mm/transparent_hugepage/ */
	khugepaged_sysfs_init(); /* .../transparent_hugepage/khugepaged/ */
	for (int i = 0; fail_page_alloc_knobs[i] && i < MAX_KNOBS; i++) {
		snprintf(knob_paths[i], sizeof(knob_paths[i]), "%s%s", FAIL_PAGE_ALLOC_DIR,
			 fail_page_alloc_knobs[i]);
		knob_files[i] = (struct pseudo_file){
		    .path = knob_paths[i],
		    .show = knob_show,
		    .store = strcmp(fail_page_alloc_knobs[i], "injected") ? knob_store : NULL,
		    .data = (void *)fail_page_alloc_knobs[i],
		};
		pseudofs_register(&knob_files[i]);
	}
}
