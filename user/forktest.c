/*
 * forktest: processes, checked by their own counts. The same source runs
 * on Linux (where the flush counters of /proc/vmstat are flushlab's own,
 * those checks are skipped: say so).
 *   forktest cow [pages=N]  fork with N written pages: the child writes them
 *                           (N copy-on-write copies, N flushes), the parent
 *                           still reads its values, then writes them (N reuses,
 *                           no flush); one fork_wrprotect flush per fork
 *   forktest threads        the fork's write-protect flush reaches the parent's
 *                           thread on another CPU: one shootdown, received once
 *   forktest hang           three children spin, the parent waits: for Ctrl-C
 *   forktest shared         MAP_SHARED|MAP_ANONYMOUS: the child's writes (pages
 *                           the parent wrote and holes) are the parent's, no COW
 *   forktest zero           pages read before fork (the shared zero page): the
 *                           child's writes are zero-page breaks, not COW copies
 *   forktest thp            a THP at fork: split first (one thp_split flush), the
 *                           child's 512 writes are copies, the parent keeps its own
 *   forktest hugetlb        a private hugetlb mapping: fork refused (ENOSYS),
 *                           allowed after MADV_DONTFORK (needs a pooled huge page)
 *   forktest status         exit codes and signals through wait4 and waitid,
 *                           WNOHANG, ECHILD, getppid, orphans, execve, vfork
 *   forktest bomb [size=S]  every process forks until fork fails (EAGAIN or
 *                           ENOMEM); each writes S bytes of its parent's memory
 * Each prints one line ending in "ok", or FAIL lines, and exits 0 or 1.
 */
#include "ktap_check.h"
#include "ulib.h"
#include "usignal.h"

static bool flushlab; /* the kernel has flushlab's vmstat counters */

/* flushlab's invariant checker on this process: "ok", or why not (Linux: skipped). */
static bool mm_check_ok(void)
{
	char path[64], buf[256];

	if (!flushlab)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/mm_check", getpid());
	if (read_file(path, buf, sizeof(buf)) < 0 || strncmp(buf, "ok", 2)) {
		printf("forktest: %s: %s", path, buf);
		return false;
	}
	return true;
}

static long stat_of(const char *name)
{
	return flushlab ? vmstat_read(name) : 0;
}

/* The child of `cow`: write every page, count what that cost; exit 0 if all is right. */
static int cow_child(volatile uint64_t *mem, long pages)
{
	long cow0, copy0, cow1, copy1;
	int bad = 0;

	stat_of("tlb_flush_cow"); /* the first read copies the buffer's pages: not measured */
	cow0 = stat_of("tlb_flush_cow");
	copy0 = stat_of("cow_fault_copy");
	for (long i = 0; i < pages; i++)
		mem[i * 512] = 1000 + i;
	cow1 = stat_of("tlb_flush_cow");
	copy1 = stat_of("cow_fault_copy");
	for (long i = 0; i < pages; i++)
		bad += mem[i * 512] != (uint64_t)(1000 + i);
	bad += !mm_check_ok(); /* refcounts, mapcounts, read-only shared leaves */
	printf("forktest cow child: pages=%ld cow_flushes=%ld cow_copies=%ld%s\n", pages,
	       cow1 - cow0, copy1 - copy0, bad ? " (lost writes)" : "");
	if (flushlab && (cow1 - cow0 != pages || copy1 - copy0 != pages))
		bad++;
	return bad ? 1 : 0;
}

