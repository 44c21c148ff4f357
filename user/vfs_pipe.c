/*
 * vfs_pipe: pipes and poll as Linux answers them. pipe2's flags
 * (O_CLOEXEC, O_NONBLOCK: EAGAIN), 1 MiB streamed through the 64 KiB pipe
 * between two threads (the writer blocks on a full pipe, the reader on an
 * empty one), end of file once the writer closes, EPIPE once the reader
 * has (SIGPIPE is ignored first, so Linux returns EPIPE too), and poll's
 * readiness on pipe ends, a tmpfs file, the console and a closed fd,
 * with a poll that sleeps until another thread writes, and ppoll's
 * signal mask held for the call only; a read interrupted by a handled
 * signal is restarted under SA_RESTART, else EINTR. One line per
 * failed check, then "vfs_pipe: ok checks=N" or "vfs_pipe: FAIL ...".
 * `vfs_pipe block` sleeps in read and poll until killed.
 */
#include "syscall.h"
#include "ulib.h"
#include "usignal.h"

#define CHECK_NAME "vfs_pipe"
#include "check_got.h"

#define STREAM_BYTES (1L << 20)

static int pfd[2];
static volatile int poller_state;

/* The byte at stream offset @i: a pattern a lost or doubled chunk breaks. */
static uint8_t pattern(long i)
{
	return (uint8_t)(i * 7 + (i >> 12));
}

static int stream_writer(void *arg)
{
	uint8_t buf[3000]; /* not a divisor of the pipe size: chunks straddle the wrap */
	long sent = 0;

	while (sent < STREAM_BYTES) {
		long n = STREAM_BYTES - sent < (long)sizeof(buf) ? STREAM_BYTES - sent
								 : (long)sizeof(buf),
		     w;

		for (long i = 0; i < n; i++)
			buf[i] = pattern(sent + i);
		w = write(pfd[1], buf, (size_t)n);
		if (w <= 0)
			return 1;
		sent += w;
	}
	close(pfd[1]);
	return 0;
}

static void test_stream(void)
{
	static uint8_t buf[5000];
	struct thread *w;
	long got = 0, n, bad = 0;

	check(pipe2(pfd, 0) == 0, "pipe2", 0);
	w = thread_create(stream_writer, NULL);
	check(!IS_ERR_PTR(w), "writer thread", 0);
	if (IS_ERR_PTR(w))
		return;
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++)
			bad += buf[i] != pattern(got + i);
		got += n;
	}
	check(thread_join(w) == 0, "the writer wrote everything", 0);
	check(n == 0, "read returns 0 (end of file) once the writer closed", n);
	check(got == STREAM_BYTES && bad == 0, "1 MiB through the pipe, in order", got);
	close(pfd[0]);
}

static int poller(void *arg)
{
	struct pollfd p = {pfd[0], POLLIN, 0};
	int n;

	poller_state = 1;
	n = poll(&p, 1, -1); /* sleeps until the main thread writes */
	poller_state = 2;
	return n == 1 && (p.revents & POLLIN) ? 0 : 1;
}

static volatile int usr1_handled;

static void on_usr1(int sig, siginfo_t *info, void *uc)
{
	usr1_handled++;
}

static bool usr1_blocked(void)
{
	ksigset_t now = 0;

	return sigprocmask(SIG_BLOCK, NULL, &now) == 0 && (now & sigbit(SIGUSR1));
}

/*
 * ppoll's mask holds for the call only: a SIGUSR1 pending but blocked
 * stays pending through a ppoll whose mask blocks it too (the timeout
 * ends it), and ends at once (EINTR, its handler run) a ppoll whose mask
 * lets it in; after either, the process mask blocks it again.
 */
