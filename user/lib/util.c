/*
 * Small helpers every workload wants: key=value arguments, sizes with K/M/G
 * suffixes, the CPU count, the accelerator name for `# bench` lines, and
 * errno names for readable test output.
 */
#include "syscall.h"
#include "ulib.h"

const char *arg_value(int argc, char **argv, const char *key)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	return NULL;
}

int parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	int shift = 0;

	switch (*p) {
	case 'k': case 'K': shift = 10; p++; break;
	case 'm': case 'M': shift = 20; p++; break;
	case 'g': case 'G': shift = 30; p++; break;
	}
	if (*p || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

/* Count the "processor" lines of /proc/cpuinfo: the fallback CPU count. */
static int cpuinfo_cpus(void)
{
	static char buf[16384];
	int fd = open("/proc/cpuinfo", O_RDONLY), n = 0;
	ssize_t len, got = 0;

	if (fd < 0)
		return 1;
	while (got < (ssize_t)sizeof(buf) - 1 &&
	       (len = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += len;
	close(fd);
	buf[got > 0 ? got : 0] = '\0';
	for (char *p = buf; (p = strstr(p, "processor")); p++)
		if (p == buf || p[-1] == '\n')
			n++;
	return n ? n : 1;
}

int nr_cpus(void)
{
	uint64_t mask = 0;
	int n = 0;

	if (sched_getaffinity(0, sizeof(mask), &mask) < 0)
		return cpuinfo_cpus();
	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

/*
 * The accelerator, by the rule the kernel's cpu_accel_name() uses: CPUID is
 * unprivileged, so the answer is the same under flushlab and Linux.
 */
const char *accel_name(void)
{
	unsigned int a, b, c, d;
	char vendor[13];

	__cpuid(1, &a, &b, &c, &d);
	if (!(c & (1U << 31)))
		return "metal";
	__cpuid(0x40000000, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &c, 4);
	memcpy(vendor + 8, &d, 4);
	vendor[12] = '\0';
	if (strcmp(vendor, "TCGTCGTCGTCG") == 0)
		return "tcg";
	if (strncmp(vendor, "KVMKVMKVM", 9) == 0)
		return "kvm";
	return "vm";
}

const char *errno_name(long err)
{
	static const struct { int e; const char *name; } names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EACCES, "EACCES" }, { EFAULT, "EFAULT" },
		{ EEXIST, "EEXIST" }, { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
		{ ENOSYS, "ENOSYS" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (-err == names[i].e)
			return names[i].name;
	return err < 0 ? "E?" : "success";
}
