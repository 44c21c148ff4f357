/*
 * badcalls: system calls with bad pointers and bad arguments, each checked
 * against the answer Linux gives (-EFAULT, -EINVAL, -ENOMEM, -EBADF, -ENOENT,
 * -EEXIST, -ENOSYS). Prints KTAP; exits 1 if any case failed. The same binary
 * must pass on Linux: that is what makes the expected values right. A call
 * the kernel does not implement yet (-ENOSYS where another answer is due) is
 * reported as a SKIP, not a pass.
 */
#include "syscall.h"
#include "ulib.h"
#include "uapi/futex.h"
#include "uapi/sched.h"
#include "uapi/uio.h"

#define BAD_PTR ((void *)1UL)			  /* never mapped: below mmap_min_addr */
#define KERNEL_PTR ((void *)0xffffffff80000000UL) /* the kernel half */

static char *hole; /* a page-aligned address with nothing mapped (see main) */
static uint64_t zero_mask;

static long write_bad_buf(void)
{
	return write(1, BAD_PTR, 8);
}
static long write_kernel_buf(void)
{
	return write(1, KERNEL_PTR, 8);
}
static long write_bad_fd(void)
{
	return write(-1, "x", 1);
}
static long close_bad_fd(void)
{
	return close(12345);
}
static long open_bad_path(void)
{
	return open(BAD_PTR, O_RDONLY);
}
static long open_missing(void)
{
	return open("/no/such/file", O_RDONLY);
}

static long read_bad_buf(void)
{
	int fd = open("/proc/vmstat", O_RDONLY);
	long ret;

	if (fd < 0)
		return fd;
	ret = read(fd, BAD_PTR, 64);
	close(fd);
	return ret;
}

static long clock_bad_ts(void)
{
	return clock_gettime(CLOCK_MONOTONIC, BAD_PTR);
}

static long clock_bad_id(void)
{
	struct timespec ts;

	return clock_gettime(999, &ts);
}

static long mmap_ret(void *p)
{
	return IS_ERR_PTR(p) ? PTR_ERR(p) : (munmap(p, PAGE_SIZE), 0);
}
static const int RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS;

static long mmap_zero_len(void)
{
	return mmap_ret(mmap(NULL, 0, RW, ANON, -1, 0));
}
static long mmap_no_type(void)
{
	return mmap_ret(mmap(NULL, PAGE_SIZE, RW, MAP_ANONYMOUS, -1, 0));
}
static long mmap_fixed_unaligned(void)
{
	return mmap_ret(mmap(hole + 1, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0));
}
static long mmap_huge_len(void)
{
	return mmap_ret(mmap(NULL, 1UL << 62, RW, ANON, -1, 0));
}

