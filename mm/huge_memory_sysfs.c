/*
 * The THP knobs and counters under Linux's names and formats:
 * /sys/kernel/mm/transparent_hugepage/{enabled,defrag,hpage_pmd_size,
 * use_zero_page} and the thp_* lines of /proc/vmstat. A knob takes one of its words (a
 * trailing newline allowed, as sysfs_streq does); anything else is
 * -EINVAL ("Invalid argument") and the value stays.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/huge_memory.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage/"

static const char *const enabled_words[] = {"always", "madvise", "never", NULL};
/*
 * defrag: Linux's five words. flushlab has no compaction or reclaim, so a
 * 2 MiB allocation either finds a free block or falls back at once,
 * whatever this says; the knob is kept so Linux scripts run unchanged.
 */
static const char *const defrag_words[] = {"always",  "defer", "defer+madvise",
					   "madvise", "never", NULL};
static int thp_defrag = 3; /* madvise: Linux's default */

/* Is @buf (with an optional trailing newline) exactly @word? */
static bool sysfs_streq(const char *buf, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(buf, word, n) && (buf[n] == '\0' || (buf[n] == '\n' && buf[n + 1] == '\0'));
}

/* "always [madvise] never": every word, the chosen one in brackets. */
static void show_words(struct seq_buf *s, const char *const *words, int chosen)
{
	for (int i = 0; words[i]; i++)
		seq_printf(s, i == chosen ? "%s[%s]" : "%s%s", i ? " " : "", words[i]);
	seq_printf(s, "\n");
}

static int store_word(const char *buf, const char *const *words, int *out)
{
	for (int i = 0; words[i]; i++) {
		if (sysfs_streq(buf, words[i])) {
			WRITE_ONCE(*out, i);
			return 0;
		}
	}
	return -EINVAL;
}

static int enabled_show(struct seq_buf *s, void *data)
{
	show_words(s, enabled_words, READ_ONCE(transparent_hugepage_enabled));
	return 0;
}

static int enabled_store(const char *buf, size_t len, void *data)
{
	return store_word(buf, enabled_words, &transparent_hugepage_enabled);
}

static int defrag_show(struct seq_buf *s, void *data)
{
	show_words(s, defrag_words, READ_ONCE(thp_defrag));
	return 0;
}

static int defrag_store(const char *buf, size_t len, void *data)
{
	return store_word(buf, defrag_words, &thp_defrag);
}

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

static struct pseudo_file thp_files[] = {
    {.path = THP_DIR "enabled", .show = enabled_show, .store = enabled_store},
    {.path = THP_DIR "defrag", .show = defrag_show, .store = defrag_store},
    {.path = THP_DIR "hpage_pmd_size", .show = pmd_size_show},
    {.path = THP_DIR "use_zero_page", .show = use_zero_page_show, .store = use_zero_page_store},
};

void thp_sysfs_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(thp_files); i++)
		pseudofs_register(&thp_files[i]);
}
