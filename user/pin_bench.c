/*
 * pin_bench size=S mode=page|head [dev=dax0.0] [reps=N] [maps=1]: what pinning device
 * memory costs (the gup benchmark of [martins-2020], docs/references.md). Maps S bytes of /dev/DEV
 * (MAP_SHARED, leaves of the instance's align), then N times pins the whole
 * mapping through DAX_IOC_PIN (modelled on pin_user_pages_fast) and unpins
 * it (unpin_user_pages), timing each. mode=page takes one refcount per
 * 4 KiB page, mode=head one per compound page (include/uapi/dax.h).
 * One line: # bench pin_bench accel= cpus= dev= size= align= mode= reps=
 *   pages= pin_ns= pin_ns_min= pin_ns_max= unpin_ns= unpin_ns_min=
 *   unpin_ns_max= refcount_writes= unpin_refcount_writes=   (medians)
 * maps=1 first prints the mapping's /proc/PID/maps line. The ioctls are
 * flushlab's own: on another kernel it says so and fails.
 */
#include "workload.h"

#include "uapi/dax.h"

#define MAX_REPS 64

static int fail(const char *what, long err)
{
	printf("pin_bench: %s: %s\n", what, errno_name(err));
	return 1;
}

/* /sys/bus/dax/devices/DEV/align, or 0. */
static uint64_t dev_align(const char *dev)
{
	char path[96], buf[32];
	uint64_t v = 0;

	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/align", dev);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/* Read one byte per 2 MiB (or per align unit if larger): the mapping is there. */
static void touch(volatile const char *p, uint64_t size, uint64_t align)
{
	uint64_t step = align > (2UL << 20) ? align : (2UL << 20), sum = 0;

	for (uint64_t off = 0; off < size; off += step)
		sum += (uint8_t)p[off];
	(void)sum;
}

/* maps=1: print this process's /proc/PID/maps lines that name a device. */
static void print_dev_maps(void)
{
	static char buf[8192];
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/maps", getpid());
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strstr(line, " /dev/"))
			printf("%s\n", line);
	}
}

struct sample {
	uint64_t pin_ns[MAX_REPS], unpin_ns[MAX_REPS];
	uint64_t pages, writes, unpin_writes;
};

/* One pin and unpin of [p, p + size). 0 or -errno. */
static long one_rep(int fd, char *p, uint64_t size, uint32_t mode, struct sample *s, int i)
{
	struct dax_pin a = {(uint64_t)(uintptr_t)p, size, mode, 0, 0, 0};
	uint64_t t0 = now_ns(), t1, t2;
	long ret = ioctl(fd, DAX_IOC_PIN, &a);

	t1 = now_ns();
	if (ret)
		return ret;
	s->pages = a.nr_pages;
	s->writes = a.refcount_writes;
	ret = ioctl(fd, DAX_IOC_UNPIN, &a);
	t2 = now_ns();
	if (ret)
		return ret;
	s->unpin_writes = a.refcount_writes;
	s->pin_ns[i] = t1 - t0;
	s->unpin_ns[i] = t2 - t1;
	return 0;
}

static void print_line(const char *dev, uint64_t size, uint64_t align, const char *mode, int reps,
		       struct sample *s)
{
	wl_sort(s->pin_ns, (uint64_t)reps);
	wl_sort(s->unpin_ns, (uint64_t)reps);
	printf("# bench pin_bench accel=%s cpus=%d dev=%s size=%lu align=%lu mode=%s reps=%d "
	       "pages=%lu pin_ns=%lu pin_ns_min=%lu pin_ns_max=%lu unpin_ns=%lu unpin_ns_min=%lu "
	       "unpin_ns_max=%lu refcount_writes=%lu unpin_refcount_writes=%lu\n",
	       wl_accel(), nr_cpus(), dev, size, align, mode, reps, s->pages, s->pin_ns[reps / 2],
	       s->pin_ns[0], s->pin_ns[reps - 1], s->unpin_ns[reps / 2], s->unpin_ns[0],
	       s->unpin_ns[reps - 1], s->writes, s->unpin_writes);
}

int main(int argc, char **argv)
{
	const char *dev = arg_value(argc, argv, "dev"), *mode = arg_value(argc, argv, "mode");
	const char *size_s = arg_value(argc, argv, "size"), *reps_s = arg_value(argc, argv, "reps");
	static struct sample s;
	uint64_t size = 0, reps = 5, align;
	char path[64];
	long ret = 0;
	int fd;
	char *p;

	dev = dev ? dev : "dax0.0";
	if (!size_s || parse_size(size_s, &size) || !size || !mode ||
	    (strcmp(mode, "page") && strcmp(mode, "head")) ||
	    (reps_s && (parse_size(reps_s, &reps) || !reps || reps > MAX_REPS))) {
		printf(
		    "usage: pin_bench size=S mode=page|head [dev=dax0.0] [reps=1..%d] [maps=1]\n",
		    MAX_REPS);
		return 2;
	}
	align = dev_align(dev);
	snprintf(path, sizeof(path), "/dev/%s", dev);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return fail(path, fd);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (IS_ERR_PTR(p))
		return fail("mmap", PTR_ERR(p));
	touch(p, size, align);
	if (arg_value(argc, argv, "maps"))
		print_dev_maps();
	for (int i = 0; i < (int)reps && !ret; i++)
		ret =
		    one_rep(fd, p, size, strcmp(mode, "head") ? DAX_PIN_PAGE : DAX_PIN_HEAD, &s, i);
	if (ret == -ENOTTY)
		printf("pin_bench: DAX_IOC_PIN is flushlab's own ioctl: not implemented on this "
		       "kernel\n");
	else if (ret)
		fail("DAX_IOC_PIN/UNPIN", ret);
	else
		print_line(dev, size, align, mode, (int)reps, &s);
	munmap(p, size);
	close(fd);
	return ret ? 1 : 0;
}
