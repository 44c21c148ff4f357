/*
 * /sys/kernel/mm/transparent_hugepage/khugepaged/: Linux's knobs with
 * Linux's ranges (pages_to_scan 1..UINT_MAX, scan_sleep_millisecs any
 * unsigned int, max_ptes_none 0..511, defrag 0 or 1) and its two
 * read-only counters. Bad input is -EINVAL ("Invalid argument") and the
 * value stays. Writing scan_sleep_millisecs wakes the thread, as in Linux.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/kstrtox.h"
#include "mm/khugepaged.h"
#include "mm/mmu.h"

#define KHUGEPAGED_DIR "/sys/kernel/mm/transparent_hugepage/khugepaged/"

/* A knob: its value and the largest value it takes (the smallest is min). */
struct uint_knob {
	unsigned int *val;
	unsigned int min, max;
	bool wake; /* wake the thread after a store (the sleep changed) */
};

static struct uint_knob pages_to_scan = {&khugepaged_pages_to_scan, 1, ~0U, false};
static struct uint_knob scan_sleep = {&khugepaged_scan_sleep_millisecs, 0, ~0U, true};
static struct uint_knob max_ptes_none = {&khugepaged_max_ptes_none, 0, HPAGE_PMD_NR - 1, false};
static struct uint_knob defrag = {&khugepaged_defrag, 0, 1, false};

static int uint_show(struct seq_buf *s, void *data)
{
	const struct uint_knob *k = data;

	seq_printf(s, "%u\n", READ_ONCE(*k->val));
	return 0;
}

static int uint_store(const char *buf, size_t len, void *data)
{
	const struct uint_knob *k = data;
	unsigned int v;

	if (kstrtouint(buf, 10, &v) || v < k->min || v > k->max)
		return -EINVAL; /* Linux answers -EINVAL for all of these */
	WRITE_ONCE(*k->val, v);
	if (k->wake && khugepaged_wakeup)
		khugepaged_wakeup();
	return 0;
}

static int ulong_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%lu\n", __atomic_load_n((unsigned long *)data, __ATOMIC_RELAXED));
	return 0;
}

static struct pseudo_file khugepaged_files[] = {
    {.path = KHUGEPAGED_DIR "pages_to_scan",
     .show = uint_show,
     .store = uint_store,
     .data = &pages_to_scan},
    {.path = KHUGEPAGED_DIR "scan_sleep_millisecs",
     .show = uint_show,
     .store = uint_store,
     .data = &scan_sleep},
    {.path = KHUGEPAGED_DIR "max_ptes_none",
     .show = uint_show,
     .store = uint_store,
     .data = &max_ptes_none},
    {.path = KHUGEPAGED_DIR "defrag", .show = uint_show, .store = uint_store, .data = &defrag},
    {.path = KHUGEPAGED_DIR "pages_collapsed",
     .show = ulong_show,
     .data = &khugepaged_pages_collapsed},
    {.path = KHUGEPAGED_DIR "full_scans", .show = ulong_show, .data = &khugepaged_full_scans},
};

void khugepaged_sysfs_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(khugepaged_files); i++)
		pseudofs_register(&khugepaged_files[i]);
}
