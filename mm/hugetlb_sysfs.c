/*
 * The hugetlb knobs under Linux's names and formats, so the same script runs
 * here and under Linux: /proc/sys/vm/{nr_hugepages, nr_overcommit_hugepages,
 * hugetlb_optimize_vmemmap}, the nr, free, surplus and resv files of
 * /sys/kernel/mm/hugepages/hugepages-<size>kB, and /proc/meminfo's lines.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"

/*
 * A pool size as Linux parses it (docs/knobs.md): /proc/sys/vm with sysctl's
 * rules (proc_doulongvec_minmax: blanks around, base 0, every error -EINVAL),
 * /sys/kernel/mm/hugepages with kstrtoul base 10 and its error as it is
 * (__nr_hugepages_store_common). Past HUGETLB_MAX_COUNT is -EINVAL in both.
 */
static int sysctl_count(const char *buf, unsigned long *count)
{
	if (proc_strtoul(buf, count) || *count > HUGETLB_MAX_COUNT)
		return -EINVAL;
	return 0;
}

static int sysfs_count(const char *buf, unsigned long *count)
{
	int ret = kstrtoul(buf, 10, count);

	if (ret)
		return ret;
	return *count > HUGETLB_MAX_COUNT ? -EINVAL : 0;
}

/* ---- /proc/sys/vm ---- */

/* Linux's sysctl reads max_huge_pages: the persistent size the last resize reached. */
static int sysctl_nr_hugepages_show(struct seq_buf *s, void *data)
{
	struct hstate snap;

	hugetlb_snapshot(&default_hstate, &snap);
	seq_printf(s, "%lu\n", snap.max_huge_pages);
	return 0;
}

static int nr_hugepages_store(const char *buf, size_t len, void *data)
{
	struct hstate *h = data;
	unsigned long count;
	int ret = sysctl_count(buf, &count);

	return ret ? ret : set_max_huge_pages(h, count);
}

/* Overcommit (surplus pages allocated on demand) is not implemented: only 0. */
static int nr_overcommit_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "0\n");
	return 0;
}

static int nr_overcommit_store(const char *buf, size_t len, void *data)
{
	unsigned long count;
	int ret = sysctl_count(buf, &count);

	if (ret)
		return ret;
	return count ? -EOPNOTSUPP : 0;
}

static int hstate_overcommit_store(const char *buf, size_t len, void *data)
{
	unsigned long count;
	int ret = sysfs_count(buf, &count);

	if (ret)
		return ret;
	return count ? -EOPNOTSUPP : 0;
}

static int optimize_vmemmap_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%d\n", READ_ONCE(hugetlb_optimize_vmemmap) ? 1 : 0);
	return 0;
}

/*
 * 0 or 1 only (Linux: proc_dointvec_minmax, 0..1); applies to pages added to
 * a pool afterwards, as in Linux.
 */
static int optimize_vmemmap_store(const char *buf, size_t len, void *data)
{
	int v;

	if (proc_strtoint(buf, &v) || v < 0 || v > 1)
		return -EINVAL;
	WRITE_ONCE(hugetlb_optimize_vmemmap, v == 1);
	return 0;
}

/* ---- /sys/kernel/mm/hugepages/hugepages-<size>kB ---- */

/* @field: which of the hstate's counters, read from a consistent snapshot. */
static int hstate_counter_show(struct seq_buf *s, const struct hstate *h, size_t field)
{
	struct hstate snap;

	hugetlb_snapshot(h, &snap);
	seq_printf(s, "%lu\n", *(const unsigned long *)((const char *)&snap + field));
	return 0;
}

#define HSTATE_COUNTER_SHOW(name, field)                                                           \
	static int name(struct seq_buf *s, void *data)                                             \
	{                                                                                          \
		return hstate_counter_show(s, data, offsetof(struct hstate, field));               \
	}
HSTATE_COUNTER_SHOW(hstate_nr_show, nr_huge_pages)
HSTATE_COUNTER_SHOW(hstate_free_show, free_huge_pages)
HSTATE_COUNTER_SHOW(hstate_surplus_show, surplus_huge_pages)
HSTATE_COUNTER_SHOW(hstate_resv_show, resv_huge_pages)

static int hstate_nr_store(const char *buf, size_t len, void *data)
{
	unsigned long count;
	int ret = sysfs_count(buf, &count);

	return ret ? ret : set_max_huge_pages(data, count);
}

/* ---- /proc/meminfo ---- */

void hugetlb_report_meminfo(struct seq_buf *s)
{
	unsigned long total_kb = 0;
	struct hstate snap, *h;

	for_each_hstate (h) {
		hugetlb_snapshot(h, &snap);
		total_kb += snap.nr_huge_pages * huge_page_size_kb(h);
	}
	hugetlb_snapshot(&default_hstate, &snap);
	seq_printf(s, "HugePages_Total:   %5lu\n", snap.nr_huge_pages);
	seq_printf(s, "HugePages_Free:    %5lu\n", snap.free_huge_pages);
	seq_printf(s, "HugePages_Rsvd:    %5lu\n", snap.resv_huge_pages);
	seq_printf(s, "HugePages_Surp:    %5lu\n", snap.surplus_huge_pages);
	seq_printf(s, "Hugepagesize:   %8lu kB\n", huge_page_size_kb(&default_hstate));
	seq_printf(s, "Hugetlb:        %8lu kB\n", total_kb);
}

/* ---- registration ---- */

DEFINE_PSEUDO_FILE_DATA(sysctl_nr_hugepages, "/proc/sys/vm/nr_hugepages", sysctl_nr_hugepages_show,
			nr_hugepages_store, 0644, &default_hstate);
DEFINE_PSEUDO_FILE(sysctl_overcommit, "/proc/sys/vm/nr_overcommit_hugepages", nr_overcommit_show,
		   nr_overcommit_store, 0644);
DEFINE_PSEUDO_FILE(sysctl_optimize_vmemmap, "/proc/sys/vm/hugetlb_optimize_vmemmap",
		   optimize_vmemmap_show, optimize_vmemmap_store, 0644);

/*
 * /sys/kernel/mm/hugepages/hugepages-<size>kB: a directory per hstate, its
 * name the hstate's; each file gets the hstate.
 */
static void *hstate_lookup(void *parent, const char *name)
{
	struct hstate *h;

	for_each_hstate (h)
		if (!strcmp(h->name, name))
			return h;
	return NULL;
}

static void hstate_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	struct hstate *h;

	for_each_hstate (h)
		emit(h->name, ctx);
}

static const struct pseudo_dir_ops hstate_dirs = {.lookup = hstate_lookup,
						  .iterate = hstate_iterate};

#define HSTATE_DIR "/sys/kernel/mm/hugepages/*"
DEFINE_PSEUDO_DIR(hstate_dir, HSTATE_DIR, &hstate_dirs);
DEFINE_PSEUDO_FILE(hstate_nr, HSTATE_DIR "/nr_hugepages", hstate_nr_show, hstate_nr_store, 0644);
DEFINE_PSEUDO_FILE(hstate_free, HSTATE_DIR "/free_hugepages", hstate_free_show, NULL, 0444);
DEFINE_PSEUDO_FILE(hstate_surplus, HSTATE_DIR "/surplus_hugepages", hstate_surplus_show, NULL,
		   0444);
DEFINE_PSEUDO_FILE(hstate_resv, HSTATE_DIR "/resv_hugepages", hstate_resv_show, NULL, 0444);
DEFINE_PSEUDO_FILE(hstate_overcommit, HSTATE_DIR "/nr_overcommit_hugepages", nr_overcommit_show,
		   hstate_overcommit_store, 0644);
