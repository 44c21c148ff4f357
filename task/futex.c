/*
 * Futexes: a waiter sleeps only if the word still holds the value it saw
 * (checked under futex_lock, after marking itself asleep, so a waker that
 * changes the word and then takes the lock cannot miss it). One global
 * list: a few dozen waiters at most in flushlab's programs. The lock is
 * taken with interrupts on and is never held across a user access that
 * may fault: a fault can take the mm lock, whose holder may wait for a
 * shootdown that a CPU spinning here could not answer (Linux's rule, and
 * its futex_wait_setup / get_futex_value_locked shape).
 *
 * A waiter is found by its key (Linux's futex_key): the mm and address
 * for a FUTEX_PRIVATE_FLAG futex or a word in a private mapping (private
 * and shared operations on one such word never meet, as on Linux), the
 * word's physical address for one in a MAP_SHARED mapping without the
 * flag, so that processes sharing a page (glibc's process-shared mutexes,
 * barriers and semaphores) wake each other.
 */
#include "task/futex.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "mm/mm_user.h"
#include "task/hrtimer.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"
#include "uapi/futex.h"

static struct spinlock futex_lock;
static struct task_struct *waiters;

struct futex_key {
	struct mm_struct *mm; /* NULL: @addr is a physical address (a shared page) */
	uintptr_t addr;
};

/*
 * Linux's FUT_OFF_MMSHARED: a shared operation on a word in a private
 * mapping is keyed by mm and address too, but never meets a private
 * operation on the same word (its offset carries this bit; words are
 * 4-byte aligned, so bit 0 is free).
 */
#define FUTEX_KEY_MMSHARED 1

/* The key of the word at @uaddr: 0 or -EFAULT (no lock held: mm_futex_key takes the mm's). */
static int get_futex_key(struct mm_struct *mm, uintptr_t uaddr, bool private, struct futex_key *key)
{
	uint64_t pa;
	int shared = private ? 0 : mm_futex_key(mm, uaddr, &pa);

	if (shared < 0)
		return shared;
	if (shared)
		*key = (struct futex_key){NULL, pa};
	else
		*key = (struct futex_key){mm, private ? uaddr : uaddr | FUTEX_KEY_MMSHARED};
	return 0;
}

