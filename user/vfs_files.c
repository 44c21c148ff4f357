/*
 * vfs_files: the file calls a libc's fopen, mkstemp, opendir and stat use,
 * checked against Linux's answers: create, write and read back in /tmp,
 * O_EXCL, getdents64, pread/pwrite at offsets, lseek, dup/dup2/dup3,
 * fcntl's FD_CLOEXEC and status flags, stat, access, readlink of
 * /proc/self/exe, an unlinked file living while open, truncate and
 * punch-hole freeing pages (nr_shmem back where it was, on flushlab), and
 * memfd_create. One line per failed check, then "vfs_files: ok checks=N"
 * or "vfs_files: FAIL failed=N of N".
 */
#include "ulib.h"
#include "workload.h"

#define CHECK_NAME "vfs_files"
#include "check_got.h"

#define NPAGES 64

/* mkstemp-like: a new name in /tmp with O_EXCL, the XXXXXX made from the pid and a counter. */
static int make_temp(char *path, size_t n, int flags)
{
	static int serial;

	for (int tries = 0; tries < 100; tries++) {
		int fd;

		snprintf(path, n, "/tmp/vfs%d.%d", getpid(), serial++);
		fd = openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_EXCL | flags, 0600);
		if (fd != -EEXIST)
			return fd;
	}
	return -EEXIST;
}

static void test_create_read_back(void)
{
	char path[64], buf[32] = {0};
	int fd = make_temp(path, sizeof(path), 0), fd2;
	struct stat st;

	check(fd >= 0, "mkstemp-like create in /tmp", fd);
	if (fd < 0)
		return;
	check(write(fd, "hello, tmpfs", 12) == 12, "write 12 bytes", 0);
	check(lseek(fd, 0, SEEK_SET) == 0, "lseek to 0", 0);
	check(read(fd, buf, sizeof(buf)) == 12 && !memcmp(buf, "hello, tmpfs", 12), "read back", 0);
	fd2 = openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_EXCL, 0600);
	check(fd2 == -EEXIST, "O_EXCL on an existing file is EEXIST", fd2);
	check(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 12, "fstat size 12", 0);
	check(stat(path, &st) == 0 && st.st_size == 12 && (st.st_mode & 0777) == 0600,
	      "stat mode 0600 size 12", (long)st.st_mode);
	check(access(path, R_OK | W_OK) == 0, "access R_OK|W_OK", 0);
	check(access("/tmp/no-such-file", F_OK) == -ENOENT, "access of a missing file", 0);
	fd2 = open(path, O_WRONLY | O_APPEND);
	check(fd2 >= 0 && write(fd2, "!", 1) == 1, "O_APPEND write", fd2);
	check(pread(fd, buf, 1, 12) == 1 && buf[0] == '!', "O_APPEND wrote at the end", buf[0]);
	close(fd2);
	fd2 = open(path, O_RDWR | O_TRUNC);
	check(fd2 >= 0 && fstat(fd2, &st) == 0 && st.st_size == 0, "O_TRUNC empties", st.st_size);
	close(fd2);
	check(unlink(path) == 0, "unlink", 0);
	check(stat(path, &st) == -ENOENT, "stat after unlink is ENOENT", 0);
	close(fd);
}

static void test_pread_pwrite(void)
{
	char path[64], buf[8];
	int fd = make_temp(path, sizeof(path), 0);

	check(fd >= 0, "create for pread", fd);
	if (fd < 0)
		return;
	unlink(path);
	check(pwrite(fd, "abcdefgh", 8, 8192) == 8, "pwrite at 8192", 0);
	check(lseek(fd, 0, SEEK_CUR) == 0, "pwrite leaves the position", 0);
	check(lseek(fd, 0, SEEK_END) == 8200, "size 8200 after pwrite", 0);
	check(pread(fd, buf, 4, 8194) == 4 && !memcmp(buf, "cdef", 4), "pread at 8194", 0);
	check(pread(fd, buf, 4, 100) == 4 && !memcmp(buf, "\0\0\0\0", 4), "a hole reads zeros", 0);
	check(pread(fd, buf, 8, 8196) == 4, "pread short at the end", 0);
	check(pread(fd, buf, 8, 9000) == 0, "pread past the end is 0", 0);
	check(pread(fd, buf, 1, -1) == -EINVAL, "pread at -1 is EINVAL", 0);
	check(lseek(fd, -1, SEEK_SET) == -EINVAL, "lseek to -1 is EINVAL", 0);
	close(fd);
}

