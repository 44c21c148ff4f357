/*
 * vfs_mmap: file-backed mmap of tmpfs and memfd files, as Linux answers.
 * MAP_SHARED sees write/pwrite and the reverse; MAP_PRIVATE copies on the
 * first write and leaves the file alone; an unlinked file lives while
 * mapped; truncate and punch-hole unmap a page from a mapping that a
 * second thread keeps in another CPU's TLB, with exactly one
 * tlb_flush_shmem_unmap per truncate and per mm (flushlab; Linux has no
 * such counter, so there those checks are skipped), and none when
 * nothing was mapped; fork of a private mapping shares its copies
 * copy-on-write. `vfs_mmap hold` and `vfs_mmap two` are two
 * processes mapping one /dev/shm file: one truncate, two flushes.
 */
#include "ulib.h"
#include "usignal.h"
#include "workload.h"

#define CHECK_NAME "vfs_mmap"
#include "check_got.h"

#define NPAGES 4
#define SHARED_PATH "/dev/shm/vfs_mmap_shared"
#define FLUSHES "tlb_flush_shmem_unmap"

static volatile int stop, reads;
static volatile uint8_t *watched;

/* flushlab's invariant checker on this process (file leaves: refcount, mapcount, prot, RSS). */
static void check_mm(const char *when)
{
	char buf[256];

	if (!wl_on_flushlab())
		return;
	check(read_file("/proc/self/mm_check", buf, sizeof(buf)) > 0 && !strncmp(buf, "ok", 2),
	      when, 0);
	if (strncmp(buf, "ok", 2))
		printf("vfs_mmap: mm_check says %s", buf);
}

static long flushes(void)
{
	return wl_on_flushlab() ? vmstat_read(FLUSHES) : 0;
}

/* Keeps @watched's page in its CPU's TLB until told to stop (before any truncate of it). */
static int toucher(void *arg)
{
	pin_to_cpu(1);
	while (!stop) {
		(void)watched[0];
		reads++;
		sched_yield();
	}
	return 0;
}

static void test_shared(void)
{
	int fd = memfd_create("shared", 0);
	uint8_t *p;
	struct thread *t;
	char c = 0;
	long before;

	check(fd >= 0 && ftruncate(fd, NPAGES * PAGE_SIZE) == 0, "memfd of 4 pages", fd);
	p = mmap(NULL, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(!IS_ERR_PTR(p), "mmap MAP_SHARED", (long)p);
	if (IS_ERR_PTR(p))
		return;
	p[PAGE_SIZE + 5] = 'm';
	check(pread(fd, &c, 1, PAGE_SIZE + 5) == 1 && c == 'm', "a store is in the file", c);
	check(pwrite(fd, "w", 1, 2 * PAGE_SIZE) == 1 && p[2 * PAGE_SIZE] == 'w',
	      "a pwrite is in the mapping", p[2 * PAGE_SIZE]);
	/* split the VMA in three and merge it back: each VMA holds the file once */
	check(mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ) == 0 && p[PAGE_SIZE + 5] == 'm',
	      "mprotect one page read-only (a split)", 0);
	check_mm("mm_check after the split");
	check(mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE) == 0, "and back (a merge)",
	      0);
	p[PAGE_SIZE + 6] = 'n';
	check_mm("mm_check with 3 shared file pages mapped");
	/* truncate while another CPU's TLB holds page 0: one flush, this mm's */
	watched = p;
	stop = 0;
	reads = 0;
	t = thread_create(toucher, NULL);
	while (!reads)
		sched_yield();
	stop = 1;
	thread_join(t);
	before = flushes();
	check(ftruncate(fd, 0) == 0, "truncate to 0 while mapped", 0);
	check(flushes() - before == (wl_on_flushlab() ? 1 : 0), "one shmem_unmap flush",
	      flushes() - before);
	check(ftruncate(fd, NPAGES * PAGE_SIZE) == 0, "grow back", 0);
	check(p[0] == 0 && p[PAGE_SIZE + 5] == 0, "the mapping now reads the new zero pages",
	      p[PAGE_SIZE + 5]);
	p[3 * PAGE_SIZE] = 'x';
	before = flushes();
	check(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 3 * PAGE_SIZE, PAGE_SIZE) ==
		  0,
	      "punch the mapped page 3", 0);
	check(flushes() - before == (wl_on_flushlab() ? 1 : 0), "punch: one flush",
	      flushes() - before);
	check(p[3 * PAGE_SIZE] == 0, "a punched page reads 0 through the mapping",
	      p[3 * PAGE_SIZE]);
	p[2 * PAGE_SIZE] = 'r';
	before = flushes();
	check(madvise(p + 2 * PAGE_SIZE, PAGE_SIZE, MADV_REMOVE) == 0, "MADV_REMOVE of page 2", 0);
	check(flushes() - before == (wl_on_flushlab() ? 1 : 0), "MADV_REMOVE: one flush",
	      flushes() - before);
	check(p[2 * PAGE_SIZE] == 0 && pread(fd, &c, 1, 2 * PAGE_SIZE) == 1 && c == 0,
	      "MADV_REMOVE freed the file's page: 0 in the mapping and the file", c);
	check(munmap(p, NPAGES * PAGE_SIZE) == 0, "munmap", 0);
	before = flushes();
	check(ftruncate(fd, 0) == 0 && flushes() == before,
	      "truncate of an unmapped file: no flush", flushes() - before);
	close(fd);
}