/* MAP_FIXED_NOREPLACE over a live mapping: Linux says EEXIST (since 4.17). */
static long mmap_noreplace(void)
{
	char *p = mmap(NULL, PAGE_SIZE, RW, ANON, -1, 0);
	long ret;

	if (IS_ERR_PTR(p))
		return PTR_ERR(p);
	ret = mmap_ret(mmap(p, PAGE_SIZE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
	munmap(p, PAGE_SIZE);
	return ret;
}

static long munmap_unaligned(void)
{
	return munmap(hole + 1, PAGE_SIZE);
}
static long munmap_zero_len(void)
{
	return munmap(hole, 0);
}
static long munmap_kernel(void)
{
	return munmap(KERNEL_PTR, PAGE_SIZE);
}
static long mprotect_unaligned(void)
{
	return mprotect(hole + 1, PAGE_SIZE, PROT_READ);
}
static long mprotect_hole(void)
{
	return mprotect(hole, PAGE_SIZE, PROT_READ);
}
static long madvise_unaligned(void)
{
	return madvise(hole + 1, PAGE_SIZE, MADV_DONTNEED);
}
static long madvise_bad_advice(void)
{
	return madvise(hole, PAGE_SIZE, 12345);
}
static long madvise_hole(void)
{
	return madvise(hole, PAGE_SIZE, MADV_DONTNEED);
}
static long affinity_bad_mask(void)
{
	return sched_setaffinity(0, 8, BAD_PTR);
}
static long affinity_empty(void)
{
	return sched_setaffinity(0, 8, &zero_mask);
}
static long getcpu_bad_ptr(void)
{
	return __syscall3(__NR_getcpu, (long)BAD_PTR, 0, 0);
}
static long unknown_syscall(void)
{
	return __syscall0(1000);
}

/* ---- Linux's answers and Linux's order of checks ---- */
static long futex_kernel_addr(void)
{
	return __syscall3(__NR_futex, (long)KERNEL_PTR, FUTEX_WAKE, 1);
}
static long futex_unaligned(void)
{
	return __syscall3(__NR_futex, (long)hole + 1, FUTEX_WAKE, 1);
}
static long futex_bad_op(void)
{
	return __syscall3(__NR_futex, (long)KERNEL_PTR + 1, 99, 1); /* the op is checked first */
}
static long futex_shared_unmapped(void)
{
	return __syscall3(__NR_futex, (long)hole, FUTEX_WAKE, 1); /* a shared key needs the page */
}
static long futex_private_unmapped(void)
{
	return __syscall3(__NR_futex, (long)hole, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1);
}

/* Every POSIX clock Linux answers without an RTC: 0..7 and 11 (TAI); 8, 9 need one. */
static long clock_posix_ids(void)
{
	static const int ids[] = {0, 1, 2, 3, 4, 5, 6, 7, 11};
	struct timespec ts, res;

	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		long r = clock_gettime(ids[i], &ts);

		if (!r)
			r = __syscall2(__NR_clock_getres, ids[i], (long)&res);
		if (r) {
			printf("# clock %d: %s\n", ids[i], errno_name(r));
			return r;
		}
	}
	return 0;
}
/* The coarse clocks tick: their resolution is a tick, coarser than a microsecond. */
static long clock_coarse_res(void)
{
	struct timespec res;
	long r = __syscall2(__NR_clock_getres, 6 /* CLOCK_MONOTONIC_COARSE */, (long)&res);

	return r ? r : res.tv_sec == 0 && res.tv_nsec > 1000 ? 0 : -EINVAL;
}
static long clock_getres_bad_id(void)
{
	struct timespec res;

	return __syscall2(__NR_clock_getres, 999, (long)&res);
}
static long clock_getres_null(void)
{
	return __syscall2(__NR_clock_getres, CLOCK_MONOTONIC, 0);
}
/* A thread's CPU clock moves while it computes. */
static long clock_thread_cputime_moves(void)
{
	struct timespec a, b;
	volatile unsigned long spin = 0;

	clock_gettime(3, &a);
	do {
		for (int i = 0; i < 100000; i++)
			spin++;
		clock_gettime(3, &b);
	} while (b.tv_sec == a.tv_sec && b.tv_nsec == a.tv_nsec && spin < 100000000UL);
	return b.tv_sec > a.tv_sec || b.tv_nsec > a.tv_nsec ? 0 : -EINVAL;
}
static long mprotect_wrapping(void)
{
	return mprotect(hole, -2 * PAGE_SIZE, PROT_READ);
}
static long getaffinity_len_before_pid(void)
{
	uint64_t mask;

	return sched_getaffinity(999999, 4, &mask);
}
static long setaffinity_copy_before_pid(void)
{
	return sched_setaffinity(999999, 8, BAD_PTR);
}
static long setaffinity_pid_before_mask(void)
{
	return sched_setaffinity(999999, 8, &zero_mask);
}
static long writev_fd_first(void)
{
	return __syscall3(__NR_writev, -1, (long)BAD_PTR, 2000);
}
static long writev_too_many(void)
{
	return __syscall3(__NR_writev, 1, (long)BAD_PTR, 2000);
}
static long writev_bad_array(void)
{
	return __syscall3(__NR_writev, 1, (long)BAD_PTR, 2);
}
static long writev_negative_len(void)
{
	struct iovec v[2] = {{KERNEL_PTR, 8}, {(void *)"x", -1UL}};

	return __syscall3(__NR_writev, 1, (long)v, 2); /* every length before any base */
}
static long writev_kernel_base(void)
{
	struct iovec v[2] = {{(void *)"", 0}, {KERNEL_PTR, 8}};

	return __syscall3(__NR_writev, 1, (long)v, 2);
}
static long mmap_len_before_type(void)
{
	return mmap_ret(mmap(NULL, 1UL << 62, RW, MAP_ANONYMOUS, -1, 0));
}
static long mmap_unaligned_offset(void)
{
	return mmap_ret(mmap(NULL, PAGE_SIZE, RW, ANON, -1, 1));
}
static long madvise_advice_before_len(void)
{
	return madvise(hole, 0, 12345);
}
static long madvise_advice_before_addr(void)
{
	return madvise(hole + 1, PAGE_SIZE, 12345);
}

static volatile int clone_ctid;
static char clone_stack[16384] __attribute__((aligned(16)));
long __clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg, int *ptid,
	     unsigned long tls, int *ctid);
