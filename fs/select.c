/*
 * poll and ppoll (Linux's fs/select.c do_poll): each pass asks every
 * file's poll operation for its ready events; the first pass also puts an
 * entry on each wait queue a file names (poll_wait), so a change after
 * the pass wakes the caller (fs/wait.c argues why none is lost). A
 * negative fd is skipped, a closed one is POLLNVAL. With nothing ready
 * the caller sleeps until a queue wakes it, its deadline passes (the tick
 * wakes it: task/hrtimer.c), or a signal comes (-EINTR). ppoll blocks its
 * signal mask for the call, as rt_sigsuspend does (Linux's
 * set_user_sigmask), and leaves the old one for signal delivery to put
 * back when a signal ended it.
 */
#include "arch/x86_64/uaccess.h"
#include "fs/fs.h"
#include "fs/internal.h"
#include "fs/wait.h"
#include "kernel/platform.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "task/hrtimer.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"

#define POLL_MAX_FDS NR_OPEN /* Linux: RLIMIT_NOFILE */
#define POLL_MAX_ENTRIES 64  /* wait-queue entries one poll may hold */
#define NO_TIMEOUT WAIT_FOREVER

struct poll_table {
	struct wait_queue_entry entries[POLL_MAX_ENTRIES];
	int n;
};

void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table *pt)
{
	if (!pt || pt->n == POLL_MAX_ENTRIES)
		return; /* a later pass, or full: those files are looked at each pass */
	add_wait_queue(wq, &pt->entries[pt->n++]);
}

/* One pass: the revents of every pollfd written back; returns how many are non-zero. */
static long poll_pass(struct pollfd *fds, unsigned long nfds, struct poll_table *pt)
{
	long count = 0;

	for (unsigned long i = 0; i < nfds; i++) {
		struct file *f;
		unsigned int mask;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fget(current, fds[i].fd);
		if (!f) {
			mask = POLLNVAL;
		} else {
			mask = f->f_op->poll ? f->f_op->poll(f, pt)
					     : POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
			mask &= (unsigned int)(uint16_t)fds[i].events | POLLERR | POLLHUP;
			fput(f);
		}
		fds[i].revents = (short)mask;
		count += mask != 0;
	}
	return count;
}

static long do_poll(uintptr_t ufds, unsigned long nfds, uint64_t deadline_ns)
{
	struct pollfd fds[POLL_MAX_FDS];
	struct poll_table table = {.n = 0};
	long count, err = 0;

	if (nfds > POLL_MAX_FDS)
		return -EINVAL;
	if (copy_from_user(fds, ufds, nfds * sizeof(fds[0])))
		return -EFAULT;
	/* The first pass of a poll that may sleep joins the queues; a pipe end names one. */
	count = poll_pass(fds, nfds, deadline_ns > clock_ns() ? &table : NULL);
	while (!count && !err && clock_ns() < deadline_ns) {
		err = wait_woken_until(table.entries, table.n, deadline_ns);
		if (!err)
			count = poll_pass(fds, nfds, NULL);
	}
	for (int i = 0; i < table.n; i++)
		remove_wait_queue(&table.entries[i]);
	if (err)
		return err;
	for (unsigned long i = 0; i < nfds; i++)
		if (copy_to_user(ufds + i * sizeof(fds[0]) + offsetof(struct pollfd, revents),
				 &fds[i].revents, sizeof(short)))
			return -EFAULT;
	return count;
}

long sys_poll(struct trap_frame *r)
{
	int ms = (int)r->rdx;

	return do_poll(r->rdi, r->rsi, ms < 0 ? NO_TIMEOUT : clock_ns() + (uint64_t)ms * 1000000);
}

/* A ppoll timeout as a deadline: 0, -EFAULT or -EINVAL. */
static long ppoll_deadline(uintptr_t uts, uint64_t *deadline_ns)
{
	uint64_t ns;
	int err;

	*deadline_ns = NO_TIMEOUT;
	if (!uts)
		return 0;
	err = get_timespec_ns(uts, &ns); /* capped far below overflow */
	if (!err)
		*deadline_ns = clock_ns() + ns;
	return err;
}

long sys_ppoll(struct trap_frame *r)
{
	uint64_t deadline;
	long ret = ppoll_deadline(r->rdx, &deadline);

	if (!ret)
		ret = set_user_sigmask(r->r10, r->r8);
	if (ret)
		return ret;
	ret = do_poll(r->rdi, r->rsi, deadline);
	restore_saved_sigmask_unless(ret == -EINTR);
	return ret;
}
