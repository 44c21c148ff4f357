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

#endif
