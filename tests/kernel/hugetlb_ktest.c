/*
 * The hugetlb pools against Linux's semantics: resize with readback,
 * best-effort growth, pages in use surviving a shrink as surplus, rejected
 * writes changing nothing, 1 GiB pages, and fault injection mid-grow. Each
 * case ends with every pool at 0, fault injection off and memory exact.
 */
#include "kernel/ktest.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/page_alloc.h"
#include "tests/kernel/hugetlb_ktest_env.h"

#define H2M (&hstates[0])
#define H1G (&hstates[1])
#define SYSCTL_NR "/proc/sys/vm/nr_hugepages"
#define SYSFS_2M "/sys/kernel/mm/hugepages/hugepages-2048kB/"
#define SYSFS_1G "/sys/kernel/mm/hugepages/hugepages-1048576kB/"

/* Memory a case must give back: HVO's split page tables may stay (Linux never re-merges). */
struct mem_snap {
	unsigned long free, page_tables, vmemmap;
};

static void mem_snap(struct mem_snap *m)
{
	m->free = nr_free_pages();
	m->page_tables = nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
	m->vmemmap = nr_pages_by_purpose(PURPOSE_VMEMMAP);
}

static void expect_consistent(struct ktest *t)
{
	char why[160] = "";
	int ret = page_alloc_check_invariants(why, sizeof(why));

	if (!ret)
		ret = hugetlb_check_pools(why, sizeof(why));
	if (ret)
		ktest_fail(t, __FILE__, __LINE__, "invariant broken: %s", why);
	KEXPECT_EQ(t, H2M->nr_huge_pages * 512 + H1G->nr_huge_pages * 262144,
		   nr_pages_by_purpose(PURPOSE_HUGETLB));
}

/* Every frame back: free + page tables as before (tables only grow), vmemmap exact. */
static void expect_memory_back(struct ktest *t, const struct mem_snap *m)
{
	struct mem_snap now;

	mem_snap(&now);
	KEXPECT_EQ(t, m->vmemmap, now.vmemmap);
	KEXPECT_EQ(t, m->free + m->page_tables, now.free + now.page_tables);
	KEXPECT_TRUE(t, now.page_tables >= m->page_tables);
}

static unsigned long read_ul(struct ktest *t, const char *path)
{
	char buf[64];
	struct seq_buf s;
	struct pseudo_ref f;
	unsigned long v = ~0UL;

	seq_buf_init(&s, buf, sizeof(buf));
	if (!pseudofs_lookup(path, &f) || pseudofs_read(&f, &s) || kstrtoul(buf, 10, &v))
		ktest_fail(t, __FILE__, __LINE__, "cannot read a number from %s", path);
	return v;
}

static int write_str(const char *path, const char *val)
{
	struct pseudo_ref f;

	return pseudofs_lookup(path, &f) ? pseudofs_write(&f, val, strlen(val)) : -ENOENT;
}

static bool contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

static void expect_meminfo_line(struct ktest *t, const char *line)
{
	static char buf[4096];
	struct seq_buf s;
	struct pseudo_ref f;

	seq_buf_init(&s, buf, sizeof(buf));
	KASSERT_TRUE(t, pseudofs_lookup("/proc/meminfo", &f));
	KASSERT_EQ(t, 0, pseudofs_read(&f, &s));
	if (!contains(buf, line))
		ktest_fail(t, __FILE__, __LINE__, "no line \"%s\" in /proc/meminfo", line);
}

/* Fault injection off, every page given back, every pool at 0, HVO as it was. */
static void hugetlb_cleanup(struct ktest *t, bool hvo)
{
	struct hstate *h;

	fail_page_alloc_reset();
	for_each_hstate (h) {
		hugetlb_give_pages(h, hugetlb_pages_in_use(h));
		for (int tries = 0; tries < 3 && h->nr_huge_pages; tries++)
			set_max_huge_pages(h, 0);
		KEXPECT_EQ(t, 0, h->nr_huge_pages);
		KEXPECT_EQ(t, 0, h->surplus_huge_pages);
	}
	hugetlb_optimize_vmemmap = hvo;
	expect_consistent(t);
}

/* Each case runs its body, then the cleanup, whatever the body asserted. */
#define HUGETLB_CASE(name)                                                                         \
	static void name(struct ktest *t)                                                          \
	{                                                                                          \
		bool hvo = hugetlb_optimize_vmemmap;                                               \
		name##_body(t);                                                                    \
		hugetlb_cleanup(t, hvo);                                                           \
	}