/* A shared mapping of a read-only fd may not become writable (Linux: EACCES). */
static void test_readonly_fd(void)
{
	int fd = open("/dev/shm/vfs_mmap_ro", O_RDWR | O_CREAT | O_TRUNC, 0600);
	uint8_t *q;

	check(fd >= 0 && ftruncate(fd, PAGE_SIZE) == 0, "a file to map read-only", fd);
	close(fd);
	fd = open("/dev/shm/vfs_mmap_ro", O_RDONLY);
	q = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	check(!IS_ERR_PTR(q) && mprotect(q, PAGE_SIZE, PROT_READ | PROT_WRITE) == -EACCES,
	      "mprotect(PROT_WRITE) of a shared mapping of a read-only fd is EACCES", 0);
	if (!IS_ERR_PTR(q))
		munmap(q, PAGE_SIZE);
	close(fd);
	unlink("/dev/shm/vfs_mmap_ro");
}

static void test_private(void)
{
	int fd = memfd_create("private", 0);
	uint8_t *priv, *shared;
	int pipefd[2];
	char c = 0;

	check(fd >= 0 && pwrite(fd, "file", 4, 0) == 4, "memfd with data", fd);
	priv = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	shared = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	check(!IS_ERR_PTR(priv) && !IS_ERR_PTR(shared), "mmap MAP_PRIVATE and MAP_SHARED", 0);
	if (IS_ERR_PTR(priv) || IS_ERR_PTR(shared))
		return;
	check(priv[0] == 'f', "a private mapping reads the file", priv[0]);
	pwrite(fd, "F", 1, 0);
	check(priv[0] == 'F', "before its first write it still shows the file", priv[0]);
	priv[1] = 'I';
	check(pread(fd, &c, 1, 1) == 1 && c == 'i', "a private write stays out of the file", c);
	check(shared[1] == 'i' && priv[1] == 'I' && priv[0] == 'F', "its own copy now", priv[1]);
	pwrite(fd, "G", 1, 0);
	check(priv[0] == 'F', "after the copy the file's changes are not seen", priv[0]);
	check(madvise(priv, PAGE_SIZE, MADV_REMOVE) == -EACCES, "MADV_REMOVE of a private mapping",
	      0);
	check_mm("mm_check with a private copy and a shared file page");
	test_readonly_fd();
	c = (char)open("/dev/shm", O_RDONLY | O_DIRECTORY);
	check(mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, c, 0) == (void *)-EACCES,
	      "a shared writable mapping of a read-only fd is EACCES", 0);
	close(c);
	check(pipe2(pipefd, 0) == 0 &&
		  mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, pipefd[0], 0) == (void *)-ENODEV,
	      "a pipe cannot be mapped", 0);
	close(pipefd[0]);
	close(pipefd[1]);
	munmap(priv, PAGE_SIZE);
	munmap(shared, PAGE_SIZE);
	close(fd);
}

