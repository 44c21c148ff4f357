/*
 * mapcount_switch [ms=N] [burst=N]: flushlab's hugetlb mapcount scheme
 * (/sys/kernel/debug/flushlab/hugetlb_mapcount_scheme) switched between
 * subpage and head while other threads map, fault and unmap 2 MiB hugetlb
 * pages, some MAP_NORESERVE (the bug it guards against: the switch checked, then stored,
 * and a thread whose page was then faulted under the other scheme was
 * killed; the scheme stayed switched under live mappings). A switch must
 * answer 0 or EBUSY, an mmap 0, EOPNOTSUPP (subpage with HVO pages in the
 * pool) or ENOMEM (the pool is shared), and no thread may be killed. Then,
 * deterministically: with a MAP_NORESERVE page mapped, unfaulted, a switch
 * is EBUSY and the scheme stays; and with burst=N, N mmaps under subpage are
 * all refused (the console line about it is rate-limited). HVO, the pool and
 * the scheme are put back as found. Needs flushlab (else SKIP).
 * One line: mapcount_switch: ok switches= busy= maps= refused= nomem=
 */
#include "race.h"

#define KNOB WL_FLUSHLAB_DIR "hugetlb_mapcount_scheme"
#define POOL "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"
#define HVO "/proc/sys/vm/hugetlb_optimize_vmemmap"
#define HPAGE (2UL << 20)
#define MAPPERS 2

static volatile int stop;
static volatile long bad;
static long bad_err, switches, busy, maps[MAPPERS], refused[MAPPERS], nomem[MAPPERS];

static void fail(long err)
{
	bad_err = err;
	__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
}

static void *map_huge(bool noreserve)
{
	return mmap(NULL, HPAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (noreserve ? MAP_NORESERVE : 0), -1,
		    0);
}

static int mapper(void *arg)
{
	int id = (int)(uintptr_t)arg;

	race_arrive();
	for (long i = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); i++) {
		char *p = map_huge(id == 0 && (i & 1));

		if (PTR_ERR(p) == -EOPNOTSUPP) {
			refused[id]++;
		} else if (PTR_ERR(p) == -ENOMEM) {
			nomem[id]++;
		} else if (IS_ERR_PTR(p)) {
			fail(PTR_ERR(p));
		} else {
			p[0] = 1; /* the fault counts the page under the scheme of the moment */
			p[HPAGE - 1] = 2;
			if (munmap(p, HPAGE))
				fail(-EFAULT);
			maps[id]++;
		}
	}
	return 0;
}

static int switcher(void *arg)
{
	uint64_t end;

	race_wait(MAPPERS);
	end = now_ns() + (uint64_t)(uintptr_t)arg * 1000000;

	for (long i = 0; now_ns() < end; i++) {
		long ret = race_write(KNOB, (i & 1) ? "head\n" : "subpage\n");

		if (ret == 0)
			switches++;
		else if (ret == -EBUSY)
			busy++;
		else
			fail(ret);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	return 0;
}

/* The scheme in brackets: "subpage [head] pxd" -> "head". */
static int current_scheme(char *out, size_t size)
{
	char buf[64], *o, *c;

	if (read_file(KNOB, buf, sizeof(buf)) <= 0 || !(o = strchr(buf, '[')) ||
	    !(c = strchr(o, ']')) || (size_t)(c - o) >= size)
		return -1;
	*c = '\0';
	snprintf(out, size, "%s\n", o + 1);
	return 0;
}

/* A live, unfaulted MAP_NORESERVE page: no switch may happen under it. */
static int check_refused_under_mapping(const char *orig)
{
	char *p = map_huge(true), now[16];
	long ret;

	if (IS_ERR_PTR(p))
		return printf("mapcount_switch: FAIL mmap: %s\n", errno_name(PTR_ERR(p))), 1;
	ret = race_write(KNOB, strcmp(orig, "subpage\n") ? "subpage\n" : "head\n");
	current_scheme(now, sizeof(now));
	munmap(p, HPAGE);
	if (ret != -EBUSY || strcmp(now, orig))
		return printf("mapcount_switch: FAIL a switch under a live mapping answered %s and "
			      "left the scheme %s",
			      ret ? errno_name(ret) : "0", now),
		       1;
	return 0;
}

/* @n mmaps under subpage with HVO pages in the pool: all EOPNOTSUPP. */
static int check_burst(long n)
{
	long ret = race_write(KNOB, "subpage\n"), refusals = 0;

	if (ret)
		return printf("mapcount_switch: FAIL subpage with nothing mapped: %s\n",
			      errno_name(ret)),
		       1;
	for (long i = 0; i < n; i++) {
		void *p = map_huge(false);

		refusals += PTR_ERR(p) == -EOPNOTSUPP;
		if (!IS_ERR_PTR(p))
			munmap(p, HPAGE);
	}
	if (refusals != n)
		return printf("mapcount_switch: FAIL %ld of %ld mmaps refused under subpage\n",
			      refusals, n),
		       1;
	return 0;
}

static int run(long ms, long burst, const char *orig)
{
	int (*fns[MAPPERS + 1])(void *) = {switcher, mapper, mapper};
	void *args[MAPPERS + 1] = {(void *)(uintptr_t)ms, (void *)0, (void *)1};
	long err = race_run(MAPPERS + 1, fns, args), m = 0, r = 0, nm = 0;

	race_write(KNOB, orig);
	for (int i = 0; i < MAPPERS; i++) {
		m += maps[i];
		r += refused[i];
		nm += nomem[i];
	}
	if (err < 0 || bad)
		return printf("mapcount_switch: FAIL %ld calls answered %s\n", bad,
			      errno_name(err < 0 ? err : bad_err)),
		       1;
	if (!m || !switches)
		return printf("mapcount_switch: FAIL maps=%ld switches=%ld: no race\n", m,
			      switches),
		       1;
	if (race_write(KNOB, orig) || check_refused_under_mapping(orig) ||
	    (burst && check_burst(burst)))
		return 1;
	printf("mapcount_switch: ok switches=%ld busy=%ld maps=%ld refused=%ld nomem=%ld "
	       "burst=%ld\n",
	       switches, busy, m, r, nm, burst);
	return 0;
}

int main(int argc, char **argv)
{
	long ms = wl_arg(argc, argv, "mapcount_switch", "ms", 300, 60000);
	long burst = wl_arg(argc, argv, "mapcount_switch", "burst", 0, 100000);
	unsigned long pool, hvo;
	char orig[16], buf[24];
	int ret;

	if (ms < 0 || burst < 0)
		return 2;
	if (!wl_on_flushlab() || current_scheme(orig, sizeof(orig)))
		return printf("mapcount_switch: SKIP needs flushlab's " KNOB "\n"), 0;
	if (race_read_ulong(POOL, &pool) || race_read_ulong(HVO, &hvo))
		return printf("mapcount_switch: FAIL cannot read the pool or HVO\n"), 1;
	snprintf(buf, sizeof(buf), "%lu\n", pool + 2);
	if (race_write(HVO, "1\n") || race_write(POOL, buf))
		return printf("mapcount_switch: FAIL cannot grow the pool with HVO on\n"), 1;
	ret = run(ms, burst, orig);
	race_write(KNOB, orig);
	snprintf(buf, sizeof(buf), "%lu\n", pool);
	race_write(POOL, buf);
	race_write(HVO, hvo ? "1\n" : "0\n");
	return ret;
}
