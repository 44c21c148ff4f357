/*
 * Memory's pseudo-files, in Linux's names and formats where Linux has them:
 * /proc/meminfo, /proc/vmstat, /proc/buddyinfo and the fail_page_alloc
 * fault-injection knobs; plus flushlab's own check_memory, which runs the
 * accounting invariant checker and fails (EIO) when it does not hold.
 */
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
	cow_vmstat(s); /* mm/cow.c: copy-on-write faults that copied or reused */
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

	if (page_alloc_check_invariants(why, sizeof(why)) || zero_page_check(why, sizeof(why))) {
		seq_printf(s, "broken: %s\n", why);
		return -EIO;
	}
	seq_printf(s, "ok: %lu frames = %lu free", totalram_pages(), nr_free_pages());
	for (int p = 0; p < NR_PURPOSES; p++)
		seq_printf(s, " + %lu %s", nr_pages_by_purpose(p), page_purpose_name(p));
	seq_printf(s, "\n%s\n", why); /* the zero page's state */
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

DEFINE_PSEUDO_FILE(meminfo_file, "/proc/meminfo", meminfo_show, NULL, 0444);
DEFINE_PSEUDO_FILE(vmstat_file, "/proc/vmstat", vmstat_show, NULL, 0444);
DEFINE_PSEUDO_FILE(buddyinfo_file, "/proc/buddyinfo", buddyinfo_show, NULL, 0444);
DEFINE_PSEUDO_FILE(check_memory_file, "/sys/kernel/debug/flushlab/check_memory", check_memory_show,
		   NULL, 0444);

/* Linux's fault-injection directory: one file per fail_page_alloc_knobs entry. */
#define FAIL_KNOB(var, name, store, mode)                                                          \
	DEFINE_PSEUDO_FILE_DATA(var, "/sys/kernel/debug/fail_page_alloc/" name, knob_show, store,  \
				mode, name)
FAIL_KNOB(fail_probability, "probability", knob_store, 0644);
FAIL_KNOB(fail_interval, "interval", knob_store, 0644);
FAIL_KNOB(fail_times, "times", knob_store, 0644);
FAIL_KNOB(fail_space, "space", knob_store, 0644);
FAIL_KNOB(fail_min_order, "min-order", knob_store, 0644);
FAIL_KNOB(fail_seed, "seed", knob_store, 0644);
FAIL_KNOB(fail_injected, "injected", NULL, 0444);

/*
 * /proc/sys/kernel/shmmax, which programs read to size a shared segment:
 * Linux's default (ULONG_MAX - 2^24, include/uapi/linux/shm.h SHMMAX),
 * written with sysctl's rules. flushlab has no System V shared memory
 * (shmget answers ENOSYS), so the value limits nothing here.
 */
static unsigned long shmmax = ~0UL - (1UL << 24);

static int shmmax_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%lu\n", READ_ONCE(shmmax));
	return 0;
}

static int shmmax_store(const char *buf, size_t len, void *data)
{
	unsigned long v;

	if (proc_strtoul(buf, &v))
		return -EINVAL;
	WRITE_ONCE(shmmax, v);
	return 0;
}

DEFINE_PSEUDO_FILE(shmmax_file, "/proc/sys/kernel/shmmax", shmmax_show, shmmax_store, 0644);
