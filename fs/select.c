/*
 * poll and ppoll (Linux's fs/select.c do_poll): each pass asks every
 * file's poll operation for its ready events; the first pass also puts an
 * entry on each wait queue a file names (poll_wait), so a change after
 * the pass wakes the caller (fs/wait.c argues why none is lost). A
 * negative fd is skipped, a closed one is POLLNVAL. A timed poll with
 * nothing ready yields its CPU until the deadline (user tasks have no
 * timer to sleep on yet: TODO, now that task/hrtimer.h is in), an untimed
 * one sleeps; a signal ends either with -EINTR. ppoll's signal mask is
 * not applied yet (TODO: swap it in around the sleep, as rt_sigsuspend).
 */
#include "arch/x86_64/uaccess.h"
#include "fs/fs.h"
#include "fs/internal.h"
#include "fs/wait.h"
#include "kernel/platform.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"

#define POLL_MAX_FDS NR_OPEN /* Linux: RLIMIT_NOFILE */
#define POLL_MAX_ENTRIES 64  /* wait-queue entries one poll may hold */
#define NO_TIMEOUT UINT64_MAX

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
	bool sleeps = deadline_ns == NO_TIMEOUT;
	long count, err = 0;

	if (nfds > POLL_MAX_FDS)
		return -EINVAL;
	if (copy_from_user(fds, ufds, nfds * sizeof(fds[0])))
		return -EFAULT;
	/* The first pass of a sleeping poll joins the queues; a pipe end names one: never full. */
	count = poll_pass(fds, nfds, sleeps ? &table : NULL);
	while (!count && !err) {
		if (!sleeps && clock_ns() >= deadline_ns)
			break;
		if (signal_pending(current))
			err = -EINTR;
		else if (sleeps)
			err = wait_woken(table.entries, table.n);
		else
			schedule(); /* no timer: yield and look again */
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

long sys_ppoll(struct trap_frame *r)
{
	uint64_t ts[2];

	if (!r->rdx)
		return do_poll(r->rdi, r->rsi, NO_TIMEOUT);
	if (copy_from_user(ts, r->rdx, sizeof(ts)))
		return -EFAULT;
	if ((int64_t)ts[0] < 0 || ts[1] >= 1000000000)
		return -EINVAL;
	return do_poll(r->rdi, r->rsi, clock_ns() + ts[0] * 1000000000 + ts[1]);
}