static void test_getdents(void)
{
	char path[64], buf[2048];
	int fd = make_temp(path, sizeof(path), 0), dfd;
	const char *name = path + 5;
	bool found = false, dot = false;
	long n;

	close(fd);
	dfd = open("/tmp", O_RDONLY | O_DIRECTORY);
	check(dfd >= 0, "open /tmp O_DIRECTORY", dfd);
	if (dfd < 0)
		return;
	while ((n = getdents64(dfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			found |= !strcmp(d->d_name, name) && d->d_type == DT_REG;
			dot |= !strcmp(d->d_name, ".") && d->d_type == DT_DIR;
			off += d->d_reclen;
		}
	}
	check(n == 0, "getdents64 ends with 0", n);
	check(found, "getdents64 lists the new file in /tmp", 0);
	check(dot, "getdents64 lists .", 0);
	fd = openat(dfd, name, O_RDONLY, 0);
	check(fd >= 0, "openat relative to a dirfd", fd);
	close(fd);
	check(unlinkat(dfd, name, 0) == 0, "unlinkat relative to a dirfd", 0);
	check(open(path, O_RDONLY | O_DIRECTORY) == -ENOENT, "gone after unlinkat", 0);
	check(open("/tmp", O_RDWR) == -EISDIR, "a directory opened for writing is EISDIR", 0);
	check(getdents64(0, buf, sizeof(buf)) == -ENOTDIR, "getdents64 of a non-directory", 0);
	close(dfd);
}

static void test_dup(void)
{
	int fd = memfd_create("dup", 0), d, d2;

	check(fd >= 0, "memfd_create", fd);
	if (fd < 0)
		return;
	check(write(fd, "0123456789", 10) == 10, "write to a memfd", 0);
	d = dup(fd);
	check(d > fd, "dup gives the lowest free fd", d);
	check(lseek(d, 3, SEEK_SET) == 3 && lseek(fd, 0, SEEK_CUR) == 3,
	      "dup shares the file position", 0);
	d2 = dup2(fd, 20);
	check(d2 == 20, "dup2 to 20", d2);
	check(dup2(fd, fd) == fd, "dup2 to itself returns it", 0);
	check(dup3(fd, fd, 0) == -EINVAL, "dup3 to itself is EINVAL", 0);
	check(dup2(99999, 21) == -EBADF && dup2(fd, -1) == -EBADF, "dup2 EBADF", 0);
	check(dup3(fd, 20, O_CLOEXEC) == 20 && fcntl(20, F_GETFD, 0) == FD_CLOEXEC,
	      "dup3 O_CLOEXEC over an open fd", 0);
	check(fcntl(d, F_GETFD, 0) == 0, "dup clears FD_CLOEXEC", 0);
	check(fcntl(d, F_SETFD, FD_CLOEXEC) == 0 && fcntl(d, F_GETFD, 0) == FD_CLOEXEC,
	      "F_SETFD FD_CLOEXEC", 0);
	check(fcntl(fd, F_GETFD, 0) == 0, "FD_CLOEXEC is per fd, not per file", 0);
	d2 = fcntl(fd, F_DUPFD_CLOEXEC, 30);
	check(d2 == 30 && fcntl(d2, F_GETFD, 0) == FD_CLOEXEC, "F_DUPFD_CLOEXEC from 30", d2);
	check((fcntl(fd, F_GETFL, 0) & O_ACCMODE) == O_RDWR, "F_GETFL O_RDWR", 0);
	check(fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(d, F_GETFL, 0) & O_APPEND),
	      "F_SETFL O_APPEND is seen through the dup", 0);
	check(close(fd) == 0 && close(fd) == -EBADF, "close twice: EBADF", 0);
	check(pread(d, &(char){0}, 1, 9) == 1, "the file lives while a dup is open", 0);
	close(d);
	close(d2);
	close(20);
}

static void test_unlinked_keeps_data(void)
{
	char path[64], buf[PAGE_SIZE];
	int fd = make_temp(path, sizeof(path), 0), ok = 1;

	check(fd >= 0, "create for unlink-while-open", fd);
	if (fd < 0)
		return;
	for (int i = 0; i < 4; i++) {
		memset(buf, 'a' + i, sizeof(buf));
		ok &= write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf);
	}
	check(ok && unlink(path) == 0, "write 4 pages, unlink", 0);
	for (int i = 0; i < 4; i++)
		ok &= pread(fd, buf, sizeof(buf), i * (long)PAGE_SIZE) == (ssize_t)sizeof(buf) &&
		      buf[0] == 'a' + i && buf[PAGE_SIZE - 1] == 'a' + i;
	check(ok, "an unlinked open file keeps its data", 0);
	close(fd);
}

