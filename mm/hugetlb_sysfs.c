/*
 * The hugetlb knobs under Linux's names and formats, so the same script runs
 * here and under Linux: /proc/sys/vm/{nr_hugepages, nr_overcommit_hugepages,
 * hugetlb_optimize_vmemmap}, the nr, free, surplus and resv files of
 * /sys/kernel/mm/hugepages/hugepages-<size>kB, and /proc/meminfo's lines.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
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

enum hstate_attr { ATTR_NR, ATTR_FREE, ATTR_SURPLUS, ATTR_RESV, NR_COUNTER_ATTRS };

static const char *const attr_names[NR_COUNTER_ATTRS] = {
    "nr_hugepages",
    "free_hugepages",
    "surplus_hugepages",
    "resv_hugepages",
};

static unsigned long attr_value(const struct hstate *h, enum hstate_attr a)
{
	switch (a) {
	case ATTR_NR:
		return h->nr_huge_pages;
	case ATTR_FREE:
		return h->free_huge_pages;
	case ATTR_SURPLUS:
		return h->surplus_huge_pages;
	default:
		return h->resv_huge_pages;
	}
}

/* @data points at one of hstate_attr_data's entries: (hstate, attribute). */
struct hstate_attr_data {
	struct hstate *h;
	enum hstate_attr attr;
};

static int hstate_attr_show(struct seq_buf *s, void *data)
{
	const struct hstate_attr_data *d = data;
	struct hstate snap;

	hugetlb_snapshot(d->h, &snap);
	seq_printf(s, "%lu\n", attr_value(&snap, d->attr));
	return 0;
}

static int hstate_nr_store(const char *buf, size_t len, void *data)
{
	const struct hstate_attr_data *d = data;
	unsigned long count;
	int ret = sysfs_count(buf, &count);

	return ret ? ret : set_max_huge_pages(d->h, count);
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

#define HSTATE_DIR "/sys/kernel/mm/hugepages/"
#define NR_HSTATE_FILES (NR_COUNTER_ATTRS + 1) /* + nr_overcommit_hugepages */

static struct pseudo_file sysctl_files[] = {
    {.path = "/proc/sys/vm/nr_hugepages",
     .show = sysctl_nr_hugepages_show,
     .store = nr_hugepages_store,
     .data = &default_hstate},
    {.path = "/proc/sys/vm/nr_overcommit_hugepages",
     .show = nr_overcommit_show,
     .store = nr_overcommit_store},
    {.path = "/proc/sys/vm/hugetlb_optimize_vmemmap",
     .show = optimize_vmemmap_show,
     .store = optimize_vmemmap_store},
};
static struct pseudo_file hstate_files[HUGE_MAX_HSTATE][NR_HSTATE_FILES];
static struct hstate_attr_data hstate_attr_data[HUGE_MAX_HSTATE][NR_COUNTER_ATTRS];
static char hstate_paths[HUGE_MAX_HSTATE][NR_HSTATE_FILES][80];

static void register_hstate_files(int i)
{
	struct hstate *h = &hstates[i];

	for (int a = 0; a < NR_COUNTER_ATTRS; a++) {
		hstate_attr_data[i][a] = (struct hstate_attr_data){h, a};
		snprintf(hstate_paths[i][a], sizeof(hstate_paths[i][a]), HSTATE_DIR "%s/%s",
			 h->name, attr_names[a]);
		hstate_files[i][a] = (struct pseudo_file){
		    .path = hstate_paths[i][a],
		    .show = hstate_attr_show,
		    .store = a == ATTR_NR ? hstate_nr_store : NULL,
		    .data = &hstate_attr_data[i][a],
		};
	}
	snprintf(hstate_paths[i][NR_COUNTER_ATTRS], sizeof(hstate_paths[i][0]),
		 HSTATE_DIR "%s/nr_overcommit_hugepages", h->name);
	hstate_files[i][NR_COUNTER_ATTRS] = (struct pseudo_file){
	    .path = hstate_paths[i][NR_COUNTER_ATTRS],
	    .show = nr_overcommit_show,
	    .store = hstate_overcommit_store,
	};
	for (int f = 0; f < NR_HSTATE_FILES; f++)
		pseudofs_register(&hstate_files[i][f]);
}

void procfs_hugetlb_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(sysctl_files); i++)
		pseudofs_register(&sysctl_files[i]);
	for (int i = 0; i < HUGE_MAX_HSTATE; i++)
		register_hstate_files(i);
}
