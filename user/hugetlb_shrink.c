/*
 * hugetlb_shrink [size=2M|1G] [pages=N] [knob=sysctl|sysfs]: shrinking a
 * hugetlb pool below what is reserved. With N pages mapped
 * MAP_HUGETLB (reserved, not faulted), `echo 0 > nr_hugepages` twice must
 * keep them, counted as surplus, as Linux's set_max_huge_pages does: the
 * second write once freed them and left HugePages_Rsvd with no pages, and
 * the next fault hit BUG_ON(!page). Then: every page faults in, and
 * unmapping gives them all back (scenario "fault"); or a grow makes the
 * surplus persistent again, a shrink makes it surplus, and an unmap that
 * never faulted frees it with its reservation (scenario "unreserve").
 * knob=sysctl writes /proc/sys/vm/nr_hugepages (the default size only),
 * knob=sysfs the size's own nr_hugepages. The pool is put back as found.
 * One line: hugetlb_shrink: ok size= pages= knob=
 */
#include "race.h"

#define SYSFS "/sys/kernel/mm/hugepages/hugepages-%lukB/%s"

static unsigned long size_kb;
static const char *knob;
static char knob_path[96];

/* One of the size's counters, or -1 (after a message). */
static long counter(const char *name)
{
	char path[96];
	unsigned long v;

	snprintf(path, sizeof(path), SYSFS, size_kb, name);
	if (race_read_ulong(path, &v) < 0) {
		printf("hugetlb_shrink: FAIL cannot read %s\n", path);
		return -1;
	}
	return (long)v;
}

static long set_pool(unsigned long n)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lu\n", n);
	return race_write(knob_path, buf);
}

/* The size's nr, free, resv and surplus counters must be these: 0, or 1 after a message. */
static int expect(const char *when, long nr, long free, long resv, long surplus)
{
	long got[4] = {counter("nr_hugepages"), counter("free_hugepages"),
		       counter("resv_hugepages"), counter("surplus_hugepages")};

	if (got[0] == nr && got[1] == free && got[2] == resv && got[3] == surplus)
		return 0;
	printf("hugetlb_shrink: FAIL %s: nr=%ld free=%ld resv=%ld surplus=%ld, expected "
	       "nr=%ld free=%ld resv=%ld surplus=%ld\n",
	       when, got[0], got[1], got[2], got[3], nr, free, resv, surplus);
	return 1;
}

static char *map_pages(long n)
{
	int shift = size_kb == 1048576 ? 30 : 21;

	return mmap(NULL, (size_t)n * size_kb * 1024, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (shift << MAP_HUGE_SHIFT), -1, 0);
}

/* Reserved, shrunk twice, faulted, unmapped. */
static int scenario_fault(long n)
{
	char *p = map_pages(n);
	int bad;

	if (IS_ERR_PTR(p))
		return printf("hugetlb_shrink: FAIL mmap: %s\n", errno_name(PTR_ERR(p))), 1;
	bad = expect("mapped", n, n, n, 0);
	set_pool(0);
	bad |= expect("first shrink to 0", n, n, n, n);
	set_pool(0);
	bad |= expect("second shrink to 0", n, n, n, n);
	for (long i = 0; i < n; i++)
		p[(size_t)i * size_kb * 1024] = 1; /* the fault once hit BUG_ON(!page) */
	bad |= expect("faulted", n, 0, 0, n);
	munmap(p, (size_t)n * size_kb * 1024);
	return bad | expect("unmapped", 0, 0, 0, 0);
}

/* Reserved, shrunk, grown back, shrunk, unmapped unfaulted: the reservation frees them. */
static int scenario_unreserve(long n)
{
	char *p;
	int bad;

	if (set_pool((unsigned long)n) || expect("grown", n, n, 0, 0))
		return 1;
	p = map_pages(n);
	if (IS_ERR_PTR(p))
		return printf("hugetlb_shrink: FAIL mmap: %s\n", errno_name(PTR_ERR(p))), 1;
	set_pool(0);
	set_pool(0);
	bad = expect("shrunk twice", n, n, n, n);
	set_pool((unsigned long)n);
	bad |= expect("grown back", n, n, n, 0);
	set_pool(0);
	bad |= expect("shrunk again", n, n, n, n);
	munmap(p, (size_t)n * size_kb * 1024);
	return bad | expect("unmapped unfaulted", 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
	const char *s = arg_value(argc, argv, "size");
	long n = wl_arg(argc, argv, "hugetlb_shrink", "pages", 4, 64), orig;
	uint64_t bytes = 2UL << 20;
	int bad;

	knob = arg_value(argc, argv, "knob") ?: "sysfs";
	if (n < 0 || (s && parse_size(s, &bytes) < 0) ||
	    (bytes != (2UL << 20) && bytes != (1UL << 30)) ||
	    (strcmp(knob, "sysfs") && strcmp(knob, "sysctl")))
		return printf("hugetlb_shrink: bad arguments (size=2M|1G pages=N "
			      "knob=sysctl|sysfs)\n"),
		       2;
	size_kb = bytes >> 10;
	if (!strcmp(knob, "sysctl"))
		snprintf(knob_path, sizeof(knob_path), "/proc/sys/vm/nr_hugepages");
	else
		snprintf(knob_path, sizeof(knob_path), SYSFS, size_kb, "nr_hugepages");
	orig = counter("nr_hugepages");
	if (orig < 0)
		return 1;
	if (orig != counter("free_hugepages") || counter("resv_hugepages") ||
	    counter("surplus_hugepages"))
		return printf("hugetlb_shrink: SKIP the %lukB pool is in use\n", size_kb), 0;
	if (set_pool((unsigned long)n) || counter("nr_hugepages") != n) {
		set_pool((unsigned long)orig);
		return printf("hugetlb_shrink: SKIP no room for %ld pages of %lukB (or no "
			      "permission)\n",
			      n, size_kb),
		       0;
	}
	bad = scenario_fault(n) || scenario_unreserve(n);
	set_pool((unsigned long)orig);
	if (bad)
		return 1;
	printf("hugetlb_shrink: ok size=%lukB pages=%ld knob=%s\n", size_kb, n, knob);
	return 0;
}