static void test_cow(long pages)
{
	size_t len = pages * PAGE_SIZE;
	volatile uint64_t *mem =
	    mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long wp0, wp1, reuse0, reuse1, cow0, cow1;
	int status = -1, bad = 0;
	pid_t pid;

	CHECK(!IS_ERR_PTR(mem), "mmap: %s", errno_name(PTR_ERR(mem)));
	if (IS_ERR_PTR(mem))
		return;
	madvise((void *)mem, len, MADV_NOHUGEPAGE); /* 4 KiB pages: one fault, one copy each */
	for (long i = 0; i < pages; i++)
		mem[i * 512] = i + 1;
	stat_of("tlb_flush_fork_wrprotect"); /* the buffer's pages are present from here */
	wp0 = stat_of("tlb_flush_fork_wrprotect");
	pid = fork_then_wait();
	if (pid == 0)
		exit(cow_child(mem, pages));
	wp1 = stat_of("tlb_flush_fork_wrprotect");
	CHECK(pid > 0, "fork: %s", errno_name(pid));
	CHECK(wait4(pid, &status, 0, NULL) == pid, "wait4 did not reap %d", pid);
	CHECK(status == 0, "child status %#x", status);
	for (long i = 0; i < pages; i++)
		bad += mem[i * 512] != (uint64_t)(i + 1);
	CHECK(!bad, "%d pages of the parent changed", bad);
	CHECK(mm_check_ok(), "the parent's mm_check");
	stat_of("tlb_flush_cow");
	reuse0 = stat_of("cow_fault_reuse");
	cow0 = stat_of("tlb_flush_cow");
	for (long i = 0; i < pages; i++)
		mem[i * 512] = 7;
	reuse1 = stat_of("cow_fault_reuse");
	cow1 = stat_of("tlb_flush_cow");
	if (flushlab) {
		CHECK(wp1 - wp0 == 1, "fork_wrprotect flushes %ld, want 1", wp1 - wp0);
		CHECK(reuse1 - reuse0 == pages, "parent reuses %ld, want %ld", reuse1 - reuse0,
		      pages);
		CHECK(cow1 - cow0 == 0, "parent cow flushes %ld, want 0", cow1 - cow0);
	}
	printf("forktest cow parent: pages=%ld fork_wrprotect_flushes=%ld cow_flushes=%ld "
	       "cow_reuses=%ld status=%d\n",
	       pages, wp1 - wp0, cow1 - cow0, reuse1 - reuse0, status);
	munmap((void *)mem, len);
}

static volatile int spinner_ready, spinner_stop;

/* The parent's second thread: on CPU 1, with the mm loaded, reading only. */
static int spinner(void *arg)
{
	pin_to_cpu(1);
	spinner_ready = 1;
	while (!spinner_stop)
		;
	return 0;
}

/*
 * A parent with a thread running on another CPU: the fork's write-protect
 * flush must reach that CPU (one shootdown, received once), or the thread
 * could keep writing a page the child now shares.
 */
static void test_threads(void)
{
	long rf0, rr0, wp0, rf1, rr1, wp1;
	struct thread *t;
	int status = -1;
	pid_t pid;

	if (nr_cpus() < 2) {
		printf("forktest threads: SKIP needs 2 CPUs\n");
		return;
	}
	pin_to_cpu(0);
	t = thread_create(spinner, NULL);
	CHECK(!IS_ERR_PTR(t), "thread_create");
	if (IS_ERR_PTR(t))
		return;
	while (!spinner_ready)
		;
	stat_of("nr_tlb_remote_flush");
	rf0 = stat_of("nr_tlb_remote_flush");
	rr0 = stat_of("nr_tlb_remote_flush_received");
	wp0 = stat_of("tlb_flush_fork_wrprotect");
	pid = fork_then_wait(); /* the child only exits: its flushes stay on its own CPU */
	if (pid == 0)
		exit(0);
	rf1 = stat_of("nr_tlb_remote_flush");
	rr1 = stat_of("nr_tlb_remote_flush_received");
	wp1 = stat_of("tlb_flush_fork_wrprotect");
	spinner_stop = 1;
	thread_join(t);
	CHECK(pid > 0 && wait4(pid, &status, 0, NULL) == pid && status == 0, "child %#x", status);
	if (flushlab)
		CHECK(rf1 - rf0 == 1 && rr1 - rr0 == 1 && wp1 - wp0 == 1,
		      "remote_flush %ld received %ld fork_wrprotect %ld, want 1 1 1", rf1 - rf0,
		      rr1 - rr0, wp1 - wp0);
	printf("forktest threads: remote_flush=%ld received=%ld fork_wrprotect=%ld\n", rf1 - rf0,
	       rr1 - rr0, wp1 - wp0);
}

/* The child of `shared`: write every page of the shared mapping, counting flushes. */
static int shared_child(volatile uint64_t *mem, long pages)
{
	long cow0, cow1;

	stat_of("tlb_flush_cow");
	cow0 = stat_of("tlb_flush_cow");
	for (long i = 0; i < pages; i++)
		mem[i * 512] = 2000 + i;
	cow1 = stat_of("tlb_flush_cow");
	printf("forktest shared child: pages=%ld cow_flushes=%ld\n", pages, cow1 - cow0);
	return (flushlab && cow1 != cow0) || !mm_check_ok();
}

/*
 * A MAP_SHARED mapping of a /tmp file survives fork too (will-it-scale's
 * results area is one): the child's VMA copies no leaf and faults the
 * file's pages in, so it sees what the parent wrote, and the parent sees
 * what the child wrote, with no copy-on-write.
 */
