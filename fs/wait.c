/*
 * Wait queues (fs/wait.h). The lost-wakeup argument: a sleeper adds its
 * entry, checks its condition, then sets TASK_INTERRUPTIBLE and reads its
 * woken flags; a waker changes the condition, sets the flag (under the
 * queue lock) and calls wake_up_task, which reads the state under the run
 * queue lock. Each side stores, then loads the other's variable, with a
 * full barrier between (the sleeper's mfence, the waker's LOCKed lock
 * acquisition: SDM vol. 3A 9.2.3.4, loads may pass earlier stores only
 * without one), so one of them sees the other: either the sleeper sees
 * the flag and does not sleep, or the waker sees INTERRUPTIBLE and wakes it.
 */
#include "fs/fs.h"
#include "fs/wait.h"
#include "lib/errno.h"
#include "kernel/platform.h"
#include "lib/kernel.h"
#include "task/hrtimer.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"

/* Every queue with sleepers, for fs_wake_killed: a short list, walked on a kill. */
static struct spinlock sleepers_lock;
static struct list_head sleepers = LIST_HEAD_INIT(sleepers);

struct sleeper {
	struct list_head node;
	struct task_struct *task;
};

void init_waitqueue_head(struct wait_queue_head *wq)
{
	wq->lock = (struct spinlock)__SPINLOCK_UNLOCKED;
	INIT_LIST_HEAD(&wq->head);
}

void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	e->task = current;
	e->wq = wq;
	e->woken = false;
	spin_lock(&wq->lock);
	list_add_tail(&e->entry, &wq->head);
	spin_unlock(&wq->lock);
}

void remove_wait_queue(struct wait_queue_entry *e)
{
	spin_lock(&e->wq->lock);
	list_del(&e->entry);
	spin_unlock(&e->wq->lock);
}

void wake_up(struct wait_queue_head *wq)
{
	struct wait_queue_entry *e;

	spin_lock(&wq->lock);
	list_for_each_entry (e, &wq->head, entry) {
		WRITE_ONCE(e->woken, true);
		wake_up_task(e->task);
	}
	spin_unlock(&wq->lock);
}

static bool any_woken(struct wait_queue_entry *entries, int n)
{
	for (int i = 0; i < n; i++)
		if (READ_ONCE(entries[i].woken))
			return true;
	return false;
}

int wait_woken_until(struct wait_queue_entry *entries, int n, uint64_t deadline_ns)
{
	struct task_struct *t = current;
	struct sleeper s = {.task = t};

	spin_lock(&sleepers_lock);
	list_add_tail(&s.node, &sleepers);
	spin_unlock(&sleepers_lock);
	WRITE_ONCE(t->state, TASK_INTERRUPTIBLE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the state store before the flag loads */
	if (any_woken(entries, n) || signal_pending(t))
		; /* no sleep */
	else if (deadline_ns == WAIT_FOREVER)
		schedule(); /* back when woken, or by signal_wake_up */
	else if (clock_ns() < deadline_ns)
		schedule_hrtimeout(deadline_ns); /* or by the tick at the deadline */
	WRITE_ONCE(t->state, TASK_RUNNING);	 /* not slept: a racing waker writes the same */
	spin_lock(&sleepers_lock);
	list_del(&s.node);
	spin_unlock(&sleepers_lock);
	for (int i = 0; i < n; i++)
		WRITE_ONCE(entries[i].woken, false);
	return signal_pending(t) ? -EINTR : 0;
}

int wait_woken(struct wait_queue_entry *entries, int n)
{
	return wait_woken_until(entries, n, WAIT_FOREVER);
}

void fs_wake_killed(struct task_struct *leader)
{
	struct sleeper *s;

	spin_lock(&sleepers_lock);
	list_for_each_entry (s, &sleepers, node) {
		if (s->task->group_leader == leader)
			wake_up_task(s->task);
	}
	spin_unlock(&sleepers_lock);
}