static void test_ppoll_mask(void)
{
	ksigset_t block = sigbit(SIGUSR1), none = 0;
	struct timespec ten_ms = {0, 10000000};
	int fds[2] = {-1, -1};
	struct pollfd p;

	check(pipe2(fds, 0) == 0, "a pipe to poll", 0);
	p = (struct pollfd){fds[0], POLLIN, 0};

	check(signal_handler(SIGUSR1, on_usr1, 0) == 0 &&
		  sigprocmask(SIG_BLOCK, &block, NULL) == 0 && kill(getpid(), SIGUSR1) == 0,
	      "SIGUSR1 blocked and pending", 0);
	check(ppoll(&p, 1, &ten_ms, &block) == 0 && usr1_handled == 0,
	      "ppoll with SIGUSR1 in its mask times out", usr1_handled);
	check(ppoll(&p, 1, &ten_ms, &none) == -EINTR && usr1_handled == 1,
	      "ppoll with an empty mask: EINTR, the handler ran", usr1_handled);
	check(usr1_blocked(), "the process mask is back after ppoll", 0);
	check(ppoll(&p, 1, &ten_ms, (const ksigset_t *)8) == -EFAULT, "a bad mask is EFAULT", 0);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	close(fds[0]);
	close(fds[1]);
}

static int restart_fds[2];
static volatile long reader_got;
static volatile int reader_tid;

static int blocked_reader(void *arg)
{
	char c = 0;

	reader_tid = gettid();
	reader_got = read(restart_fds[0], &c, 1);
	return 0;
}

/*
 * A read sleeping on an empty pipe, interrupted by a handled signal: made
 * again after a SA_RESTART handler (it then gets the byte written later),
 * EINTR after one without it, as on Linux (-ERESTARTSYS).
 */
static void test_read_restart(unsigned long flags, long want, const char *what)
{
	struct thread *t;

	reader_got = 0;
	reader_tid = 0;
	check(pipe2(restart_fds, 0) == 0 && signal_handler(SIGUSR1, on_usr1, flags) == 0,
	      "a pipe and a SIGUSR1 handler", 0);
	t = thread_create(blocked_reader, NULL);
	while (!reader_tid)
		sched_yield();
	/*
	 * A signal that lands before the read sleeps ends nothing: without
	 * SA_RESTART, send again until the read has ended. With it, one is
	 * enough: the read must not end.
	 */
	for (int i = 0; i < 50; i++) {
		int seen = usr1_handled;

		sleep_ms(20);
		if (reader_got || tgkill(getpid(), reader_tid, SIGUSR1))
			break; /* the read ended (the thread may be gone) */
		while (usr1_handled == seen && !reader_got)
			sched_yield();
		if (flags & SA_RESTART)
			break;
	}
	sleep_ms(20); /* an EINTR, or the restarted read asleep again */
	check(write(restart_fds[1], "r", 1) == 1, "write the byte", 0);
	check(!IS_ERR_PTR(t) && thread_join(t) == 0 && reader_got == want, what, reader_got);
	close(restart_fds[0]);
	close(restart_fds[1]);
}