static void test_shared_file(long pages)
{
	char path[] = "/tmp/forktest_shared";
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600), status = -1, bad = 0;
	volatile uint64_t *mem;
	pid_t pid;

	CHECK(fd >= 0, "open(%s): %s", path, errno_name(fd < 0 ? -fd : 0));
	if (fd < 0)
		return;
	unlink(path); /* lives while open or mapped */
	CHECK(ftruncate(fd, pages * PAGE_SIZE) == 0, "ftruncate");
	mem = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	CHECK(!IS_ERR_PTR(mem), "mmap(MAP_SHARED, file): %s", errno_name(PTR_ERR(mem)));
	if (IS_ERR_PTR(mem))
		return;
	for (long i = 0; i < pages / 2; i++)
		mem[i * 512] = i + 1;
	pid = fork_then_wait();
	if (pid == 0) {
		for (long i = 0; i < pages / 2; i++)
			bad += mem[i * 512] != (uint64_t)(i + 1);
		exit(bad || shared_child(mem, pages));
	}
	CHECK(pid > 0 && wait4(pid, &status, 0, NULL) == pid && status == 0, "child %#x", status);
	for (long i = 0; i < pages; i++)
		bad += mem[i * 512] != (uint64_t)(2000 + i);
	CHECK(!bad, "%d file pages do not show the child's writes", bad);
	CHECK(mm_check_ok(), "the parent's mm_check");
	printf("forktest shared file: pages=%ld the parent sees the child's writes\n", pages);
	munmap((void *)mem, pages * PAGE_SIZE);
}

/*
 * MAP_SHARED | MAP_ANONYMOUS survives fork: parent and child map the same
 * pages, those the parent wrote before and the holes the child fills, with
 * no copy-on-write; MADV_DONTNEED drops only the parent's leaves.
 */
static void test_shared(void)
{
	const long pages = 16;
	volatile uint64_t *mem = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status = -1, bad = 0;
	pid_t pid;

	CHECK(!IS_ERR_PTR(mem), "mmap(MAP_SHARED|MAP_ANONYMOUS): %s", errno_name(PTR_ERR(mem)));
	if (IS_ERR_PTR(mem))
		return;
	for (long i = 0; i < pages / 2; i++)
		mem[i * 512] = i + 1; /* the other half stays holes until the child writes */
	pid = fork_then_wait();
	if (pid == 0)
		exit(shared_child(mem, pages));
	CHECK(pid > 0 && wait4(pid, &status, 0, NULL) == pid && status == 0, "child %#x", status);
	for (long i = 0; i < pages; i++)
		bad += mem[i * 512] != (uint64_t)(2000 + i);
	CHECK(!bad, "%d pages do not show the child's writes", bad);
	CHECK(madvise((void *)mem, pages * PAGE_SIZE, MADV_DONTNEED) == 0, "MADV_DONTNEED");
	for (long i = 0; i < pages; i++)
		bad += mem[i * 512] != (uint64_t)(2000 + i);
	CHECK(!bad, "%d pages lost after MADV_DONTNEED", bad);
	CHECK(mm_check_ok(), "the parent's mm_check");
	printf("forktest shared: pages=%ld the parent sees the child's writes\n", pages);
	munmap((void *)mem, pages * PAGE_SIZE);
	test_shared_file(pages);
}

#define HUGE (2UL << 20)

/* The child of `thp`: write every 4 KiB page of the (split) huge page. */
static int thp_child(volatile uint64_t *mem)
{
	long cow0, cow1;
	int bad = 0;

	stat_of("tlb_flush_cow");
	cow0 = stat_of("tlb_flush_cow");
	for (long i = 0; i < 512; i++)
		mem[i * 512] = 3000 + i;
	cow1 = stat_of("tlb_flush_cow");
	for (long i = 0; i < 512; i++)
		bad += mem[i * 512] != (uint64_t)(3000 + i);
	printf("forktest thp child: cow_flushes=%ld\n", cow1 - cow0);
	return bad || (flushlab && cow1 - cow0 != 512) || !mm_check_ok();
}

/*
 * A THP at fork: flushlab splits the parent's 2 MiB leaf first (one
 * thp_split flush; Linux copies the PMD and splits at the first write),
 * then shares the 512 pages copy-on-write.
 */
