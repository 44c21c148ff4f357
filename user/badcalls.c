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

#define BAD_PTR ((void *)1UL) /* never mapped: below mmap_min_addr */
#define KERNEL_PTR ((void *)0xffffffff80000000UL) /* the kernel half */

static char *hole; /* a page-aligned address with nothing mapped (see main) */
static uint64_t zero_mask;

static long write_bad_buf(void) { return write(1, BAD_PTR, 8); }
static long write_kernel_buf(void) { return write(1, KERNEL_PTR, 8); }
static long write_bad_fd(void) { return write(-1, "x", 1); }
static long close_bad_fd(void) { return close(12345); }
static long open_bad_path(void) { return open(BAD_PTR, O_RDONLY); }
static long open_missing(void) { return open("/no/such/file", O_RDONLY); }

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

static long clock_bad_ts(void) { return clock_gettime(CLOCK_MONOTONIC, BAD_PTR); }

static long clock_bad_id(void)
{
	struct timespec ts;

	return clock_gettime(999, &ts);
}

static long mmap_ret(void *p) { return IS_ERR_PTR(p) ? PTR_ERR(p) : (munmap(p, PAGE_SIZE), 0); }
static const int RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS;

static long mmap_zero_len(void) { return mmap_ret(mmap(NULL, 0, RW, ANON, -1, 0)); }
static long mmap_no_type(void) { return mmap_ret(mmap(NULL, PAGE_SIZE, RW, MAP_ANONYMOUS, -1, 0)); }
static long mmap_fixed_unaligned(void)
{
	return mmap_ret(mmap(hole + 1, PAGE_SIZE, RW, ANON | MAP_FIXED, -1, 0));
}
static long mmap_huge_len(void) { return mmap_ret(mmap(NULL, 1UL << 62, RW, ANON, -1, 0)); }

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

static long munmap_unaligned(void) { return munmap(hole + 1, PAGE_SIZE); }
static long munmap_zero_len(void) { return munmap(hole, 0); }
static long munmap_kernel(void) { return munmap(KERNEL_PTR, PAGE_SIZE); }
static long mprotect_unaligned(void) { return mprotect(hole + 1, PAGE_SIZE, PROT_READ); }
static long mprotect_hole(void) { return mprotect(hole, PAGE_SIZE, PROT_READ); }
static long madvise_unaligned(void) { return madvise(hole + 1, PAGE_SIZE, MADV_DONTNEED); }
static long madvise_bad_advice(void) { return madvise(hole, PAGE_SIZE, 12345); }
static long madvise_hole(void) { return madvise(hole, PAGE_SIZE, MADV_DONTNEED); }
static long affinity_bad_mask(void) { return sched_setaffinity(0, 8, BAD_PTR); }
static long affinity_empty(void) { return sched_setaffinity(0, 8, &zero_mask); }
static long getcpu_bad_ptr(void) { return __syscall3(__NR_getcpu, (long)BAD_PTR, 0, 0); }
static long unknown_syscall(void) { return __syscall0(1000); }

static const struct bad_case {
	const char *name;
	long (*call)(void);
	long expect;
} cases[] = {
	{ "write_bad_buffer_efault", write_bad_buf, -EFAULT },
	{ "write_kernel_buffer_efault", write_kernel_buf, -EFAULT },
	{ "write_bad_fd_ebadf", write_bad_fd, -EBADF },
	{ "close_bad_fd_ebadf", close_bad_fd, -EBADF },
	{ "open_bad_path_efault", open_bad_path, -EFAULT },
	{ "open_missing_enoent", open_missing, -ENOENT },
	{ "read_bad_buffer_efault", read_bad_buf, -EFAULT },
	{ "clock_gettime_bad_ts_efault", clock_bad_ts, -EFAULT },
	{ "clock_gettime_bad_clock_einval", clock_bad_id, -EINVAL },
	{ "mmap_zero_length_einval", mmap_zero_len, -EINVAL },
	{ "mmap_no_private_or_shared_einval", mmap_no_type, -EINVAL },
	{ "mmap_fixed_unaligned_einval", mmap_fixed_unaligned, -EINVAL },
	{ "mmap_huge_length_enomem", mmap_huge_len, -ENOMEM },
	{ "mmap_fixed_noreplace_eexist", mmap_noreplace, -EEXIST },
	{ "munmap_unaligned_einval", munmap_unaligned, -EINVAL },
	{ "munmap_zero_length_einval", munmap_zero_len, -EINVAL },
	{ "munmap_kernel_range_einval", munmap_kernel, -EINVAL },
	{ "mprotect_unaligned_einval", mprotect_unaligned, -EINVAL },
	{ "mprotect_unmapped_enomem", mprotect_hole, -ENOMEM },
	{ "madvise_unaligned_einval", madvise_unaligned, -EINVAL },
	{ "madvise_bad_advice_einval", madvise_bad_advice, -EINVAL },
	{ "madvise_dontneed_unmapped_enomem", madvise_hole, -ENOMEM },
	{ "sched_setaffinity_bad_mask_efault", affinity_bad_mask, -EFAULT },
	{ "sched_setaffinity_empty_mask_einval", affinity_empty, -EINVAL },
	{ "getcpu_bad_pointer_efault", getcpu_bad_ptr, -EFAULT },
	{ "unknown_syscall_enosys", unknown_syscall, -ENOSYS },
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
			printf("# %s: expected -%s, got %ld (%s)\n", c->name,
			       errno_name(c->expect), got, errno_name(got));
			printf("not ok %d %s\n", i + 1, c->name);
			failed++;
		}
	}
	printf("# badcalls: %d of %d failed\n", failed, n);
	return failed ? 1 : 0;
}
