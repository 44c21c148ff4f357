/*
 * The ABI check: the build machine's C library headers' values (glibc with
 * _GNU_SOURCE), for tests/host/uapi_test.c: what a program built with them
 * passes to the kernel.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/host/uapi_test.h"

size_t abi_values_glibc(struct abi_value *out)
{
	const struct abi_value v[] = {
#include "uapi_names.h"
	};

	memcpy(out, v, sizeof(v));
	return sizeof(v) / sizeof(v[0]);
}