/*
 * fork of a private mapping that holds a file page and a private copy:
 * the child sees both, its writes (to the shared copy, and to a file page)
 * make copies of its own, and neither the parent nor the file sees them.
 */
static int private_fork_child(uint8_t *p, int fd)
{
	char c = 0;

	if (p[0] != 'a' || p[PAGE_SIZE] != 'P' || p[2 * PAGE_SIZE] != 'c')
		return 1;
	p[PAGE_SIZE] = 'C';	/* the copy fork shared: copied again */
	p[2 * PAGE_SIZE] = 'D'; /* a file page: copied */
	return pread(fd, &c, 1, 2 * PAGE_SIZE) == 1 && c == 'c' && p[PAGE_SIZE] == 'C' ? 0 : 2;
}

static void test_private_fork(void)
{
	int fd = memfd_create("private_fork", 0), status = -1;
	uint8_t *p;
	char c = 0;
	pid_t pid;

	check(fd >= 0 && ftruncate(fd, 3 * PAGE_SIZE) == 0 && pwrite(fd, "a", 1, 0) == 1 &&
		  pwrite(fd, "b", 1, PAGE_SIZE) == 1 && pwrite(fd, "c", 1, 2 * PAGE_SIZE) == 1,
	      "a memfd of 3 pages", fd);
	p = mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(!IS_ERR_PTR(p), "mmap MAP_PRIVATE of it", (long)p);
	if (IS_ERR_PTR(p))
		return;
	check(p[0] == 'a' && p[2 * PAGE_SIZE] == 'c', "file pages read through it", p[0]);
	p[PAGE_SIZE] = 'P'; /* page 1 becomes a private copy */
	pid = fork();
	if (pid == 0)
		exit(private_fork_child(p, fd));
	check(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0,
	      "fork: the child sees the file and the copy, and its writes are its own", status);
	check(p[PAGE_SIZE] == 'P' && p[2 * PAGE_SIZE] == 'c', "the parent does not see them",
	      p[PAGE_SIZE]);
	p[PAGE_SIZE] = 'Q'; /* ours alone again: reused in place */
	check(pread(fd, &c, 1, PAGE_SIZE) == 1 && c == 'b' && p[PAGE_SIZE] == 'Q',
	      "the file keeps its bytes", c);
	check_mm("mm_check after a fork of a private file mapping");
	munmap(p, 3 * PAGE_SIZE);
	close(fd);
}

/* A page of the mapping past the file's end: SIGBUS, as on Linux (not SIGSEGV). */
static void test_sigbus_past_end(void)
{
	int fd = memfd_create("short", 0), status = -1;
	uint8_t *p;
	pid_t pid;

	check(fd >= 0 && ftruncate(fd, PAGE_SIZE) == 0, "a memfd of 1 page", fd);
	p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(!IS_ERR_PTR(p), "a mapping of 2 pages of it", (long)p);
	if (IS_ERR_PTR(p))
		return;
	pid = fork();
	if (pid == 0) {
		p[0] = 1;
		p[PAGE_SIZE] = 1; /* past the end */
		exit(0);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid && (status & 0x7f) == SIGBUS,
	      "a store past the end of the file is SIGBUS", status);
	check(p[0] == 1, "the store before it is in the file", p[0]);
	munmap(p, 2 * PAGE_SIZE);
	close(fd);
}