/* One grow and shrink, so the page tables HVO's splits keep are in the baseline. */
static void warm_up(struct hstate *h, unsigned long n, struct mem_snap *m)
{
	set_max_huge_pages(h, n);
	set_max_huge_pages(h, 0);
	mem_snap(m);
}

static void grow_shrink_2m_body(struct ktest *t)
{
	struct mem_snap m;

	warm_up(H2M, 64, &m);
	KASSERT_EQ(t, 0, write_str(SYSCTL_NR, "64\n"));
	KEXPECT_EQ(t, 64, read_ul(t, SYSCTL_NR));
	KEXPECT_EQ(t, 64, read_ul(t, SYSFS_2M "nr_hugepages"));
	KEXPECT_EQ(t, 64, read_ul(t, SYSFS_2M "free_hugepages"));
	KEXPECT_EQ(t, 0, read_ul(t, SYSFS_2M "surplus_hugepages"));
	KEXPECT_EQ(t, 0, read_ul(t, SYSFS_2M "resv_hugepages"));
	expect_meminfo_line(t, "HugePages_Total:      64\n");
	expect_meminfo_line(t, "HugePages_Free:       64\n");
	expect_meminfo_line(t, "HugePages_Rsvd:        0\n");
	expect_meminfo_line(t, "HugePages_Surp:        0\n");
	expect_meminfo_line(t, "Hugepagesize:       2048 kB\n");
	expect_meminfo_line(t, "Hugetlb:          131072 kB\n");
	expect_consistent(t);

	KASSERT_EQ(t, 0, write_str(SYSFS_2M "nr_hugepages", "16"));
	KEXPECT_EQ(t, 16, read_ul(t, SYSCTL_NR));
	KASSERT_EQ(t, 0, write_str(SYSCTL_NR, "40"));
	KEXPECT_EQ(t, 40, read_ul(t, SYSFS_2M "free_hugepages"));
	expect_consistent(t);
	KASSERT_EQ(t, 0, write_str(SYSCTL_NR, "0\n"));
	KEXPECT_EQ(t, 0, read_ul(t, SYSFS_2M "nr_hugepages"));
	expect_meminfo_line(t, "HugePages_Total:       0\n");
	expect_meminfo_line(t, "Hugetlb:               0 kB\n");
	expect_memory_back(t, &m);
}
HUGETLB_CASE(grow_shrink_2m)

/* Far more than 512 MiB holds: growth takes what there is and reads it back. */
static void best_effort_grow_body(struct ktest *t)
{
	unsigned long got, again;
	struct mem_snap m;

	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 1000000));
	got = H2M->nr_huge_pages;
	KEXPECT_TRUE(t, got > 0 && got < 1000000);
	KEXPECT_EQ(t, got, read_ul(t, SYSCTL_NR));
	KEXPECT_EQ(t, got, H2M->free_huge_pages);
	expect_consistent(t);
	set_max_huge_pages(H2M, 0);
	mem_snap(&m); /* after the first whole-memory cycle: every split is done */

	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 1000000));
	again = H2M->nr_huge_pages;
	KEXPECT_TRUE(t, again > 0 && again <= got);
	expect_consistent(t);
	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 0));
	KEXPECT_EQ(t, 0, H2M->nr_huge_pages);
	expect_memory_back(t, &m);
	KEXPECT_EQ(t, m.free, nr_free_pages()); /* MemFree exactly where it was */
}
HUGETLB_CASE(best_effort_grow)

static void expect_pool(struct ktest *t, unsigned long nr, unsigned long free,
			unsigned long surplus, unsigned long persistent)
{
	KEXPECT_EQ(t, nr, H2M->nr_huge_pages);
	KEXPECT_EQ(t, free, H2M->free_huge_pages);
	KEXPECT_EQ(t, surplus, H2M->surplus_huge_pages);
	KEXPECT_EQ(t, persistent, H2M->max_huge_pages);
	expect_consistent(t);
}

