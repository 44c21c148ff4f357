/*
 * The ABI check's shared shape (tests/host/uapi_test.c): every constant
 * defined in include/uapi/ (the list is generated from those headers, see
 * host.mk) as one translation unit sees it: defined or not, and its value.
 * One unit includes our headers, the others the build machine's Linux and
 * glibc headers; the test compares them name by name.
 */
#ifndef TESTS_HOST_UAPI_TEST_H
#define TESTS_HOST_UAPI_TEST_H

#include <stddef.h>

struct abi_value {
	const char *name;
	int defined;
	long long value;
};

#define ABI_DEFINED(n) {#n, 1, (long long)(n)},
#define ABI_UNDEFINED(n) {#n, 0, 0},

#define ABI_MAX 2048

/* Each fills @out with every generated name, in the list's order; returns how many. */
size_t abi_values_ours(struct abi_value *out);
size_t abi_values_linux(struct abi_value *out);
size_t abi_values_glibc(struct abi_value *out);

/*
 * The structures of include/uapi/ passed to or from the kernel: their
 * sizes and fields' offsets and sizes, ours against Linux's UAPI headers
 * (uapi_host_linux.c maps our names to Linux's where they differ).
 */
struct abi_layout {
	const char *name;
	size_t offset, size;
};
/* clang-format off */
#define ABI_LAYOUT_LIST(S, F) \
	S(new_utsname) \
	F(new_utsname, release) \
	F(new_utsname, domainname) \
	S(sysinfo) \
	F(sysinfo, loads) \
	F(sysinfo, totalram) \
	F(sysinfo, freeswap) \
	F(sysinfo, procs) \
	F(sysinfo, totalhigh) \
	F(sysinfo, mem_unit) \
	S(rlimit64) \
	F(rlimit64, rlim_cur) \
	F(rlimit64, rlim_max) \
	S(pollfd) \
	F(pollfd, events) \
	F(pollfd, revents) \
	S(iovec) \
	F(iovec, iov_len) \
	S(timespec) \
	F(timespec, tv_nsec) \
	S(timeval) \
	F(timeval, tv_usec) \
	S(itimerval) \
	F(itimerval, it_value) \
	S(kernel_stack_t) \
	F(kernel_stack_t, ss_flags) \
	F(kernel_stack_t, ss_size)
/* clang-format on */
#define ABI_STRUCT(s) {#s, 0, sizeof(struct s)},
#define ABI_FIELD(s, f) {#s "." #f, offsetof(struct s, f), sizeof(((struct s *)0)->f)},
#define ABI_LAYOUT_MAX 64

size_t abi_layout_ours(struct abi_layout *out);
size_t abi_layout_linux(struct abi_layout *out);

#endif
