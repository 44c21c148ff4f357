/*
 * sys_info: the small calls a static program makes at start-up answer as
 * Linux answers them (task/sys_info.c): uname, sysinfo, getrandom, prctl's
 * names, the ids, prlimit64/getrlimit, and CLOCK_REALTIME being wall time.
 * KTAP output, exit 1 on a failure; the same checks pass on Linux (make
 * test runs them there too). Where flushlab knowingly differs (PR_SET_VMA,
 * set_robust_list) the answer is printed as a comment, not checked.
 */
#include "syscall.h"
#include "uapi/prctl.h"
#include "uapi/random.h"
#include "uapi/resource.h"
#include "uapi/sysinfo.h"
#include "uapi/utsname.h"
#include "ktap_check.h"
#include "ulib.h"

#define NR_CHECKS 15
#define BAD_PTR 1L		 /* never mapped: below mmap_min_addr */
#define EPOCH_2020 1577836800L	 /* 2020-01-01 00:00:00 UTC */
#define EPOCH_2200 7258118400L	 /* 2200-01-01 00:00:00 UTC */
#define CLOCK_SKEW_NS 50000000LL /* REALTIME and MONOTONIC move alike within this */

static void test_uname(void)
{
	struct new_utsname u;
	long ret = __syscall1(__NR_uname, (long)&u);
	int major = 0;

	for (const char *p = u.release; *p >= '0' && *p <= '9'; p++)
		major = major * 10 + (*p - '0');
	printf("# uname: %s %s %s %s\n", u.sysname, u.nodename, u.release, u.machine);
	check(ret == 0 && !strcmp(u.sysname, "Linux") && !strcmp(u.machine, "x86_64") &&
		  major >= 3 && strchr(u.release, '.'),
	      "uname_reads_as_linux", "sysname, machine or a release glibc accepts missing");
	check(__syscall1(__NR_uname, BAD_PTR) == -EFAULT, "uname_bad_buffer_efault",
	      "a bad buffer was not -EFAULT");
}