static void test_poll(void)
{
	struct pollfd p[4];
	struct thread *t;
	uint64_t t0;
	char c = 'x';
	int tfd = memfd_create("poll", 0);

	check(pipe2(pfd, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2 O_NONBLOCK|O_CLOEXEC", 0);
	check(fcntl(pfd[0], F_GETFD, 0) == FD_CLOEXEC && fcntl(pfd[1], F_GETFD, 0) == FD_CLOEXEC,
	      "both ends close on exec", 0);
	check((fcntl(pfd[0], F_GETFL, 0) & O_NONBLOCK) != 0, "O_NONBLOCK in F_GETFL", 0);
	check(read(pfd[0], &c, 1) == -EAGAIN, "empty non-blocking read is EAGAIN", 0);
	check(lseek(pfd[0], 0, SEEK_SET) == -ESPIPE, "lseek on a pipe is ESPIPE", 0);
	check(pread(pfd[0], &c, 1, 0) == -ESPIPE, "pread on a pipe is ESPIPE", 0);
	p[0] = (struct pollfd){pfd[0], POLLIN, 0};
	p[1] = (struct pollfd){pfd[1], POLLOUT, 0};
	p[2] = (struct pollfd){tfd, POLLIN | POLLOUT, 0};
	p[3] = (struct pollfd){1, POLLOUT, 0};
	check(poll(p, 4, 0) == 3, "poll: write end, tmpfs file, console ready", 0);
	check(p[0].revents == 0 && p[1].revents == POLLOUT && p[2].revents == (POLLIN | POLLOUT) &&
		  p[3].revents == POLLOUT,
	      "poll revents", p[0].revents | p[1].revents << 8);
	t0 = now_ns();
	check(poll(p, 1, 30) == 0 && now_ns() - t0 >= 30000000,
	      "a timed poll of an empty pipe times out, after its 30 ms", 0);
	fcntl(pfd[0], F_SETFL, 0); /* the poller's read end blocks */
	t = thread_create(poller, NULL);
	while (!poller_state)
		sched_yield();
	for (int i = 0; i < 20; i++)
		sched_yield(); /* give it time to go to sleep; correct either way */
	check(poller_state == 1, "poll sleeps while nothing is ready", poller_state);
	check(write(pfd[1], &c, 1) == 1, "write one byte", 0);
	check(!IS_ERR_PTR(t) && thread_join(t) == 0, "the write woke the sleeping poll", 0);
	check(poll(p, 1, 0) == 1 && p[0].revents == POLLIN, "POLLIN with a byte in", 0);
	close(pfd[1]);
	check(poll(p, 1, 0) == 1 && p[0].revents == (POLLIN | POLLHUP),
	      "POLLHUP once the writer closed", p[0].revents);
	check(read(pfd[0], &c, 1) == 1 && read(pfd[0], &c, 1) == 0, "the byte, then EOF", 0);
	close(pfd[0]);
	p[0] = (struct pollfd){pfd[0], POLLIN, 0};
	check(poll(p, 1, 0) == 1 && p[0].revents == POLLNVAL, "a closed fd is POLLNVAL", 0);
	p[0].fd = -1;
	check(poll(p, 1, 0) == 0 && p[0].revents == 0, "a negative fd is skipped", 0);
	close(tfd);
}

static void test_epipe(void)
{
	struct pollfd p;
	char c = 'x';

	check(pipe2(pfd, 0) == 0, "pipe2 for EPIPE", 0);
	close(pfd[0]);
	check(write(pfd[1], &c, 1) == -EPIPE, "write with no reader is EPIPE", 0);
	p = (struct pollfd){pfd[1], POLLOUT, 0};
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLERR), "POLLERR with no reader", p.revents);
	close(pfd[1]);
	check(pipe2(pfd, 0x40) == -EINVAL, "pipe2 with an unknown flag is EINVAL", 0);
}

static int block_poller(void *arg)
{
	struct pollfd p = {pfd[0], POLLIN, 0};

	return poll(&p, 1, -1); /* never ready: ends only with the process */
}

/*
 * vfs_pipe block: one thread asleep in poll and one in read on a pipe
 * nobody writes, for a kill to end (the kernel must wake both).
 */
static int block_forever(void)
{
	char c;

	if (pipe2(pfd, 0) || IS_ERR_PTR(thread_create(block_poller, NULL)))
		return printf("vfs_pipe: FAIL cannot set up\n"), 1;
	printf("vfs_pipe: blocking in read and poll\n");
	return (int)read(pfd[0], &c, 1);
}

int main(int argc, char **argv)
{
	long act[4] = {(long)SIG_IGN, 0, 0, 0};

	if (argc > 1 && !strcmp(argv[1], "block"))
		return block_forever();
	/* Both kernels send SIGPIPE with EPIPE: ignore it, so the test sees EPIPE. */
	__syscall4(13 /* rt_sigaction */, SIGPIPE, (long)act, 0, 8);
	test_stream();
	test_poll();
	test_ppoll_mask();
	test_read_restart(SA_RESTART, 1, "SA_RESTART: the read is made again and gets the byte");
	test_read_restart(0, -EINTR, "no SA_RESTART: the read is EINTR");
	test_epipe();
	if (failed)
		return printf("vfs_pipe: FAIL failed=%d of %d\n", failed, checks), 1;
	printf("vfs_pipe: ok checks=%d\n", checks);
	return 0;
}
