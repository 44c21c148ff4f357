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

#define UINT_KNOB(var, name, knob)                                                                 \
	DEFINE_PSEUDO_FILE_DATA(var, KHUGEPAGED_DIR name, uint_show, uint_store, 0644, knob)
#define COUNTER(var, name, counter)                                                                \
	DEFINE_PSEUDO_FILE_DATA(var, KHUGEPAGED_DIR name, ulong_show, NULL, 0444, counter)
UINT_KNOB(pages_to_scan_file, "pages_to_scan", &pages_to_scan);
UINT_KNOB(scan_sleep_file, "scan_sleep_millisecs", &scan_sleep);
UINT_KNOB(max_ptes_none_file, "max_ptes_none", &max_ptes_none);
UINT_KNOB(defrag_file, "defrag", &defrag);
COUNTER(pages_collapsed_file, "pages_collapsed", &khugepaged_pages_collapsed);
COUNTER(full_scans_file, "full_scans", &khugepaged_full_scans);