static int clone_child(void *arg)
{
	(void)arg;
	return 0;
}
/* Linux creates the thread and ignores the failed store to parent_tid. */
static long clone_bad_ptid(void)
{
	const unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				    CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
				    CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	long tid;
	int seen;

	clone_ctid = -1;
	tid = __clone(clone_child, clone_stack + sizeof(clone_stack), flags, NULL, BAD_PTR, 0,
		      (int *)&clone_ctid);
	if (tid <= 0)
		return tid ? tid : -EINVAL;
	while ((seen = clone_ctid) != 0)
		futex_wait(&clone_ctid, seen); /* CHILD_SETTID wrote tid, exit clears it */
	return 0;
}

static const struct bad_case {
	const char *name;
	long (*call)(void);
	long expect;
} cases[] = {
    {"write_bad_buffer_efault", write_bad_buf, -EFAULT},
    {"write_kernel_buffer_efault", write_kernel_buf, -EFAULT},
    {"write_bad_fd_ebadf", write_bad_fd, -EBADF},
    {"close_bad_fd_ebadf", close_bad_fd, -EBADF},
    {"open_bad_path_efault", open_bad_path, -EFAULT},
    {"open_missing_enoent", open_missing, -ENOENT},
    {"read_bad_buffer_efault", read_bad_buf, -EFAULT},
    {"clock_gettime_bad_ts_efault", clock_bad_ts, -EFAULT},
    {"clock_gettime_bad_clock_einval", clock_bad_id, -EINVAL},
    {"mmap_zero_length_einval", mmap_zero_len, -EINVAL},
    {"mmap_no_private_or_shared_einval", mmap_no_type, -EINVAL},
    {"mmap_fixed_unaligned_einval", mmap_fixed_unaligned, -EINVAL},
    {"mmap_huge_length_enomem", mmap_huge_len, -ENOMEM},
    {"mmap_fixed_noreplace_eexist", mmap_noreplace, -EEXIST},
    {"munmap_unaligned_einval", munmap_unaligned, -EINVAL},
    {"munmap_zero_length_einval", munmap_zero_len, -EINVAL},
    {"munmap_kernel_range_einval", munmap_kernel, -EINVAL},
    {"mprotect_unaligned_einval", mprotect_unaligned, -EINVAL},
    {"mprotect_unmapped_enomem", mprotect_hole, -ENOMEM},
    {"madvise_unaligned_einval", madvise_unaligned, -EINVAL},
    {"madvise_bad_advice_einval", madvise_bad_advice, -EINVAL},
    {"madvise_dontneed_unmapped_enomem", madvise_hole, -ENOMEM},
    {"sched_setaffinity_bad_mask_efault", affinity_bad_mask, -EFAULT},
    {"sched_setaffinity_empty_mask_einval", affinity_empty, -EINVAL},
    {"getcpu_bad_pointer_efault", getcpu_bad_ptr, -EFAULT},
    {"unknown_syscall_enosys", unknown_syscall, -ENOSYS},
    {"futex_kernel_address_efault", futex_kernel_addr, -EFAULT},
    {"futex_unaligned_einval", futex_unaligned, -EINVAL},
    {"futex_unknown_op_enosys_first", futex_bad_op, -ENOSYS},
    {"futex_shared_wake_unmapped_efault", futex_shared_unmapped, -EFAULT},
    {"futex_private_wake_unmapped_zero", futex_private_unmapped, 0},
    {"clock_posix_ids_gettime_and_getres", clock_posix_ids, 0},
    {"clock_monotonic_coarse_res_is_a_tick", clock_coarse_res, 0},
    {"clock_getres_bad_clock_einval", clock_getres_bad_id, -EINVAL},
    {"clock_getres_null_res_ok", clock_getres_null, 0},
    {"clock_thread_cputime_moves", clock_thread_cputime_moves, 0},
    {"mprotect_wrapping_length_enomem", mprotect_wrapping, -ENOMEM},
    {"sched_getaffinity_len_before_pid_einval", getaffinity_len_before_pid, -EINVAL},
    {"sched_setaffinity_copy_before_pid_efault", setaffinity_copy_before_pid, -EFAULT},
    {"sched_setaffinity_pid_before_mask_esrch", setaffinity_pid_before_mask, -ESRCH},
    {"writev_bad_fd_first_ebadf", writev_fd_first, -EBADF},
    {"writev_too_many_iovecs_einval", writev_too_many, -EINVAL},
    {"writev_bad_iovec_array_efault", writev_bad_array, -EFAULT},
    {"writev_negative_length_einval", writev_negative_len, -EINVAL},
    {"writev_kernel_base_efault", writev_kernel_base, -EFAULT},
    {"mmap_length_before_type_enomem", mmap_len_before_type, -ENOMEM},
    {"mmap_unaligned_offset_einval", mmap_unaligned_offset, -EINVAL},
    {"madvise_advice_before_length_einval", madvise_advice_before_len, -EINVAL},
    {"madvise_advice_before_address_einval", madvise_advice_before_addr, -EINVAL},
    {"clone_bad_parent_tid_creates_thread", clone_bad_ptid, 0},
};

/* Map two pages and unmap them: a hole nothing else will fill (one thread). */
static int make_hole(void)
{
	char *p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, ANON, -1, 0);

	if (IS_ERR_PTR(p)) {
		printf("# badcalls: mmap for the hole: %s\n", errno_name(PTR_ERR(p)));
		return -1;
	}
	munmap(p, 2 * PAGE_SIZE);
	hole = p;
	return 0;
}

int main(void)
{
	int n = (int)(sizeof(cases) / sizeof(cases[0])), failed = 0;

	printf("KTAP version 1\n1..%d\n", n);
	if (make_hole() < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		const struct bad_case *c = &cases[i];
		long got = c->call();

		if (got == c->expect) {
			printf("ok %d %s\n", i + 1, c->name);
		} else if (got == -ENOSYS) {
			printf("ok %d %s # SKIP the kernel does not implement it (ENOSYS)\n", i + 1,
			       c->name);
		} else {
			printf("# %s: expected -%s, got %ld (%s)\n", c->name, errno_name(c->expect),
			       got, errno_name(got));
			printf("not ok %d %s\n", i + 1, c->name);
			failed++;
		}
	}
	printf("# badcalls: %d of %d failed\n", failed, n);
	return failed ? 1 : 0;
}