/* Truncate and punch-hole free their pages: nr_shmem back to where it was (flushlab). */
static void test_truncate_frees(void)
{
	long before = vmstat_read("nr_shmem"), mid, after;
	int fd = memfd_create("trunc", MFD_CLOEXEC);
	char buf[16];

	check(fd >= 0 && fcntl(fd, F_GETFD, 0) == FD_CLOEXEC, "memfd_create MFD_CLOEXEC", fd);
	if (fd < 0)
		return;
	check(fallocate(fd, 0, 0, NPAGES * PAGE_SIZE) == 0, "fallocate 64 pages", 0);
	check(lseek(fd, 0, SEEK_END) == (long)(NPAGES * PAGE_SIZE), "fallocate sets the size", 0);
	mid = vmstat_read("nr_shmem");
	check(pwrite(fd, "x", 1, 5 * PAGE_SIZE) == 1, "write into page 5", 0);
	check(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4 * PAGE_SIZE,
			4 * PAGE_SIZE) == 0,
	      "punch pages 4-7", 0);
	check(pread(fd, buf, 1, 5 * PAGE_SIZE) == 1 && buf[0] == 0, "a punched page reads 0", 0);
	check(lseek(fd, 0, SEEK_END) == (long)(NPAGES * PAGE_SIZE), "punch keeps the size", 0);
	check(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1) == -EOPNOTSUPP ||
		  fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1) == -EINVAL,
	      "punch without KEEP_SIZE refused", 0);
	if (wl_on_flushlab())
		check(vmstat_read("nr_shmem") == mid - 4, "punch frees 4 pages",
		      vmstat_read("nr_shmem"));
	check(ftruncate(fd, 0) == 0, "ftruncate to 0", 0);
	after = vmstat_read("nr_shmem");
	if (wl_on_flushlab()) {
		check(mid >= before + NPAGES, "64 pages counted in nr_shmem", mid - before);
		check(after == before, "truncate frees every page and index node", after - before);
	}
	check(ftruncate(fd, -1) == -EINVAL, "ftruncate to -1 is EINVAL", 0);
	close(fd);
	fd = open("/tmp", O_RDONLY);
	check(ftruncate(fd, 0) == -EINVAL, "ftruncate of a directory is EINVAL", 0);
	close(fd);
	check(memfd_create("h", MFD_HUGETLB) == -ENOSYS || wl_on_flushlab() == false,
	      "MFD_HUGETLB: ENOSYS on flushlab (not implemented)", 0);
}

static void test_names(void)
{
	char buf[256];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	struct stat st;
	int fd;

	check(n > 0, "readlink /proc/self/exe", n);
	if (n > 0) {
		buf[n] = '\0';
		check(strstr(buf, "vfs_files") != NULL, "/proc/self/exe names the program", 0);
	}
	check(lstat("/proc/self/exe", &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK,
	      "lstat /proc/self/exe is a symlink", (long)st.st_mode);
	check(readlink("/tmp", buf, sizeof(buf)) == -EINVAL, "readlink of a directory", 0);
	check(getcwd(buf, sizeof(buf)) > 0 && buf[0] == '/', "getcwd", 0);
	check(open("/proc/vfs_new", O_WRONLY | O_CREAT, 0600) < 0, "no creating outside tmpfs", 0);
	check(open("/tmp/x/", O_RDWR | O_CREAT, 0600) == -EISDIR, "O_CREAT with a trailing /", 0);
	check(mkdir("/tmp/vfsdir", 0700) == 0 || mkdir("/tmp/vfsdir", 0700) == -EEXIST,
	      "mkdir in /tmp", 0);
	check(mkdir("/tmp/vfsdir", 0700) == -EEXIST, "mkdir twice is EEXIST", 0);
	fd = open("/tmp/vfsdir/f", O_RDWR | O_CREAT, 0600);
	check(fd >= 0, "create in a subdirectory", fd);
	close(fd);
	check(rmdir("/tmp/vfsdir") == -ENOTEMPTY, "rmdir of a non-empty dir", 0);
	check(unlink("/tmp/vfsdir/f") == 0 && rmdir("/tmp/vfsdir") == 0, "unlink and rmdir", 0);
	check(unlink("/tmp") < 0, "unlink of the mount point refused", 0);
	fd = open("/dev/shm", O_RDONLY | O_DIRECTORY);
	check(fd >= 0, "/dev/shm is a directory", fd);
	close(fd);
}

int main(int argc, char **argv)
{
	test_create_read_back();
	test_pread_pwrite();
	test_getdents();
	test_dup();
	test_unlinked_keeps_data();
	test_truncate_frees();
	test_names();
	if (failed)
		return printf("vfs_files: FAIL failed=%d of %d\n", failed, checks), 1;
	printf("vfs_files: ok checks=%d\n", checks);
	return 0;
}
