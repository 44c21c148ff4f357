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
	int shift = 0;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	switch (*p) {
	case 'k':
	case 'K':
		shift = 10;
		p++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		p++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		p++;
		break;
	}
	if (*p || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

/* Read up to @size - 1 bytes of @path into @buf and NUL-terminate them. */
ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t len, got = 0;

	if (fd < 0)
		return fd;
	while ((size_t)got + 1 < size && (len = read(fd, buf + got, size - 1 - (size_t)got)) > 0)
		got += len;
	close(fd);
	buf[got] = '\0';
	return got;
}

long vmstat_read(const char *name)
{
	static char buf[16384];
	size_t n = strlen(name);
	char *p = buf;

	if (read_file("/proc/vmstat", buf, sizeof(buf)) < 0)
		return -1;
	for (; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, name, n) == 0 && p[n] == ' ') {
			long v = 0;

			for (p += n + 1; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (*p - '0');
			return v;
		}
	}
	return -1;
}

void sort_u64(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* Count the "processor" lines of /proc/cpuinfo: the fallback CPU count. */
static int cpuinfo_cpus(void)
{
	static char buf[16384];
	int n = 0;

	if (read_file("/proc/cpuinfo", buf, sizeof(buf)) < 0)
		return 1;
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
	static const struct {
		int e;
		const char *name;
	} names[] = {
	    {0, "0"},		{EPERM, "EPERM"},   {ENOENT, "ENOENT"},
	    {ESRCH, "ESRCH"},	{EINTR, "EINTR"},   {EIO, "EIO"},
	    {EBADF, "EBADF"},	{EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"},
	    {EACCES, "EACCES"}, {EFAULT, "EFAULT"}, {EEXIST, "EEXIST"},
	    {EINVAL, "EINVAL"}, {ENOTTY, "ENOTTY"}, {ENOSYS, "ENOSYS"},
	    {ENXIO, "ENXIO"},	{EBUSY, "EBUSY"},   {EOPNOTSUPP, "EOPNOTSUPP"},
	    {ENODEV, "ENODEV"}, {ENOSPC, "ENOSPC"}, {ENOTDIR, "ENOTDIR"},
	    {EISDIR, "EISDIR"}, {EMFILE, "EMFILE"}, {ESPIPE, "ESPIPE"},
	    {EROFS, "EROFS"},	{EPIPE, "EPIPE"},   {ENOTEMPTY, "ENOTEMPTY"},
	    {ELOOP, "ELOOP"},	{ERANGE, "ERANGE"}, {EFBIG, "EFBIG"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (-err == names[i].e)
			return names[i].name;
	return err < 0 ? "E?" : "success";
}