/* Linux: a shrink cannot free pages in use; they become surplus, freed when given back. */
static void in_use_become_surplus_body(struct ktest *t)
{
	struct mem_snap m;

	warm_up(H2M, 8, &m);
	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 8));
	KASSERT_EQ(t, 0, hugetlb_take_pages(H2M, 5));
	KEXPECT_EQ(t, -ENOMEM, hugetlb_take_pages(H2M, 4)); /* only 3 free: none taken */
	expect_pool(t, 8, 3, 0, 8);
	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 2));
	expect_pool(t, 5, 0, 3, 2);
	KEXPECT_EQ(t, 5, read_ul(t, SYSFS_2M "nr_hugepages")); /* nr, surplus included */
	KEXPECT_EQ(t, 2, read_ul(t, SYSCTL_NR));	       /* max_huge_pages */
	KEXPECT_EQ(t, 3, read_ul(t, SYSFS_2M "surplus_hugepages"));
	expect_meminfo_line(t, "HugePages_Surp:        3\n");

	KASSERT_EQ(t, 0, hugetlb_give_pages(H2M, 1)); /* surplus: freed to buddy */
	expect_pool(t, 4, 0, 2, 2);
	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 3)); /* surplus becomes persistent first */
	expect_pool(t, 4, 0, 1, 3);
	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 6)); /* then two are allocated */
	expect_pool(t, 6, 2, 0, 6);
	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 0));
	expect_pool(t, 4, 0, 4, 0);
	KEXPECT_EQ(t, -EINVAL, hugetlb_give_pages(H2M, 5)); /* only 4 in use */
	KASSERT_EQ(t, 0, hugetlb_give_pages(H2M, 4));
	expect_pool(t, 0, 0, 0, 0);
	expect_memory_back(t, &m);
}
HUGETLB_CASE(in_use_become_surplus)

/* Refused by /proc/sys and /sys alike (docs/knobs.md: Linux's two parsers). */
static const char *const bad_counts[] = {
    "abc", "-1", "1x", "", "\n", "+-5", "5 6", "2147483648", "4294967296",
};
/* Refused by /sys's kstrtoul only: sysctl takes blanks around and base 0. */
static const char *const bad_sysfs_counts[] = {" 5", "5 ", "0x10", "5\n\n"};

/* Each rejected write is -EINVAL and leaves pools, knobs and memory as they were. */
static void invalid_argument_body(struct ktest *t)
{
	const char *paths[] = {SYSCTL_NR, SYSFS_2M "nr_hugepages", SYSFS_1G "nr_hugepages"};
	const char *hvo_bad[] = {"2", "-1", "yes", "1x", ""};
	bool hvo = hugetlb_optimize_vmemmap;
	struct mem_snap before, after;

	KASSERT_EQ(t, 0, set_max_huge_pages(H2M, 3));
	mem_snap(&before);
	for (size_t p = 0; p < ARRAY_SIZE(paths); p++)
		for (size_t i = 0; i < ARRAY_SIZE(bad_counts); i++)
			KEXPECT_EQ(t, -EINVAL, write_str(paths[p], bad_counts[i]));
	for (size_t p = 1; p < ARRAY_SIZE(paths); p++) {
		for (size_t i = 0; i < ARRAY_SIZE(bad_sysfs_counts); i++)
			KEXPECT_EQ(t, -EINVAL, write_str(paths[p], bad_sysfs_counts[i]));
		KEXPECT_EQ(t, -ERANGE, write_str(paths[p], "99999999999999999999999"));
	}
	KEXPECT_EQ(t, -EINVAL, write_str(SYSCTL_NR, "99999999999999999999999"));
	for (size_t i = 0; i < ARRAY_SIZE(hvo_bad); i++)
		KEXPECT_EQ(t, -EINVAL,
			   write_str("/proc/sys/vm/hugetlb_optimize_vmemmap", hvo_bad[i]));
	KEXPECT_EQ(t, -EINVAL, write_str("/proc/sys/vm/nr_overcommit_hugepages", "-1"));
	KEXPECT_EQ(t, -EACCES, write_str(SYSFS_2M "free_hugepages", "1"));
	KEXPECT_EQ(t, -EINVAL, set_max_huge_pages(H2M, HUGETLB_MAX_COUNT + 1));
	mem_snap(&after);
	KEXPECT_EQ(t, before.free, after.free);
	KEXPECT_EQ(t, hvo, hugetlb_optimize_vmemmap);
	expect_pool(t, 3, 3, 0, 3);
	KEXPECT_EQ(t, 0, H1G->nr_huge_pages);
	KEXPECT_EQ(t, 0, write_str(SYSCTL_NR, "2\n")); /* and a good one still works */
	expect_pool(t, 2, 2, 0, 2);
}
HUGETLB_CASE(invalid_argument)

