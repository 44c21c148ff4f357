/*
 * Timed sleeps of user threads: nanosleep, clock_nanosleep, pause, the
 * timeouts of futex waits, and restart_syscall. A sleeper is on one list
 * with its deadline; every CPU's tick wakes the expired ones, so a sleep
 * lasts at least what was asked and at most one tick (10 ms) more: Linux's
 * hrtimers are exact to the clock event, ours to the tick. A signal ends a
 * sleep early (signal_pending, then -ERESTART*: task/signal.c makes that
 * -EINTR or a restart).
 */
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/rtc.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "smp/smp.h"
#include "task/hrtimer.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"
#include "task/task_priv.h"
#include "uapi/time.h"

#define NSEC_PER_SEC 1000000000ULL

static DEFINE_SPINLOCK(timer_lock);
static struct task_struct *sleepers;

bool hrtimer_sleep_pending(void)
{
	return READ_ONCE(sleepers) != NULL || itimer_armed();
}

void hrtimer_tick(void)
{
	uint64_t now = clock_ns();

	spin_lock(&timer_lock); /* interrupts are off in the tick */
	for (struct task_struct *t = sleepers; t; t = t->timeout_next)
		if (now >= t->timeout_ns && READ_ONCE(t->state) == TASK_INTERRUPTIBLE)
			wake_up_task(t);
	spin_unlock(&timer_lock);
}

void set_current_interruptible(void)
{
	current->state = TASK_INTERRUPTIBLE;
	/*
	 * Linux's set_current_state: the store must be visible before the
	 * caller reads its wake condition (x86 lets a later load pass an
	 * earlier store, SDM vol. 3, 9.2.3.4); a waker stores the condition,
	 * then reads the state under the run-queue lock.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void schedule_hrtimeout(uint64_t deadline_ns)
{
	struct task_struct *t = current;
	uint64_t flags;

	spin_lock_irqsave(&timer_lock, flags);
	t->timeout_ns = deadline_ns;
	t->timeout_next = sleepers;
	sleepers = t;
	spin_unlock_irqrestore(&timer_lock, flags);
	/* Without ARAT the boot CPU must keep ticking for us (sched_idle_halt, kthread.c). */
	if (!cpu_features.arat && this_cpu_id() != 0)
		smp_send_reschedule(0);
	schedule();
	spin_lock_irqsave(&timer_lock, flags);
	for (struct task_struct **pp = &sleepers; *pp; pp = &(*pp)->timeout_next) {
		if (*pp == t) {
			*pp = t->timeout_next;
			break;
		}
	}
	spin_unlock_irqrestore(&timer_lock, flags);
}

/* Sleep to @deadline: 0, or -ERESTART_RESTARTBLOCK if a signal came first. */
static long do_nanosleep(uint64_t deadline)
{
	struct task_struct *t = current;

	for (;;) {
		set_current_interruptible();
		if (signal_pending(t)) {
			t->state = TASK_RUNNING;
			return -ERESTART_RESTARTBLOCK;
		}
		if (clock_ns() >= deadline) {
			t->state = TASK_RUNNING;
			return 0;
		}
		schedule_hrtimeout(deadline); /* woken: by the tick, a signal, or spuriously */
	}
}

int get_timespec_ns(uintptr_t uts, uint64_t *ns)
{
	int64_t ts[2];

	if (copy_from_user(ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NSEC_PER_SEC)
		return -EINVAL; /* Linux's timespec64_valid */
	*ns = (uint64_t)ts[0] >= UINT64_MAX / NSEC_PER_SEC / 2
		  ? UINT64_MAX / 2
		  : (uint64_t)ts[0] * NSEC_PER_SEC + ts[1];
	return 0;
}

static int put_timespec_ns(uintptr_t uts, uint64_t ns)
{
	int64_t ts[2] = {(int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC)};

	return copy_to_user(uts, ts, sizeof(ts)) ? -EFAULT : 0;
}

/* restart_syscall's continuation: the same deadline; the time left on another interruption. */
/*
 * An absolute CLOCK_REALTIME (or TAI) time as a clock_ns deadline: the
 * wall clock is clock_ns plus the offset rtc_init set at boot, which
 * nothing changes later (no settimeofday), so the conversion holds for
 * the whole sleep. A time before boot is in the past: deadline 1.
 */
uint64_t realtime_to_deadline(uint64_t real_ns)
{
	uint64_t offset = ktime_mono_to_real(0);

	return real_ns > offset ? real_ns - offset : 1;
}

static long nanosleep_restart(struct restart_block *rb)
{
	long ret = do_nanosleep(rb->deadline_ns);
	uint64_t now;

	if (ret != -ERESTART_RESTARTBLOCK)
		return ret;
	now = clock_ns();
	if (rb->rmtp &&
	    put_timespec_ns(rb->rmtp, rb->deadline_ns > now ? rb->deadline_ns - now : 0))
		return -EFAULT;
	current->restart_block.fn = nanosleep_restart;
	return ret;
}

static long nanosleep_until(uint64_t deadline, uintptr_t rmtp)
{
	struct restart_block *rb = &current->restart_block;

	rb->deadline_ns = deadline;
	rb->rmtp = rmtp;
	rb->fn = NULL;
	return nanosleep_restart(rb);
}

long sys_nanosleep(struct trap_frame *r)
{
	uint64_t ns;
	int err = get_timespec_ns(r->rdi, &ns);

	return err ? err : nanosleep_until(clock_ns() + ns, r->rsi);
}

/*
 * Linux's order: the clock (-EINVAL; the CPU-time clocks, which Linux can
 * sleep on, are not implemented here: -EINVAL too), the copy (-EFAULT),
 * the value (-EINVAL). MONOTONIC and BOOTTIME read clock_ns; an absolute
 * REALTIME or TAI time is made a clock_ns deadline (realtime_to_deadline). An
 * absolute sleep that a signal interrupts is made again whole
 * (-ERESTARTNOHAND, as Linux) and writes no remaining time.
 */
long sys_clock_nanosleep(struct trap_frame *r)
{
	int flags = (int)r->rsi;
	uint64_t ns;
	int err;

	switch ((int)r->rdi) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		break;
	default:
		return -EINVAL;
	}
	err = get_timespec_ns(r->rdx, &ns);
	if (err)
		return err;
	if (!(flags & TIMER_ABSTIME))
		return nanosleep_until(clock_ns() + ns, r->r10);
	if ((int)r->rdi == CLOCK_REALTIME || (int)r->rdi == CLOCK_TAI)
		ns = realtime_to_deadline(ns);
	err = (int)do_nanosleep(ns);
	return err == -ERESTART_RESTARTBLOCK ? -ERESTARTNOHAND : err;
}

/* pause(2): sleep until a signal; made again if it ran no handler (Linux's -ERESTARTNOHAND). */
long sleep_until_signal(void)
{
	struct task_struct *t = current;

	for (;;) {
		set_current_interruptible();
		if (signal_pending(t)) {
			t->state = TASK_RUNNING;
			return -ERESTARTNOHAND;
		}
		schedule();
	}
}

long sys_pause(struct trap_frame *r)
{
	return sleep_until_signal();
}

/* restart_syscall(2): the interrupted sleep's continuation, once; -EINTR if there is none. */
long sys_restart_syscall(struct trap_frame *r)
{
	struct restart_block *rb = &current->restart_block;
	long (*fn)(struct restart_block *) = rb->fn;

	rb->fn = NULL;
	return fn ? fn(rb) : -EINTR;
}
