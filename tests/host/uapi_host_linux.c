/*
 * The ABI check: the build machine's Linux UAPI headers' values (the
 * kernel's own, as installed by linux-libc-dev), for tests/host/uapi_test.c.
 */
#include <string.h>

#include <asm/prctl.h>
#include <asm/unistd_64.h>
#include <linux/auxvec.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/falloc.h>
#include <linux/futex.h>
#include <linux/memfd.h>
#include <linux/mman.h>
#include <linux/poll.h>
#include <linux/prctl.h>
#include <linux/random.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time.h>
#include <linux/uio.h>
#include <linux/utsname.h>
#include <linux/wait.h>

#include "tests/host/uapi_test.h"

/* asm/signal.h's SIGRTMAX is _NSIG, which only the kernel and libcs define: glibc's checks it. */
#undef SIGRTMAX

size_t abi_values_linux(struct abi_value *out)
{
	const struct abi_value v[] = {
#include "uapi_names.h"
	};

	memcpy(out, v, sizeof(v));
	return sizeof(v) / sizeof(v[0]);
}

/* Linux's names for the structures whose name is ours (the list keeps ours as the label). */
#define timespec __kernel_timespec
#define kernel_stack_t sigaltstack

size_t abi_layout_linux(struct abi_layout *out)
{
	const struct abi_layout v[] = {ABI_LAYOUT_LIST(ABI_STRUCT, ABI_FIELD)};

	memcpy(out, v, sizeof(v));
	return sizeof(v) / sizeof(v[0]);
}