static void test_sysinfo(void)
{
	struct sysinfo si;
	long ret;

	memset(&si, 0xff, sizeof(si));
	ret = __syscall1(__NR_sysinfo, (long)&si);
	printf("# sysinfo: uptime %ld totalram %lu freeram %lu procs %u mem_unit %u\n", si.uptime,
	       si.totalram, si.freeram, si.procs, si.mem_unit);
	check(ret == 0 && si.mem_unit >= 1 && si.totalram > 0 && si.freeram <= si.totalram &&
		  si.procs >= 1 && si.uptime >= 1 && si.totalhigh == 0,
	      "sysinfo_is_consistent", "a field out of its range");
	check(__syscall1(__NR_sysinfo, BAD_PTR) == -EFAULT, "sysinfo_bad_buffer_efault",
	      "a bad buffer was not -EFAULT");
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_getrandom(void)
{
	uint8_t a[64], b[64];
	long ra, rb;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	ra = __syscall3(__NR_getrandom, (long)a, sizeof(a), 0);
	rb = __syscall3(__NR_getrandom, (long)b, sizeof(b), GRND_NONBLOCK);
	check(ra == 64 && rb == 64 && memcmp(a, b, sizeof(a)) && !all_zero(a, 64) &&
		  !all_zero(b, 64),
	      "getrandom_fills_the_buffer", "short, zero or repeated bytes");
	check(__syscall3(__NR_getrandom, (long)a, 16, 0x80) == -EINVAL &&
		  __syscall3(__NR_getrandom, (long)a, 16, GRND_INSECURE | GRND_RANDOM) == -EINVAL &&
		  __syscall3(__NR_getrandom, (long)a, 0, 0) == 0,
	      "getrandom_flags_checked", "unknown or contradictory flags accepted");
	check(__syscall3(__NR_getrandom, BAD_PTR, 16, 0) == -EFAULT, "getrandom_bad_buffer_efault",
	      "a bad buffer was not -EFAULT");
}

static void test_prctl_name(void)
{
	char old[16], got[16];
	long r1, r2, r3;

	memset(got, 0x55, sizeof(got));
	r1 = __syscall2(__NR_prctl, PR_GET_NAME, (long)old);
	r2 = __syscall2(__NR_prctl, PR_SET_NAME, (long)"sys_info_renamed_long");
	r3 = __syscall2(__NR_prctl, PR_GET_NAME, (long)got);
	check(r1 == 0 && r2 == 0 && r3 == 0 && !strcmp(got, "sys_info_rename"),
	      "prctl_name_set_and_get", "the name did not come back, cut at 15 characters");
	__syscall2(__NR_prctl, PR_SET_NAME, (long)old);
	check(__syscall2(__NR_prctl, PR_SET_NAME, BAD_PTR) == -EFAULT &&
		  __syscall2(__NR_prctl, PR_GET_NAME, BAD_PTR) == -EFAULT &&
		  __syscall2(__NR_prctl, 0x7fffffff, 0) == -EINVAL,
	      "prctl_bad_input", "a bad name pointer or an unknown option was accepted");
}

static void test_ids_and_differences(void)
{
	long uid = __syscall0(__NR_getuid), euid = __syscall0(__NR_geteuid);
	long gid = __syscall0(__NR_getgid), egid = __syscall0(__NR_getegid);
	long ppid = __syscall0(__NR_getppid);
	void *p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long head[3] = {(long)head, 0, 0};

	printf("# ids: uid %ld euid %ld gid %ld egid %ld ppid %ld\n", uid, euid, gid, egid, ppid);
	check(uid >= 0 && uid == euid && gid >= 0 && gid == egid && ppid >= 0, "ids_answered",
	      "an id call failed or a real id differs from the effective one");
	if (!IS_ERR_PTR(p)) {
		printf("# pr_set_vma_anon_name: %s\n",
		       errno_name(__syscall5(__NR_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, (long)p,
					     PAGE_SIZE, (long)"sys_info")));
		munmap(p, PAGE_SIZE);
	}
	printf("# set_robust_list: %s\n",
	       errno_name(__syscall2(__NR_set_robust_list, (long)head, sizeof(head))));
}

static void test_rlimits(void)
{
	struct rlimit64 nofile, via_get, bad = {2, 1};

	check(__syscall4(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&nofile) == 0 &&
		  nofile.rlim_cur >= 3 && nofile.rlim_cur <= nofile.rlim_max &&
		  __syscall2(__NR_getrlimit, RLIMIT_NOFILE, (long)&via_get) == 0 &&
		  via_get.rlim_cur == nofile.rlim_cur && via_get.rlim_max == nofile.rlim_max,
	      "prlimit64_reads_nofile", "no limit read, or getrlimit disagrees");
	printf("# RLIMIT_NOFILE %llu %llu\n", nofile.rlim_cur, nofile.rlim_max);
	check(__syscall4(__NR_prlimit64, 0, 999, 0, (long)&nofile) == -EINVAL &&
		  __syscall4(__NR_prlimit64, 0, RLIMIT_NOFILE, (long)&bad, 0) == -EINVAL &&
		  __syscall4(__NR_prlimit64, 0, RLIMIT_NOFILE, BAD_PTR, 0) == -EFAULT &&
		  __syscall4(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, BAD_PTR) == -EFAULT,
	      "prlimit64_bad_input", "a bad resource, limit or pointer was accepted");
	check(__syscall4(__NR_prlimit64, 999999, RLIMIT_NOFILE, 0, (long)&nofile) == -ESRCH,
	      "prlimit64_no_such_pid", "pid 999999 was not -ESRCH");
}

static long long ts_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void test_realtime(void)
{
	struct timespec r0, m0, r1, m1;
	long long dr, dm;

	clock_gettime(CLOCK_REALTIME, &r0);
	clock_gettime(CLOCK_MONOTONIC, &m0);
	for (volatile int i = 0; i < 1000000; i++)
		;
	clock_gettime(CLOCK_REALTIME, &r1);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	dr = ts_ns(&r1) - ts_ns(&r0);
	dm = ts_ns(&m1) - ts_ns(&m0);
	printf("# CLOCK_REALTIME %ld s\n", r0.tv_sec);
	check(r0.tv_sec > EPOCH_2020 && r0.tv_sec < EPOCH_2200, "realtime_is_wall_time",
	      "CLOCK_REALTIME is not a date between 2020 and 2200");
	check(dr > 0 && dr - dm < CLOCK_SKEW_NS && dm - dr < CLOCK_SKEW_NS,
	      "realtime_moves_with_monotonic", "the two clocks moved apart");
}

int main(void)
{
	printf("KTAP version 1\n1..%d\n", NR_CHECKS);
	test_uname();
	test_sysinfo();
	test_getrandom();
	test_prctl_name();
	test_ids_and_differences();
	test_rlimits();
	test_realtime();
	printf("# sys_info: %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed || nr_tests != NR_CHECKS ? 1 : 0;
}
