/*
 * dax_fixed [dev=daxR.N] [ms=N]: threads keep writing a range while the
 * main thread maps /dev/DEV over it with MAP_FIXED, then fresh anonymous
 * memory over it again, over and over (the bug it guards against: a writer that faulted on
 * an anonymous page just as the device took its place was killed with
 * SIGSEGV; the fault must find the device's leaf and retry). The range is
 * mapped at every moment, so no write may fault for good: a writer killed
 * kills the process and the ok line never comes. flushlab's device-dax is
 * needed (Linux: a /dev/daxR.N of its own, else SKIP).
 * One line: dax_fixed: ok dev= size= remaps= writes= (pages written)
 */
#include "race.h"

#define MAX_WRITERS 3

static volatile int stop;
static char *range;
static uint64_t len;
static volatile long writes[MAX_WRITERS];
static int nr_writers;

static int writer(void *arg)
{
	int id = (int)(uintptr_t)arg;

	race_arrive();
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		for (uint64_t off = (uint64_t)id * PAGE_SIZE; off < len; off += PAGE_SIZE * 2) {
			((volatile char *)range)[off] = (char)off;
			writes[id]++; /* pages written */
		}
	}
	return 0;
}

/* Device, then anonymous memory, over the range, until @ms have passed: remaps, or -errno. */
static long remap_loop(int fd, long ms)
{
	uint64_t end;
	long n = 0;

	race_wait(nr_writers);
	end = now_ns() + (uint64_t)ms * 1000000;
	while (now_ns() < end) {
		void *d = mmap(range, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
		void *a = IS_ERR_PTR(d) ? d
					: mmap(range, len, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (IS_ERR_PTR(a))
			return PTR_ERR(a);
		if ((char *)d != range || (char *)a != range)
			return -EINVAL;
		n += 2;
	}
	return n;
}

struct remapper {
	int fd;
	long ms, ret;
};

static int remapper(void *arg)
{
	struct remapper *r = arg;

	r->ret = remap_loop(r->fd, r->ms);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dev = arg_value(argc, argv, "dev") ?: "dax0.0";
	long ms = wl_arg(argc, argv, "dax_fixed", "ms", 300, 60000), err, total = 0;
	int writers = nr_cpus() - 1, (*fns[MAX_WRITERS + 1])(void *);
	struct remapper r = {-1, ms, 0};
	void *args[MAX_WRITERS + 1];
	char path[96], *raw;
	unsigned long align = 0, size = 0;

	if (ms < 0)
		return 2;
	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/align", dev);
	race_read_ulong(path, &align);
	snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s/size", dev);
	race_read_ulong(path, &size);
	snprintf(path, sizeof(path), "/dev/%s", dev);
	r.fd = open(path, O_RDWR);
	if (r.fd < 0 || !align || size < align)
		return printf("dax_fixed: SKIP no device %s\n", dev), 0;
	len = align > (2UL << 20) ? align : (size < (2UL << 20) ? size : (2UL << 20));
	len -= len % align;
	raw = mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_PTR(raw))
		return printf("dax_fixed: FAIL mmap: %s\n", errno_name(PTR_ERR(raw))), 1;
	range = (char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
	if (IS_ERR_PTR(mmap(range, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)))
		return printf("dax_fixed: FAIL mmap over the range\n"), 1;
	writers = writers < 1 ? 1 : writers > MAX_WRITERS ? MAX_WRITERS : writers;
	nr_writers = writers;
	fns[0] = remapper;
	args[0] = &r;
	for (int i = 0; i < writers; i++) {
		fns[i + 1] = writer;
		args[i + 1] = (void *)(uintptr_t)i;
	}
	err = race_run(writers + 1, fns, args);
	munmap(raw, len + align);
	close(r.fd);
	for (int i = 0; i < writers; i++)
		total += writes[i];
	if (err < 0 || r.ret < 0)
		return printf("dax_fixed: FAIL %s: %s\n", err < 0 ? "threads" : "remap",
			      errno_name(err < 0 ? err : r.ret)),
		       1;
	if (!r.ret || !total)
		return printf("dax_fixed: FAIL remaps=%ld writes=%ld\n", r.ret, total), 1;
	printf("dax_fixed: ok dev=%s size=%lu remaps=%ld writes=%ld\n", dev, (unsigned long)len,
	       r.ret, total);
	return 0;
}
