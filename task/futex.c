/*
 * Futexes: a waiter sleeps only if the word still holds the value it saw
 * (checked under futex_lock, after marking itself asleep, so a waker that
 * changes the word and then takes the lock cannot miss it). One global
 * list: a few dozen waiters at most in flushlab's programs. The lock is
 * taken with interrupts on and is never held across a user access that
 * may fault: a fault can take the mm lock, whose holder may wait for a
 * shootdown that a CPU spinning here could not answer (Linux's rule, and
 * its futex_wait_setup / get_futex_value_locked shape).
 */
#include "task/futex.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "task/sched.h"
#include "task/task.h"
#include "uapi/futex.h"

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

/*
 * Linux's get_futex_value_locked: read the word with page faults disabled
 * (task/fault.c refuses them while pagefault_disabled is set), so it can
 * run under futex_lock: a word that is not mapped in now is -EFAULT here,
 * and the caller drops the lock, faults it in and tries again.
 */
static int get_futex_value_locked(struct task_struct *t, uint32_t *val, uintptr_t uaddr)
{
	size_t left;

	t->pagefault_disabled++;
	left = copy_from_user(val, uaddr, sizeof(*val));
	t->pagefault_disabled--;
	return left ? -EFAULT : 0;
}

static long futex_wait(struct task_struct *t, uintptr_t uaddr, uint32_t val)
{
	uint32_t cur;

retry:
	if (copy_from_user(&cur, uaddr, sizeof(cur))) /* no lock held: may fault the page in */
		return -EFAULT;
	spin_lock(&futex_lock);
	t->state = TASK_INTERRUPTIBLE; /* before the check: a wake from here on is seen */
	if (get_futex_value_locked(t, &cur, uaddr)) {
		t->state = TASK_RUNNING; /* unmapped since the read above: again */
		spin_unlock(&futex_lock);
		goto retry;
	}
	if (cur != val || READ_ONCE(t->killed)) {
		t->state = TASK_RUNNING;
		spin_unlock(&futex_lock);
		return cur != val ? -EAGAIN : -EINTR;
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
	return READ_ONCE(t->killed) ? -EINTR : 0;
}

/*
 * Linux's futex_wake count: every matching waiter up to @nr, and at least
 * one (nr 0 or negative wakes one, as Linux's `++ret >= nr_wake` loop
 * does). Each is woken under the lock: it cannot have left the list, so
 * it cannot be gone yet.
 */
int futex_wake(struct mm_struct *mm, uintptr_t uaddr, int nr)
{
	int n = 0;

	spin_lock(&futex_lock);
	for (struct task_struct **pp = &waiters; *pp;) {
		struct task_struct *t = *pp;

		if (t->futex_mm != mm || t->futex_uaddr != uaddr) {
			pp = &t->futex_next;
			continue;
		}
		*pp = t->futex_next;
		t->futex_mm = NULL;
		wake_up_task(t);
		if (++n >= nr)
			break;
	}
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

/*
 * Linux's order (kernel/futex/syscalls.c do_futex, core.c get_futex_key):
 * the command first (-ENOSYS), then the address: misaligned -EINVAL, not
 * a user address -EFAULT; a shared futex must be mapped (-EFAULT), a
 * private FUTEX_WAKE never touches the word. Timeouts are not
 * implemented: a FUTEX_WAIT with one answers -ENOSYS.
 */
long sys_futex(struct trap_frame *r)
{
	struct task_struct *t = current;
	uintptr_t uaddr = r->rdi;
	int op = (int)r->rsi, cmd = op & FUTEX_CMD_MASK;
	uint32_t word;

	if (cmd != FUTEX_WAIT && cmd != FUTEX_WAKE)
		return -ENOSYS;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT)
		return -ENOSYS;
	if (cmd == FUTEX_WAIT && r->r10)
		return -ENOSYS; /* a timeout: not implemented */
	if (uaddr % sizeof(uint32_t))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	if (cmd == FUTEX_WAIT)
		return futex_wait(t, uaddr, (uint32_t)r->rdx);
	if (!(op & FUTEX_PRIVATE_FLAG) && copy_from_user(&word, uaddr, sizeof(word)))
		return -EFAULT; /* a shared key needs the page (get_user_pages_fast) */
	return futex_wake(t->mm, uaddr, (int)r->rdx);
}
