/*
 * Futexes: a waiter sleeps only if the word still holds the value it saw
 * (checked under futex_lock, after marking itself asleep, so a waker that
 * changes the word and then takes the lock cannot miss it). One global
 * list: a handful of waiters at most in flushlab's programs. The lock is
 * taken with interrupts on: the user read may fault and call into the mm,
 * and the tick never preempts kernel code, so no holder is switched away.
 */
#include "task/futex.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "task/sched.h"
#include "task/task.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128

static struct spinlock futex_lock;
static struct task_struct *waiters;

static void unlink_waiter(struct task_struct *t)
{
	for (struct task_struct **pp = &waiters; *pp; pp = &(*pp)->futex_next) {
		if (*pp == t) {
			*pp = t->futex_next;
			break;
		}
	}
	t->futex_mm = NULL;
}

static long futex_wait(struct task_struct *t, uintptr_t uaddr, uint32_t val)
{
	uint32_t cur;

	spin_lock(&futex_lock);
	t->state = TASK_INTERRUPTIBLE; /* before the check: a wake from here on is seen */
	if (copy_from_user(&cur, uaddr, sizeof(cur)) || cur != val || READ_ONCE(t->kill_signal)) {
		t->state = TASK_RUNNING;
		spin_unlock(&futex_lock);
		return READ_ONCE(t->kill_signal) ? -EINTR : cur != val ? -EAGAIN : -EFAULT;
	}
	t->futex_uaddr = uaddr;
	t->futex_mm = t->mm;
	t->futex_next = waiters;
	waiters = t;
	spin_unlock(&futex_lock);
	schedule(); /* back when woken */
	spin_lock(&futex_lock);
	if (t->futex_mm)
		unlink_waiter(t); /* woken by a kill, not by FUTEX_WAKE */
	spin_unlock(&futex_lock);
	return READ_ONCE(t->kill_signal) ? -EINTR : 0;
}

int futex_wake(struct mm_struct *mm, uintptr_t uaddr, int nr)
{
	struct task_struct *woken[16];
	int n = 0;

	spin_lock(&futex_lock);
	for (struct task_struct **pp = &waiters; *pp && n < nr && n < 16;) {
		struct task_struct *t = *pp;

		if (t->futex_mm == mm && t->futex_uaddr == uaddr) {
			*pp = t->futex_next;
			t->futex_mm = NULL;
			woken[n++] = t;
		} else {
			pp = &t->futex_next;
		}
	}
	for (int i = 0; i < n; i++)
		wake_up_task(woken[i]); /* under the lock: the waiter cannot be gone yet */
	spin_unlock(&futex_lock);
	return n;
}

void futex_wake_killed(struct task_struct *leader)
{
	spin_lock(&futex_lock);
	for (struct task_struct *t = waiters; t; t = t->futex_next) {
		if (t->group_leader == leader)
			wake_up_task(t); /* it unlinks itself */
	}
	spin_unlock(&futex_lock);
}

/* Timeouts are not implemented: a FUTEX_WAIT with one answers -ENOSYS. */
long sys_futex(struct trap_frame *r)
{
	struct task_struct *t = current;
	uintptr_t uaddr = r->rdi;
	int op = (int)r->rsi & ~FUTEX_PRIVATE_FLAG;

	if (uaddr % 4 || !access_ok(uaddr, 4))
		return -EINVAL;
	switch (op) {
	case FUTEX_WAIT:
		return r->r10 ? -ENOSYS : futex_wait(t, uaddr, (uint32_t)r->rdx);
	case FUTEX_WAKE:
		return futex_wake(t->mm, uaddr, (int)r->rdx);
	default:
		return -ENOSYS;
	}
}
