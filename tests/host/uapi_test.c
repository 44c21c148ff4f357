/*
 * include/uapi/ against the build machine's headers: every constant we
 * define must have Linux's value, or be named below as flushlab's own or
 * newer than the host's headers. A typo in a number, or in a name (which
 * then matches nothing on the host), fails here. Linux's UAPI headers are
 * the reference; glibc's are checked too, as what programs built with glibc
 * pass us, with the few places where glibc knowingly differs listed.
 */
#include "tests/host/host_test.h"
#include "tests/host/uapi_test.h"

/* Names no host header has: flushlab's own, or Linux's newer than the host's 6.1 headers. */
static const char *const host_lacks[] = {
    "MADV_SPLIT",	  /* flushlab's own (HGM RFC name), include/uapi/mman.h */
    "MADV_GUARD_INSTALL", /* Linux 6.13 */
    "MADV_GUARD_REMOVE",  /* Linux 6.13 */
    "DAX_PIN_PAGE",	  /* flushlab's own device-dax ioctls, include/uapi/dax.h */
    "DAX_PIN_HEAD",
    "DAX_IOC_PIN",
    "DAX_IOC_UNPIN",
    "MFD_NOEXEC_SEAL",		/* Linux 6.3 */
    "MFD_EXEC",			/* Linux 6.3 */
    "KERNEL_SIGACTION_HANDLER", /* layout of Linux's struct sigaction, our names */
    "KERNEL_SIGACTION_FLAGS",
    "KERNEL_SIGACTION_RESTORER",
    "KERNEL_SIGACTION_MASK",
    "KERNEL_SIGSET_SIZE",
    "SIGINFO_SIGNO", /* layout of siginfo_t, our names */
    "SIGINFO_ERRNO",
    "SIGINFO_CODE",
    "SIGINFO_FIELDS",
};

/* Where glibc's header gives another value than the kernel's, knowingly. */
static const char *const glibc_differs[] = {
    "O_LARGEFILE", /* 0 on x86-64: every 64-bit open is large; the kernel's bit is 0100000 */
    "SIGRTMIN",	   /* a function: the kernel's 32 plus the two glibc keeps for itself */
    "_NSIG",	   /* glibc's is one more than the highest signal (65); the kernel's is 64 */
    "MINSIGSTKSZ", /* glibc 2.34+: sysconf(_SC_MINSIGSTKSZ), sized for the CPU's XSAVE area */
    "SIGSTKSZ",	   /* likewise; the kernel's asm/signal.h says 2048 and 8192 */
};

static int listed(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}
#define LISTED(list, name) listed(list, sizeof(list) / sizeof(list[0]), name)

static struct abi_value ours[ABI_MAX], lnx[ABI_MAX], glibc[ABI_MAX];
static size_t nr;

static void load(int *failed)
{
	nr = abi_values_ours(ours);
	EXPECT_EQ(nr, abi_values_linux(lnx));
	EXPECT_EQ(nr, abi_values_glibc(glibc));
}

/* Every generated name is defined by our headers (uapi_ours.c includes them all). */
HOST_TEST(uapi_names_defined_by_us)
{
	load(failed);
	ASSERT_TRUE(nr > 500 && nr < ABI_MAX);
	for (size_t i = 0; i < nr; i++) {
		if (!ours[i].defined) {
			HT_REPORT("%s: not defined by tests/host/uapi_ours.c's includes",
				  ours[i].name);
			*failed = 1;
		}
	}
}

/* Each name is Linux's (a host header has it) or listed as one the host cannot have. */
HOST_TEST(uapi_names_known_to_host)
{
	for (size_t i = 0; i < nr; i++) {
		int host = lnx[i].defined || glibc[i].defined;

		if (host == LISTED(host_lacks, ours[i].name)) {
			HT_REPORT("%s: %s", ours[i].name,
				  host ? "the host has it: remove it from host_lacks"
				       : "no host header defines it (a typo, or flushlab's own?)");
			*failed = 1;
		}
	}
}

HOST_TEST(uapi_values_match_linux_headers)
{
	for (size_t i = 0; i < nr; i++) {
		if (lnx[i].defined && lnx[i].value != ours[i].value) {
			HT_REPORT("%s: ours %lld (%#llx), Linux's %lld (%#llx)", ours[i].name,
				  ours[i].value, ours[i].value, lnx[i].value, lnx[i].value);
			*failed = 1;
		}
	}
}

HOST_TEST(uapi_values_match_glibc_headers)
{
	for (size_t i = 0; i < nr; i++) {
		int differs = glibc[i].defined && glibc[i].value != ours[i].value;

		if (differs != LISTED(glibc_differs, ours[i].name)) {
			HT_REPORT("%s: ours %lld, glibc's %s %lld", ours[i].name, ours[i].value,
				  glibc[i].defined ? "" : "(undefined)", glibc[i].value);
			*failed = 1;
		}
	}
}

/* Some checked names (so a regenerated list that lost a header fails). */
HOST_TEST(uapi_covers_each_header)
{
	static const char *const samples[] = {
	    "__NR_openat",	 "EINVAL",	"O_CLOEXEC",   "CLOCK_REALTIME",
	    "FUTEX_WAIT_BITSET", "ARCH_SET_FS", "PR_SET_VMA",  "MREMAP_MAYMOVE",
	    "CLONE_VM",		 "SIGABRT",	"SA_RESTORER", "WNOHANG",
	    "AT_RANDOM",	 "S_IFREG",	"POLLIN",      "RLIMIT_NOFILE",
	    "GRND_NONBLOCK",	 "DAX_IOC_PIN"};

	for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		int found = 0;

		for (size_t i = 0; i < nr; i++)
			found |= !strcmp(ours[i].name, samples[s]);
		if (!found) {
			HT_REPORT("%s: not in the generated list", samples[s]);
			*failed = 1;
		}
	}
}

/* Every structure of the list, and each field's offset and size, as Linux lays it out. */
HOST_TEST(uapi_struct_layouts_match_linux)
{
	static struct abi_layout a[ABI_LAYOUT_MAX], b[ABI_LAYOUT_MAX];
	size_t n = abi_layout_ours(a);

	ASSERT_EQ(n, abi_layout_linux(b));
	ASSERT_TRUE(n > 20);
	for (size_t i = 0; i < n; i++) {
		if (a[i].offset != b[i].offset || a[i].size != b[i].size) {
			HT_REPORT("%s: ours at %zu, %zu bytes; Linux's at %zu, %zu bytes",
				  a[i].name, a[i].offset, a[i].size, b[i].offset, b[i].size);
			*failed = 1;
		}
	}
}

HOST_TEST_MAIN("uapi")