static void test_thp(void)
{
	char *raw =
	    mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile uint64_t *mem;
	long split0, split1, thp0;
	int status = -1, bad = 0;
	pid_t pid;

	CHECK(!IS_ERR_PTR(raw), "mmap");
	if (IS_ERR_PTR(raw))
		return;
	mem = (volatile uint64_t *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	madvise((void *)mem, HUGE, MADV_HUGEPAGE);
	thp0 = stat_of("thp_fault_alloc");
	for (long i = 0; i < 512; i++)
		mem[i * 512] = i + 1;
	if (flushlab && stat_of("thp_fault_alloc") == thp0) {
		printf("forktest thp: SKIP no huge page (THP off or none free)\n");
		munmap(raw, 2 * HUGE);
		return;
	}
	split0 = stat_of("tlb_flush_thp_split");
	pid = fork_then_wait();
	if (pid == 0)
		exit(thp_child(mem));
	split1 = stat_of("tlb_flush_thp_split");
	CHECK(pid > 0 && wait4(pid, &status, 0, NULL) == pid && status == 0, "child %#x", status);
	for (long i = 0; i < 512; i++)
		bad += mem[i * 512] != (uint64_t)(i + 1);
	CHECK(!bad, "%d pages of the parent changed", bad);
	CHECK(!flushlab || split1 - split0 == 1, "thp_split flushes at fork: %ld, want 1",
	      split1 - split0);
	CHECK(mm_check_ok(), "the parent's mm_check");
	printf("forktest thp: split at fork=%ld, parent's pages kept\n", split1 - split0);
	munmap(raw, 2 * HUGE);
}

/*
 * A private hugetlb mapping: fork is refused (ENOSYS, not implemented;
 * Linux copies huge pages on write), and works once MADV_DONTFORK keeps the
 * mapping out of the child. Needs a huge page in the pool.
 */
static void test_hugetlb(void)
{
	char *mem = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	int status = -1;
	pid_t pid;

	if (IS_ERR_PTR(mem)) {
		printf("forktest hugetlb: SKIP no huge page in the pool (%s)\n",
		       errno_name(PTR_ERR(mem)));
		return;
	}
	mem[0] = 1;
	pid = fork();
	if (pid == 0)
		exit(0);
	if (pid > 0)
		wait4(pid, &status, 0, NULL);
	CHECK(!flushlab || pid == -ENOSYS, "fork with a private hugetlb mapping: %s",
	      pid < 0 ? errno_name(pid) : "a child");
	CHECK(madvise(mem, HUGE, MADV_DONTFORK) == 0, "MADV_DONTFORK");
	pid = fork();
	if (pid == 0)
		exit(0);
	CHECK(pid > 0 && wait4(pid, &status, 0, NULL) == pid && status == 0,
	      "fork after MADV_DONTFORK: %s", pid < 0 ? errno_name(pid) : "ok");
	printf("forktest hugetlb: fork refused, then allowed with MADV_DONTFORK\n");
	munmap(mem, HUGE);
}

/* The child of `zero`: write pages that only the shared zero page maps. */
static int zero_child(volatile uint64_t *mem, long pages)
{
	long z0, z1, c0, c1;

	stat_of("tlb_flush_cow");
	z0 = stat_of("tlb_flush_zero_page_break");
	c0 = stat_of("tlb_flush_cow");
	for (long i = 0; i < pages; i++)
		mem[i * 512] = 9;
	z1 = stat_of("tlb_flush_zero_page_break");
	c1 = stat_of("tlb_flush_cow");
	printf("forktest zero child: pages=%ld zero_page_breaks=%ld cow_flushes=%ld\n", pages,
	       z1 - z0, c1 - c0);
	return (flushlab && (z1 - z0 != pages || c1 != c0)) || !mm_check_ok();
}

/*
 * Pages only read before fork map the shared zero page: fork copies those
 * leaves without a reference, and the child's writes are zero-page breaks,
 * not copy-on-write copies; the parent still reads zeros.
 */
static void test_zero(void)
{
	const long pages = 16;
	volatile uint64_t *mem = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status = -1, bad = 0;
	uint64_t sum = 0;
	pid_t pid;

	CHECK(!IS_ERR_PTR(mem), "mmap");
	if (IS_ERR_PTR(mem))
		return;
	madvise((void *)mem, pages * PAGE_SIZE, MADV_NOHUGEPAGE);
	for (long i = 0; i < pages; i++)
		sum += mem[i * 512]; /* read faults: the zero page */
	pid = fork_then_wait();
	if (pid == 0)
		exit(zero_child(mem, pages));
	CHECK(pid > 0 && wait4(pid, &status, 0, NULL) == pid && status == 0, "child %#x", status);
	for (long i = 0; i < pages; i++)
		bad += mem[i * 512] != 0;
	CHECK(!bad && !sum, "%d pages of the parent are not zero", bad);
	CHECK(mm_check_ok(), "the parent's mm_check");
	printf("forktest zero: pages=%ld the parent still reads zeros\n", pages);
	munmap((void *)mem, pages * PAGE_SIZE);
}

/* A child that ends as told: exit code, or a fault. */
static volatile int *volatile unmapped = (volatile int *)0xdead000UL;

static pid_t spawn_exit(int how)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (how < 0)
			*unmapped = 1; /* SIGSEGV */
		exit(how);
	}
	return pid;
}

