/*
 * The THP knobs and counters under Linux's names and formats:
 * /sys/kernel/mm/transparent_hugepage/{enabled,defrag,hpage_pmd_size,
 * use_zero_page} and the thp_* lines of /proc/vmstat. A knob takes one of its words
 * (pseudo_choice: a trailing newline allowed, as sysfs_streq does);
 * anything else is -EINVAL ("Invalid argument") and the value stays.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/kstrtox.h"
#include "mm/huge_memory.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage/"

static const char *const enabled_words[] = {"always", "madvise", "never"};
/*
 * defrag: Linux's five words. flushlab has no compaction or reclaim, so a
 * 2 MiB allocation either finds a free block or falls back at once,
 * whatever this says; the knob is kept so Linux scripts run unchanged.
 */
static const char *const defrag_words[] = {"always", "defer", "defer+madvise", "madvise", "never"};
static int thp_defrag = 3; /* madvise: Linux's default */

static const struct pseudo_choice enabled_choice = {.names = enabled_words,
						    .nr = ARRAY_SIZE(enabled_words),
						    .value = &transparent_hugepage_enabled};
static const struct pseudo_choice defrag_choice = {
    .names = defrag_words, .nr = ARRAY_SIZE(defrag_words), .value = &thp_defrag};

/*
 * use_zero_page: Linux's knob for the huge zero page, which flushlab does
 * not implement (mm/huge_memory.c says why; docs/thp.md). It reads 0, as
 * Linux's does with the huge zero page off, takes 0, and refuses 1 with
 * EOPNOTSUPP and a console line saying so; anything else is -EINVAL.
 */
static int use_zero_page_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "0\n");
	return 0;
}

static int use_zero_page_store(const char *buf, size_t len, void *data)
{
	if (sysfs_streq(buf, "0"))
		return 0;
	if (!sysfs_streq(buf, "1"))
		return -EINVAL;
	printk("thp: use_zero_page: the huge zero page is not implemented (docs/thp.md); "
	       "a read fault maps a zeroed 2 MiB page\n");
	return -EOPNOTSUPP;
}

static int pmd_size_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%lu\n", HPAGE_PMD_SIZE);
	return 0;
}

static const char *const event_names[NR_THP_EVENTS] = {
    "thp_fault_alloc",	  "thp_fault_fallback",	       "thp_split_pmd",	      "thp_split_page",
    "thp_collapse_alloc", "thp_collapse_alloc_failed", "thp_zero_page_alloc", "thp_collapse_abort",
};

void thp_vmstat(struct seq_buf *s)
{
	seq_printf(s, "nr_anon_transparent_hugepages %lu\n", nr_anon_thps());
	for (int e = 0; e < NR_THP_EVENTS; e++)
		seq_printf(s, "%s %lu\n", event_names[e], thp_event_count(e));
}

DEFINE_PSEUDO_CHOICE(enabled_file, THP_DIR "enabled", &enabled_choice);
DEFINE_PSEUDO_CHOICE(defrag_file, THP_DIR "defrag", &defrag_choice);
DEFINE_PSEUDO_FILE(pmd_size_file, THP_DIR "hpage_pmd_size", pmd_size_show, NULL, 0444);
DEFINE_PSEUDO_FILE(use_zero_page_file, THP_DIR "use_zero_page", use_zero_page_show,
		   use_zero_page_store, 0644);
