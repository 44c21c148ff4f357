/*
 * ITIMER_REAL and alarm(2) (Linux's kernel/time/itimer.c): one real-time
 * interval timer per process, in its group leader; every CPU's tick looks
 * at the armed ones and sends SIGALRM (SI_KERNEL, as Linux's it_real_fn
 * sends it with SEND_SIG_PRIV) to the process whose time has come. A tick's
 * resolution: it fires at most 10 ms late. ITIMER_VIRTUAL and ITIMER_PROF
 * are not implemented: -EINVAL.
 */
#include "arch/x86_64/uaccess.h"
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "task/hrtimer.h"
#include "task/signal.h"
#include "task/task.h"
#include "task/task_priv.h"
#include "uapi/time.h"

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL

static DEFINE_SPINLOCK(itimer_lock);
static struct task_struct *armed; /* leaders with it_real_expires != 0 */

static void unlink_armed(struct task_struct *leader)
{
	for (struct task_struct **pp = &armed; *pp; pp = &(*pp)->signal.itimer_next) {
		if (*pp == leader) {
			*pp = leader->signal.itimer_next;
			break;
		}
	}
	leader->signal.it_real_expires = 0;
}

/* Arm (@value ns from now, then every @incr) or disarm (@value 0); the old setting out. */
static void itimer_set(struct task_struct *leader, uint64_t value, uint64_t incr,
		       uint64_t *old_value, uint64_t *old_incr)
{
	struct process_signal *ps = &leader->signal;
	uint64_t flags, now = clock_ns();

	spin_lock_irqsave(&itimer_lock, flags);
	*old_value =
	    ps->it_real_expires ? (ps->it_real_expires > now ? ps->it_real_expires - now : 1) : 0;
	*old_incr = ps->it_real_incr;
	if (ps->it_real_expires)
		unlink_armed(leader);
	ps->it_real_incr = incr;
	if (value) {
		ps->it_real_expires = now + value;
		ps->itimer_next = armed;
		armed = leader;
	}
	spin_unlock_irqrestore(&itimer_lock, flags);
}

bool itimer_armed(void)
{
	return READ_ONCE(armed) != NULL;
}

void itimer_tick(void)
{
	int pids[NR_TASKS], n = 0;
	uint64_t now = clock_ns();
	struct kernel_siginfo info = {.si_code = SI_KERNEL};

	if (!READ_ONCE(armed))
		return;
	spin_lock(&itimer_lock); /* interrupts are off in the tick */
	for (struct task_struct **pp = &armed; *pp;) {
		struct task_struct *l = *pp;
		struct process_signal *ps = &l->signal;

		if (now < ps->it_real_expires) {
			pp = &ps->itimer_next;
			continue;
		}
		pids[n++] = l->pid;
		if (ps->it_real_incr) { /* periodic: the next period, overruns dropped */
			ps->it_real_expires += ps->it_real_incr;
			if (ps->it_real_expires <= now)
				ps->it_real_expires = now + ps->it_real_incr;
			pp = &ps->itimer_next;
		} else {
			*pp = ps->itimer_next;
			ps->it_real_expires = 0;
		}
	}
	spin_unlock(&itimer_lock);
	for (int i = 0; i < n; i++)
		signal_process(pids[i], SIGALRM, &info);
}

void itimer_exit(struct task_struct *leader)
{
	uint64_t flags;

	spin_lock_irqsave(&itimer_lock, flags);
	if (leader->signal.it_real_expires)
		unlink_armed(leader);
	spin_unlock_irqrestore(&itimer_lock, flags);
}

/*
 * alarm(2): the seconds left of the previous alarm, rounded to the nearest
 * second but never 0 for one still pending (Linux's alarm_setitimer).
 */
long sys_alarm(struct trap_frame *r)
{
	uint64_t old, incr, secs = (unsigned int)r->rdi;

	itimer_set(current->group_leader, secs * NSEC_PER_SEC, 0, &old, &incr);
	if (!old)
		return 0;
	return (long)((old + NSEC_PER_SEC / 2) / NSEC_PER_SEC) ?: 1;
}

static void ns_to_timeval(uint64_t ns, long *sec, long *usec)
{
	*sec = (long)(ns / NSEC_PER_SEC);
	*usec = (long)((ns % NSEC_PER_SEC + NSEC_PER_USEC - 1) / NSEC_PER_USEC);
	if (*usec == 1000000) {
		(*sec)++;
		*usec = 0;
	}
}

static int timeval_to_ns(long sec, long usec, uint64_t *ns)
{
	if (sec < 0 || usec < 0 || usec >= 1000000)
		return -EINVAL;
	*ns = (uint64_t)sec * NSEC_PER_SEC + (uint64_t)usec * NSEC_PER_USEC;
	return 0;
}

/*
 * Linux's order: the new value is copied (-EFAULT; NULL disarms, as Linux
 * still allows) before @which is looked at (-EINVAL), then checked
 * (-EINVAL); the old value is copied out last (-EFAULT).
 */
long sys_setitimer(struct trap_frame *r)
{
	struct itimerval nv = {{0, 0}, {0, 0}}, ov;
	uint64_t value, incr, old_value, old_incr;

	if (r->rsi && copy_from_user(&nv, r->rsi, sizeof(nv)))
		return -EFAULT;
	if ((int)r->rdi != ITIMER_REAL)
		return -EINVAL;
	if (timeval_to_ns(nv.it_value.tv_sec, nv.it_value.tv_usec, &value) ||
	    timeval_to_ns(nv.it_interval.tv_sec, nv.it_interval.tv_usec, &incr))
		return -EINVAL;
	itimer_set(current->group_leader, value, value ? incr : 0, &old_value, &old_incr);
	if (!r->rdx)
		return 0;
	ns_to_timeval(old_value, &ov.it_value.tv_sec, &ov.it_value.tv_usec);
	ns_to_timeval(old_incr, &ov.it_interval.tv_sec, &ov.it_interval.tv_usec);
	return copy_to_user(r->rdx, &ov, sizeof(ov)) ? -EFAULT : 0;
}

long sys_getitimer(struct trap_frame *r)
{
	struct process_signal *ps = &current->group_leader->signal;
	struct itimerval ov;
	uint64_t flags, now = clock_ns(), value, incr;

	if ((int)r->rdi != ITIMER_REAL)
		return -EINVAL;
	spin_lock_irqsave(&itimer_lock, flags);
	value =
	    ps->it_real_expires ? (ps->it_real_expires > now ? ps->it_real_expires - now : 1) : 0;
	incr = ps->it_real_incr;
	spin_unlock_irqrestore(&itimer_lock, flags);
	ns_to_timeval(value, &ov.it_value.tv_sec, &ov.it_value.tv_usec);
	ns_to_timeval(incr, &ov.it_interval.tv_sec, &ov.it_interval.tv_usec);
	return copy_to_user(r->rsi, &ov, sizeof(ov)) ? -EFAULT : 0;
}