static void unlink_waiter(struct task_struct *t)
{
	for (struct task_struct **pp = &waiters; *pp; pp = &(*pp)->futex_next) {
		if (*pp == t) {
			*pp = t->futex_next;
			break;
		}
	}
	t->futex_queued = false;
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

/*
 * Sleep on @uaddr while it holds @val, until a FUTEX_WAKE whose bitset
 * meets @bitset, the clock_ns @deadline (0: none; -ETIMEDOUT), a signal
 * (-ERESTARTSYS without a timeout, -ERESTART_RESTARTBLOCK with one, as
 * Linux's futex_wait: task/signal.c turns them into -EINTR or a restart)
 * or a kill (-EINTR). 0 when woken (perhaps spuriously, as futex(2) allows).
 */
static long futex_wait(struct task_struct *t, uintptr_t uaddr, uint32_t val, uint32_t bitset,
		       bool private, uint64_t deadline)
{
	struct futex_key key;
	uint32_t cur;
	long ret = 0;

retry:
	if (copy_from_user(&cur, uaddr, sizeof(cur))) /* no lock held: may fault the page in */
		return -EFAULT;
	if (get_futex_key(t->mm, uaddr, private, &key))
		goto retry; /* unmapped since the read: the read says whether it is gone */
	spin_lock(&futex_lock);
	set_current_interruptible(); /* before the check: a wake from here on is seen */
	if (get_futex_value_locked(t, &cur, uaddr)) {
		t->state = TASK_RUNNING; /* unmapped since the read above: again */
		spin_unlock(&futex_lock);
		goto retry;
	}
	if (cur != val || signal_pending(t) || (deadline && clock_ns() >= deadline)) {
		t->state = TASK_RUNNING;
		spin_unlock(&futex_lock);
		return cur != val ? -EAGAIN : signal_pending(t) ? -ERESTARTSYS : -ETIMEDOUT;
	}
	t->futex_mm = key.mm;
	t->futex_uaddr = key.addr;
	t->futex_bitset = bitset;
	t->futex_queued = true;
	t->futex_next = waiters;
	waiters = t;
	spin_unlock(&futex_lock);
	if (deadline)
		schedule_hrtimeout(deadline); /* back when woken, or at the deadline */
	else
		schedule(); /* back when woken */
	spin_lock(&futex_lock);
	if (t->futex_queued) {
		unlink_waiter(t); /* not woken by FUTEX_WAKE: a signal, a kill, the time */
		ret = signal_pending(t)			   ? -ERESTARTSYS
		      : deadline && clock_ns() >= deadline ? -ETIMEDOUT
							   : 0;
	}
	t->state = TASK_RUNNING; /* a spurious return from schedule_hrtimeout */
	spin_unlock(&futex_lock);
	return READ_ONCE(t->killed) ? -EINTR : ret;
}

/*
 * Linux's futex_wake count: every matching waiter up to @nr, and at least
 * one (nr 0 or negative wakes one, as Linux's `++ret >= nr_wake` loop
 * does). Each is woken under the lock: it cannot have left the list, so
 * it cannot be gone yet.
 */
static int futex_wake_key(const struct futex_key *key, int nr, uint32_t bitset)
{
	int n = 0;

	spin_lock(&futex_lock);
	for (struct task_struct **pp = &waiters; *pp;) {
		struct task_struct *t = *pp;

		if (t->futex_mm != key->mm || t->futex_uaddr != key->addr ||
		    !(t->futex_bitset & bitset)) {
			pp = &t->futex_next;
			continue;
		}
		*pp = t->futex_next;
		t->futex_queued = false;
		wake_up_task(t);
		if (++n >= nr)
			break;
	}
	spin_unlock(&futex_lock);
	return n;
}

int futex_wake(struct mm_struct *mm, uintptr_t uaddr, int nr)
{
	struct futex_key key;

	if (get_futex_key(mm, uaddr, false, &key)) /* Linux's mm_release: a shared-key wake */
		return 0;
	return futex_wake_key(&key, nr, FUTEX_BITSET_MATCH_ANY);
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
 * A timed wait a signal interrupted answers -ERESTART_RESTARTBLOCK, and
 * restart_syscall goes on with the same absolute deadline (Linux's
 * futex_wait_restart).
 */
static long futex_wait_restart(struct restart_block *rb);

/* futex_wait, and a timed one a signal interrupted made restartable at its deadline. */
static long futex_wait_timed(struct task_struct *t, uintptr_t uaddr, uint32_t val, uint32_t bitset,
			     bool private, uint64_t deadline)
{
	long ret = futex_wait(t, uaddr, val, bitset, private, deadline);

	if (ret != -ERESTARTSYS || !deadline)
		return ret;
	t->restart_block = (struct restart_block){.fn = futex_wait_restart,
						  .deadline_ns = deadline,
						  .uaddr = uaddr,
						  .val = val,
						  .bitset = bitset,
						  .private = private};
	return -ERESTART_RESTARTBLOCK;
}

static long futex_wait_restart(struct restart_block *rb)
{
	return futex_wait_timed(current, rb->uaddr, rb->val, rb->bitset, rb->private,
				rb->deadline_ns);
}

/*
 * The timeout as a clock_ns deadline (0: none). FUTEX_WAIT's is relative
 * (the clock flag changes nothing for an interval); FUTEX_WAIT_BITSET's is
 * absolute on CLOCK_MONOTONIC, or on CLOCK_REALTIME with
 * FUTEX_CLOCK_REALTIME (wall time, converted). Linux's futex_init_timeout
 * and get_timespec64 checks.
 */
static int futex_deadline(int cmd, int op, uintptr_t uts, uint64_t *deadline)
{
	uint64_t ns;
	int err;

	*deadline = 0;
	if (!uts)
		return 0;
	err = get_timespec_ns(uts, &ns);
	if (err)
		return err;
	if (cmd == FUTEX_WAIT)
		*deadline = clock_ns() + ns;
	else
		*deadline = (op & FUTEX_CLOCK_REALTIME) ? realtime_to_deadline(ns) : ns;
	if (*deadline == 0)
		*deadline = 1; /* an absolute 0 is in the past, not "no timeout" */
	return 0;
}

/*
 * Linux's order (kernel/futex/syscalls.c do_futex, core.c get_futex_key):
 * the command first (-ENOSYS; FUTEX_CLOCK_REALTIME only with the waits),
 * the timeout (-EFAULT, -EINVAL) and a zero bitset (-EINVAL), then the
 * address: misaligned -EINVAL, not a user address -EFAULT; a shared futex
 * must be mapped (-EFAULT), a private wake never touches the word. The
 * other commands (REQUEUE, WAKE_OP, PI, WAITV) are not implemented: -ENOSYS.
 */
long sys_futex(struct trap_frame *r)
{
	struct task_struct *t = current;
	uintptr_t uaddr = r->rdi;
	int op = (int)r->rsi, cmd = op & FUTEX_CMD_MASK;
	uint32_t word, bitset = FUTEX_BITSET_MATCH_ANY;
	struct futex_key key;
	bool wait = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
	uint64_t deadline = 0;
	int err;

	if (!wait && cmd != FUTEX_WAKE && cmd != FUTEX_WAKE_BITSET)
		return -ENOSYS;
	if ((op & FUTEX_CLOCK_REALTIME) && !wait)
		return -ENOSYS;
	if (wait && (err = futex_deadline(cmd, op, r->r10, &deadline)))
		return err;
	if (cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_WAKE_BITSET) {
		bitset = (uint32_t)r->r9;
		if (!bitset)
			return -EINVAL;
	}
	if (uaddr % sizeof(uint32_t))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	if (wait)
		return futex_wait_timed(t, uaddr, (uint32_t)r->rdx, bitset, op & FUTEX_PRIVATE_FLAG,
					deadline);
	if (!(op & FUTEX_PRIVATE_FLAG) && copy_from_user(&word, uaddr, sizeof(word)))
		return -EFAULT; /* a shared key needs the page (get_user_pages_fast) */
	if (get_futex_key(t->mm, uaddr, op & FUTEX_PRIVATE_FLAG, &key))
		return -EFAULT; /* unmapped since the read */
	return futex_wake_key(&key, (int)r->rdx, bitset);
}
