/*
 * Wait queues (Linux's wait_queue_head and wait_queue_entry), for the
 * sleeps fs/ needs: a pipe reader waiting for data, a writer for room,
 * poll for any of its files. An entry lives on the sleeper's kernel stack.
 * A sleep ends on a wake_up of its queue or a signal for it (signal_pending:
 * a pending unblocked signal, or a kill), with -EINTR then.
 */
#ifndef FS_WAIT_H
#define FS_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/spinlock.h"
#include "mm/list.h"

struct task_struct;

struct wait_queue_head {
	struct spinlock lock;
	struct list_head head;
};

struct wait_queue_entry {
	struct task_struct *task;
	struct wait_queue_head *wq;
	struct list_head entry;
	bool woken; /* set by wake_up before it wakes the task */
};

void init_waitqueue_head(struct wait_queue_head *wq);
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e);
void remove_wait_queue(struct wait_queue_entry *e);

/* Wake every task waiting on @wq (they look at their condition again). */
void wake_up(struct wait_queue_head *wq);

/*
 * Sleep until an entry of the caller's (on any queue) is woken or a signal
 * is pending for it (signal_pending, a kill included); clears the woken
 * flags of @entries. The caller adds its entries before it checks its
 * condition, so a wake after the check is not lost (the flag is seen).
 * Returns -EINTR if a signal is pending, else 0.
 */
int wait_woken(struct wait_queue_entry *entries, int n);

#define WAIT_FOREVER UINT64_MAX
/* wait_woken, and the sleep also ends when clock_ns() reaches @deadline_ns (0 then). */
int wait_woken_until(struct wait_queue_entry *entries, int n, uint64_t deadline_ns);

#endif