static volatile int sigchld_count, sigchld_pid, sigchld_status;

static void on_sigchld(int sig, siginfo_t *info, void *uc)
{
	sigchld_count++;
	sigchld_pid = info->kill.pid;
	sigchld_status = (int)(info->raw[1] & 0xffffffff); /* si_status at offset 24 */
}

/* SIGCHLD comes with the child's pid and exit code in its siginfo. */
static void test_sigchld(void)
{
	uint64_t end = now_ns() + 1000000000ULL;
	int status = -1;
	pid_t pid;

	CHECK(signal_handler(17, on_sigchld, SA_RESTART) == 0, "sigaction(SIGCHLD)");
	pid = fork();
	if (pid == 0)
		exit(5);
	CHECK(wait4(pid, &status, 0, NULL) == pid && WEXITSTATUS(status) == 5, "status %#x",
	      status);
	while (!sigchld_count && now_ns() < end)
		sched_yield();
	CHECK(sigchld_count >= 1 && sigchld_pid == pid && sigchld_status == 5,
	      "SIGCHLD count %d pid %d (want %d) status %d", sigchld_count, sigchld_pid, pid,
	      sigchld_status);
}

static void test_exit_codes(void)
{
	int status = -1;
	pid_t a = spawn_exit(0), b = spawn_exit(42), c = spawn_exit(-1);

	CHECK(a > 0 && b > 0 && c > 0, "fork: %d %d %d", a, b, c);
	CHECK(wait4(b, &status, 0, NULL) == b && WIFEXITED(status) && WEXITSTATUS(status) == 42,
	      "exit(42): status %#x", status);
	CHECK(wait4(c, &status, 0, NULL) == c && WIFSIGNALED(status) && WTERMSIG(status) == 11,
	      "SIGSEGV: status %#x", status);
	CHECK(wait4(-1, &status, 0, NULL) == a && status == 0, "exit(0): status %#x", status);
	CHECK(wait4(-1, &status, 0, NULL) == -ECHILD, "no child left: not ECHILD");
	CHECK(wait4(-1, &status, 0x4000, NULL) == -EINVAL, "unknown option: not EINVAL");
}

/* A child that sleeps a little: WNOHANG sees it alive, then waitid reaps it. */
static void test_wnohang_waitid(void)
{
	int info[32], status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		uint64_t end = now_ns() + 50000000ULL;

		while (now_ns() < end)
			sched_yield();
		exit(7);
	}
	CHECK(wait4(pid, &status, WNOHANG, NULL) == 0, "WNOHANG on a running child");
	memset(info, 0xff, sizeof(info));
	CHECK(waitid(P_PID, pid, info, WEXITED) == 0, "waitid");
	CHECK(info[0] == 17 && info[2] == 1 && info[4] == pid && info[6] == 7,
	      "siginfo signo %d code %d pid %d status %d", info[0], info[2], info[4], info[6]);
	CHECK(wait4(pid, &status, WNOHANG, NULL) == -ECHILD, "reaped by waitid: not ECHILD");
}

/* getppid in a child; an orphan's parent is gone: getppid 0 (Linux: init's pid). */
static void test_parents(void)
{
	int status = -1;
	pid_t me = getpid(), pid = fork();

	if (pid == 0) {
		pid_t grandchild, child = getpid();

		if (getppid() != me)
			exit(1);
		grandchild = fork();
		if (grandchild == 0) {
			pid_t p = getpid(), parent = child;
			uint64_t end = now_ns() + 2000000000ULL;

			while (getppid() == parent && now_ns() < end)
				sched_yield(); /* until the child is gone: Linux says 1, flushlab 0
						*/
			printf("forktest orphan %d: getppid %d\n", p, getppid());
			exit(0);
		}
		exit(grandchild > 0 ? 0 : 2); /* the grandchild becomes an orphan */
	}
	CHECK(wait4(pid, &status, 0, NULL) == pid && status == 0, "child status %#x", status);
}

