/*
 * fd_race [ms=N] [dev=daxR.N]: one thread closes an fd and opens a file
 * again on the same number, over and over, while the other threads use
 * that fd (the bug it guards against: a read racing the close once faulted in the kernel
 * on a NULL pseudo-file and lost 8 frames). Readers read a pseudo-file
 * whose show is slow (flushlab's check_memory, Linux's /proc/vmstat);
 * with dev=, the threads instead mmap the device, pin the mapping through
 * the ioctl and unmap it, on the fd being closed and reopened. Every call
 * must answer either EBADF (between the close and the open) or what it
 * answers on a quiet fd. One line: fd_race: ok reopens= calls= ebadf=
 */
#include "race.h"

#include "uapi/dax.h"

#define MAX_USERS 3

static volatile int fd = -1, stop;
static int nr_users;
static const char *path;
static uint64_t align;
static long reopens, calls[MAX_USERS], ebadf[MAX_USERS], bad[MAX_USERS];
static long bad_err[MAX_USERS];

static void record(int id, long ret)
{
	calls[id]++;
	if (ret == -EBADF) {
		ebadf[id]++;
	} else if (ret < 0) {
		bad[id]++;
		bad_err[id] = ret;
	}
}

/* A reader: small reads, so that most of them walk a snapshot and some take one. */
static void read_once(int id)
{
	char buf[512];

	record(id, read(fd, buf, sizeof(buf)));
}

/*
 * A device user: map one align unit, pin it and unpin it, unmap. The pin
 * belongs to the open file: an unpin that reaches the reopened file is
 * EINVAL (not its pin; the old file's release dropped it), and while
 * closed files still hold pins the table may be full (ENOSPC).
 */
static void dax_once(int id)
{
	char *p = mmap(NULL, align, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct dax_pin a = {0, align, DAX_PIN_HEAD, 0, 0, 0};
	long ret;

	if (IS_ERR_PTR(p)) {
		record(id, PTR_ERR(p));
		return;
	}
	record(id, 0);
	p[0] = 1; /* mapped whole at mmap: no fault */
	a.addr = (uint64_t)(uintptr_t)p;
	ret = ioctl(fd, DAX_IOC_PIN, &a);
	record(id, ret == -ENOSPC ? 0 : ret);
	if (ret == 0) {
		ret = ioctl(fd, DAX_IOC_UNPIN, &a);
		record(id, ret == -EINVAL ? 0 : ret);
	}
	record(id, munmap(p, align));
}

static int user(void *arg)
{
	int id = (int)(uintptr_t)arg;

	race_arrive();
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		if (align)
			dax_once(id);
		else
			read_once(id);
	}
	return 0;
}

/* Close and reopen on the same number until @ms have passed. */
static int closer(void *arg)
{
	uint64_t end;

	race_wait(nr_users);
	end = now_ns() + (uint64_t)(uintptr_t)arg * 1000000;

	while (now_ns() < end) {
		int old = fd, nfd;

		close(old);
		nfd = open(path, align ? O_RDWR : O_RDONLY);
		if (nfd != old) {
			printf("fd_race: FAIL reopen gave fd %d, not %d (%s)\n", nfd, old,
			       nfd < 0 ? errno_name(nfd) : "another number");
			break;
		}
		reopens++;
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	return 0;
}

static int setup(int argc, char **argv)
{
	static char dev_path[64];
	const char *dev = arg_value(argc, argv, "dev");
	char apath[96];
	unsigned long a = 0;

	if (!dev) {
		path = wl_on_flushlab() ? WL_FLUSHLAB_DIR "check_memory" : "/proc/vmstat";
		return 0;
	}
	snprintf(dev_path, sizeof(dev_path), "/dev/%s", dev);
	snprintf(apath, sizeof(apath), "/sys/bus/dax/devices/%s/align", dev);
	path = dev_path;
	if (race_read_ulong(apath, &a) < 0 || !a) {
		printf("fd_race: SKIP no device %s\n", dev);
		return 1;
	}
	align = a;
	return 0;
}

int main(int argc, char **argv)
{
	long ms = wl_arg(argc, argv, "fd_race", "ms", 300, 60000), total = 0, nbad = 0, nbadf = 0;
	int users = nr_cpus() - 1, (*fns[MAX_USERS + 1])(void *);
	void *args[MAX_USERS + 1];
	long err;

	if (ms < 0)
		return 2;
	if (setup(argc, argv))
		return 0;
	users = users < 1 ? 1 : users > MAX_USERS ? MAX_USERS : users;
	fd = open(path, align ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		printf("fd_race: SKIP %s: %s\n", path, errno_name(fd));
		return 0;
	}
	nr_users = users;
	fns[0] = closer;
	args[0] = (void *)(uintptr_t)ms;
	for (int i = 0; i < users; i++) {
		fns[i + 1] = user;
		args[i + 1] = (void *)(uintptr_t)i;
	}
	err = race_run(users + 1, fns, args);
	close(fd);
	for (int i = 0; i < users; i++) {
		total += calls[i];
		nbadf += ebadf[i];
		nbad += bad[i];
		if (bad[i])
			printf("fd_race: FAIL user %d: %ld calls answered %s\n", i, bad[i],
			       errno_name(bad_err[i]));
	}
	if (err < 0) {
		printf("fd_race: FAIL threads: %s\n", errno_name(err));
		return 1;
	}
	if (nbad || !reopens || !total)
		return printf("fd_race: FAIL reopens=%ld calls=%ld\n", reopens, total), 1;
	printf("fd_race: ok path=%s users=%d reopens=%ld calls=%ld ebadf=%ld\n", path, users,
	       reopens, total, nbadf);
	return 0;
}