static void test_unlinked_mapping(void)
{
	long before = vmstat_read("nr_shmem");
	int fd = open("/dev/shm/vfs_mmap_unlinked", O_RDWR | O_CREAT | O_EXCL, 0600);
	uint8_t *p;

	check(fd >= 0 && ftruncate(fd, PAGE_SIZE) == 0, "a file in /dev/shm", fd);
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(!IS_ERR_PTR(p), "map it", (long)p);
	close(fd);
	check(unlink("/dev/shm/vfs_mmap_unlinked") == 0, "close and unlink it", 0);
	if (IS_ERR_PTR(p))
		return;
	p[7] = 'u';
	check(p[7] == 'u', "the mapping still works: the file lives while mapped", p[7]);
	check(munmap(p, PAGE_SIZE) == 0, "munmap the last user", 0);
	if (wl_on_flushlab())
		check(vmstat_read("nr_shmem") == before, "its page is freed with the mapping",
		      vmstat_read("nr_shmem") - before);
	fd = open("/dev/shm/vfs_mmap_unlinked", O_RDONLY);
	check(fd == -ENOENT, "and the name is gone", fd);
}

/* vfs_mmap hold: map the shared file, mark it, keep it mapped until it is truncated. */
static int hold(void)
{
	int fd = open(SHARED_PATH, O_RDWR | O_CREAT, 0600);
	uint64_t deadline = now_ns() + 30000000000ULL; /* `two` never came: give up */
	struct stat st;
	uint8_t *p;

	if (fd < 0 || ftruncate(fd, PAGE_SIZE))
		return printf("vfs_mmap: FAIL hold: %s\n", errno_name(fd)), 1;
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (IS_ERR_PTR(p))
		return printf("vfs_mmap: FAIL hold: mmap %s\n", errno_name(PTR_ERR(p))), 1;
	p[0] = 'H'; /* mapped and in this CPU's TLB */
	printf("vfs_mmap: holding " SHARED_PATH "\n");
	do
		sched_yield();
	while (fstat(fd, &st) == 0 && st.st_size != 0 && now_ns() < deadline);
	if (st.st_size != 0)
		return printf("vfs_mmap: FAIL hold: no truncate came\n"), 1;
	printf("vfs_mmap: hold saw the truncate\n");
	return 0;
}

/* vfs_mmap two: with `hold` running, map the same file too and truncate it: two flushes. */
static int two(void)
{
	struct stat st = {0};
	int fd = -1;
	uint8_t *p = NULL;
	long before;

	for (int i = 0; i < 100000 && fd < 0; i++, sched_yield())
		fd = open(SHARED_PATH, O_RDWR);
	/* `hold` creates it empty, then sizes it: a page past the end is SIGBUS on Linux too */
	for (int i = 0; i < 100000 && fd >= 0 && st.st_size < (long)PAGE_SIZE; i++, sched_yield())
		fstat(fd, &st);
	if (fd >= 0)
		p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (fd < 0 || IS_ERR_PTR(p))
		return printf("vfs_mmap: FAIL two: no shared file\n"), 1;
	for (int i = 0; i < 100000 && p[0] != 'H'; i++)
		sched_yield();
	check(p[0] == 'H', "the other process's store is seen", p[0]);
	before = flushes();
	check(ftruncate(fd, 0) == 0, "truncate the file both map", 0);
	check(flushes() - before == (wl_on_flushlab() ? 2 : 0), "one flush per mm: two",
	      flushes() - before);
	unlink(SHARED_PATH);
	close(fd);
	if (failed)
		return printf("vfs_mmap: FAIL failed=%d of %d\n", failed, checks), 1;
	printf("vfs_mmap: ok two checks=%d\n", checks);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "hold"))
		return hold();
	if (argc > 1 && !strcmp(argv[1], "two"))
		return two();
	test_shared();
	test_private();
	test_private_fork();
	test_sigbus_past_end();
	test_unlinked_mapping();
	if (failed)
		return printf("vfs_mmap: FAIL failed=%d of %d\n", failed, checks), 1;
	printf("vfs_mmap: ok checks=%d\n", checks);
	return 0;
}