static void optimize_vmemmap_knob_body(struct ktest *t)
{
	const char *path = "/proc/sys/vm/hugetlb_optimize_vmemmap";

	KEXPECT_EQ(t, 0, write_str(path, "0\n"));
	KEXPECT_EQ(t, 0, read_ul(t, path));
	KEXPECT_TRUE(t, !hugetlb_optimize_vmemmap);
	KEXPECT_EQ(t, 0, write_str(path, "1"));
	KEXPECT_EQ(t, 1, read_ul(t, path));
	KEXPECT_TRUE(t, hugetlb_optimize_vmemmap);
}
HUGETLB_CASE(optimize_vmemmap_knob)

/* A 1 GiB page: in the pool, in use, surplus after a shrink, freed when given back. */
static void gigantic_1g_body(struct ktest *t)
{
	struct mem_snap m;

	if (nr_free_pages() < 262144 + 16384)
		KTEST_SKIP(
		    t,
		    "needs a free 1 GiB-aligned GiB of RAM (QEMU: --mem 4G; 2G and 3G have none)");
	warm_up(H1G, 1, &m);
	KASSERT_EQ(t, 0, write_str(SYSFS_1G "nr_hugepages", "1\n"));
	if (H1G->nr_huge_pages == 0)
		KTEST_SKIP(t, "no free 1 GiB-aligned range of RAM (QEMU: --mem 4G has one)");
	KEXPECT_EQ(t, 1, read_ul(t, SYSFS_1G "free_hugepages"));
	expect_meminfo_line(t, "Hugetlb:         1048576 kB\n");
	expect_meminfo_line(t, "HugePages_Total:       0\n"); /* the default size is 2 MiB */
	expect_consistent(t);
	KASSERT_EQ(t, 0, hugetlb_take_pages(H1G, 1));
	KASSERT_EQ(t, 0, write_str(SYSFS_1G "nr_hugepages", "0"));
	KEXPECT_EQ(t, 1, read_ul(t, SYSFS_1G "surplus_hugepages"));
	KASSERT_EQ(t, 0, hugetlb_give_pages(H1G, 1));
	KEXPECT_EQ(t, 0, read_ul(t, SYSFS_1G "nr_hugepages"));
	expect_consistent(t);
	expect_memory_back(t, &m);
}
HUGETLB_CASE(gigantic_1g)

static void inject_every(long interval)
{
	fail_page_alloc_reset();
	fail_page_alloc_set("interval", interval);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("probability", 100);
}

/*
 * Growing and shrinking with every interval-th allocation failing, HVO's
 * included: the pool stays consistent and every frame is accounted at each
 * step; with injection off a shrink to 0 gives all memory back.
 */
static void fault_injection_grow_body(struct ktest *t)
{
	static const long intervals[] = {2, 3, 5, 7, 11};
	struct mem_snap m;

	hugetlb_optimize_vmemmap = true;
	warm_up(H2M, 32, &m);
	for (size_t i = 0; i < ARRAY_SIZE(intervals); i++) {
		inject_every(intervals[i]);
		KEXPECT_EQ(t, 0, set_max_huge_pages(H2M, 32));
		KEXPECT_TRUE(t, H2M->nr_huge_pages < 32);
		expect_consistent(t);
		KASSERT_EQ(t, 0, hugetlb_take_pages(H2M, H2M->free_huge_pages / 2));
		KEXPECT_EQ(t, 0, set_max_huge_pages(H2M, 0)); /* restores may fail: surplus */
		expect_consistent(t);
		hugetlb_give_pages(H2M, hugetlb_pages_in_use(H2M));
		expect_consistent(t);
		fail_page_alloc_reset();
		KEXPECT_EQ(t, 0, set_max_huge_pages(H2M, 0));
		KEXPECT_EQ(t, 0, H2M->nr_huge_pages);
		expect_consistent(t);
	}
	expect_memory_back(t, &m);
}
HUGETLB_CASE(fault_injection_grow)

static const struct ktest_case hugetlb_cases[] = {
    KTEST_CASE(grow_shrink_2m),	       KTEST_CASE(best_effort_grow),
    KTEST_CASE(in_use_become_surplus), KTEST_CASE(invalid_argument),
    KTEST_CASE(optimize_vmemmap_knob), KTEST_CASE(gigantic_1g),
    KTEST_CASE(fault_injection_grow),  {},
};
DEFINE_KTEST_SUITE_ENV(hugetlb, hugetlb_cases, hugetlb_ktest_enter, hugetlb_ktest_exit);