static const char *hello_path = "/bin/hello"; /* hello=PATH: where it is on Linux */

/* execve of hello from a fork and from a vfork; a missing file is ENOENT. */
static void test_exec(void)
{
	char *argv[] = {(char *)hello_path, "from", "exec", NULL};
	char *envp[] = {"FORKTEST=1", NULL};
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		execve(hello_path, argv, envp);
		exit(99);
	}
	CHECK(wait4(pid, &status, 0, NULL) == pid && status == 0, "exec child status %#x", status);
	pid = vfork();
	if (pid == 0) {
		execve(hello_path, argv, envp);
		exit(99); /* exit_group: no C library state to flush */
	}
	CHECK(pid > 0 && wait4(pid, &status, 0, NULL) == pid && status == 0,
	      "vfork child status %#x", status);
	CHECK(execve("/bin/no-such-program", argv, envp) == -ENOENT, "execve: not ENOENT");
}

/* Every process forks until fork fails; each writes its copy of @mem. Returns the error. */
static long bomb(volatile char *mem, size_t size)
{
	long err = 0;
	int status;

	for (;;) {
		pid_t pid = fork();

		if (pid == 0) {
			for (size_t off = 0; off < size; off += PAGE_SIZE)
				mem[off]++; /* copy-on-write: memory runs out somewhere */
			continue;
		}
		if (pid < 0) {
			err = pid;
			break;
		}
	}
	while (wait4(-1, &status, 0, NULL) > 0)
		; /* every process ends after its children */
	return err;
}

static void test_bomb(size_t size)
{
	volatile char *mem =
	    mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t top = getpid();
	long err;

	CHECK(!IS_ERR_PTR(mem), "mmap");
	if (IS_ERR_PTR(mem))
		return;
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		mem[off] = 1;
	err = bomb(mem, size);
	if (getpid() != top)
		exit(0);
	CHECK(err == -EAGAIN || err == -ENOMEM, "fork failed with %s", errno_name(err));
	printf("forktest bomb: size=%lu fork failed with %s\n", (unsigned long)size,
	       errno_name(err));
	munmap((void *)mem, size);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "cow";
	const char *v;
	uint64_t n = 64;

	flushlab = vmstat_read("tlb_flush_cow") >= 0;
	if (!flushlab)
		printf("forktest: no tlb_flush_cow in /proc/vmstat (not flushlab): counts not "
		       "checked\n");
	if (!strcmp(mode, "cow")) {
		if ((v = arg_value(argc, argv, "pages")) && parse_size(v, &n))
			n = 0;
		CHECK(n > 0 && n <= 65536, "pages=%s", v);
		if (n > 0 && n <= 65536)
			test_cow((long)n);
	} else if (!strcmp(mode, "status")) {
		if (arg_value(argc, argv, "hello"))
			hello_path = arg_value(argc, argv, "hello");
		test_exit_codes();
		test_sigchld();
		test_wnohang_waitid();
		test_parents();
		test_exec();
	} else if (!strcmp(mode, "hang")) {
		for (int i = 0; i < 3; i++)
			if (fork() == 0)
				for (;;)
					sched_yield(); /* until Ctrl-C reaches the whole group */
		printf("forktest hang: 3 children spin; Ctrl-C ends them all\n");
		while (wait4(-1, NULL, 0, NULL) > 0)
			;
	} else if (!strcmp(mode, "threads")) {
		test_threads();
	} else if (!strcmp(mode, "shared")) {
		test_shared();
	} else if (!strcmp(mode, "zero")) {
		test_zero();
	} else if (!strcmp(mode, "thp")) {
		test_thp();
	} else if (!strcmp(mode, "hugetlb")) {
		test_hugetlb();
	} else if (!strcmp(mode, "bomb")) {
		n = 1 << 20;
		if ((v = arg_value(argc, argv, "size")) && parse_size(v, &n))
			n = 0;
		CHECK(n > 0, "size=%s", v);
		if (n)
			test_bomb(n);
	} else {
		printf("usage: forktest cow [pages=N] | threads | shared | zero | thp | hugetlb | "
		       "status "
		       "| bomb [size=S]\n");
		return 2;
	}
	printf("forktest %s: %s\n", mode, nr_failed ? "FAIL" : "ok");
	return nr_failed ? 1 : 0;
}
