/*
 * The process tree: wait4 and waitid (Linux's kernel/exit.c do_wait),
 * getppid, and orphans. A forked process's parent is the forking process
 * (its leader); a process the console started has none (the console
 * reaps it, task_wait). When a process ends its children become orphans:
 * Linux gives them to init, which reaps them at once; flushlab has no
 * init, so an orphan is released by the next sweep once it has ended
 * (getppid then answers 0). Everything here is under tasks_lock.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "task/sched.h"
#include "task/task.h"
#include "task/signal.h"
#include "task/task_priv.h"
#include "uapi/signal.h"
#include "uapi/wait.h"

/* Finished, every thread off its CPU with its stack freed: the slot can go. */
static bool zombie(const struct task_struct *leader)
{
	return READ_ONCE(leader->proc_exited) && leader->nr_stacks == 0 && !leader->reaping;
}

void wake_waiters_locked(struct task_struct *parent)
{
	for (int i = 0; parent && i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (t->state != TASK_UNUSED && t->group_leader == parent && t->in_wait)
			wake_up_task(t);
	}
}

void forget_children_locked(struct task_struct *leader)
{
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (t->state != TASK_UNUSED && t->group_leader == t && t->parent == leader) {
			t->parent = NULL; /* Linux: reparented to init (getppid 1); here 0 */
			t->autoreap = true;
		}
	}
}

/*
 * Linux's do_notify_parent: the child's exit signal (SIGCHLD from fork) to
 * its parent process, with Linux's siginfo (si_pid, si_uid 0, si_status:
 * the exit code or the signal; si_code CLD_EXITED or CLD_KILLED). Its
 * default action is to ignore it; a parent asleep in wait4 is woken by
 * the wait's own wake-up, signal or not. Tasks lock held.
 */
void notify_parent_locked(struct task_struct *leader)
{
	int st = leader->exit_code;
	struct kernel_siginfo info = {.si_signo = leader->exit_signal,
				      .si_code = WIFEXITED(st) ? CLD_EXITED : CLD_KILLED};

	if (!leader->parent || !leader->exit_signal)
		return;
	info.u[0] = (uint32_t)leader->pid; /* si_pid; si_uid 0 */
	info.u[1] = (uint32_t)(WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st)); /* si_status */
	send_signal_locked(leader->exit_signal, &info, leader->parent, true);
}

void vfork_release_locked(struct task_struct *child)
{
	struct task_struct *w = child->vfork_waiter;

	child->vfork_waiter = NULL;
	if (w)
		wake_up_task(w);
}

void release_task(struct task_struct *leader)
{
	task_release_slot(leader); /* its /proc/PID goes with the slot (proc_pid_lookup) */
}

void reap_orphans(void)
{
	for (;;) {
		struct task_struct *found = NULL;
		uint64_t flags;

		spin_lock_irqsave(&tasks_lock, flags);
		for (int i = 0; i < NR_TASKS && !found; i++) {
			struct task_struct *t = &tasks[i];

			if (t->state != TASK_UNUSED && t->group_leader == t && t->autoreap &&
			    zombie(t))
				found = t;
		}
		if (found)
			found->reaping = true; /* ours: no other sweep takes it */
		spin_unlock_irqrestore(&tasks_lock, flags);
		if (!found)
			return;
		release_task(found);
	}
}

struct wait_opts {
	int pid;	 /* > 0: that child; otherwise any (no process groups here) */
	int options;	 /* WNOHANG, WNOWAIT */
	int status;	 /* out: Linux's wait status */
	int reaped;	 /* out: its pid */
	uint64_t cpu_ns; /* out: its CPU time */
};

/*
 * One look at @me's children under the lock: a zombie is claimed (or, with
 * WNOWAIT, only reported) and 1 returned; 0 if children live but none has
 * ended; -ECHILD if there is no child to wait for. With 0 and !WNOHANG the
 * caller's state is already TASK_INTERRUPTIBLE and in_wait set, under the
 * lock that task_free_dead takes to wake it: no wakeup can be lost.
 */
static int wait_look(struct task_struct *me, struct wait_opts *wo)
{
	struct task_struct *leader = me->group_leader, *found = NULL;
	bool any = false;
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	for (int i = 0; i < NR_TASKS && !found; i++) {
		struct task_struct *t = &tasks[i];

		if (t->state == TASK_UNUSED || t->group_leader != t || t->parent != leader ||
		    t->reaping || (wo->pid > 0 && t->pid != wo->pid))
			continue;
		any = true;
		if (zombie(t))
			found = t;
	}
	if (found) {
		wo->status = found->exit_code;
		wo->reaped = found->pid;
		wo->cpu_ns = found->dead_exec_ns;
		if (!(wo->options & WNOWAIT))
			found->reaping = true;
	} else if (any && !(wo->options & WNOHANG)) {
		me->state = TASK_INTERRUPTIBLE;
		me->in_wait = true;
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (found && !(wo->options & WNOWAIT))
		release_task(found);
	return found ? 1 : any ? 0 : -ECHILD;
}

/* Linux's do_wait: 1 (a child reported), 0 (WNOHANG, none yet), -ECHILD, -EINTR. */
static int do_wait(struct wait_opts *wo)
{
	struct task_struct *me = current;

	reap_orphans();
	for (;;) {
		int ret = wait_look(me, wo);

		if (ret != 0 || (wo->options & WNOHANG))
			return ret;
		if (!READ_ONCE(me->killed))
			schedule(); /* back when a child ends, or a kill */
		me->state = TASK_RUNNING;
		me->in_wait = false;
		if (READ_ONCE(me->killed))
			return -EINTR; /* it dies on its way out (no signals to restart for yet) */
	}
}

/* struct rusage: ru_utime first; the rest is zero (no such counters here). */
static int put_rusage(uintptr_t uru, uint64_t cpu_ns)
{
	uint64_t ru[18] = {cpu_ns / 1000000000, cpu_ns % 1000000000 / 1000};

	return uru && copy_to_user(uru, ru, sizeof(ru)) ? -EFAULT : 0;
}

/* wait4(pid, wstatus, options, rusage): Linux's order of checks (kernel_wait4). */
long sys_wait4(struct trap_frame *r)
{
	struct wait_opts wo = {.pid = (int)r->rdi, .options = (int)r->rdx};
	int ret;

	if (wo.options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (wo.pid == (int)0x80000000)
		return -ESRCH; /* INT_MIN: Linux refuses to negate it */
	wo.options &= WNOHANG; /* stops and continues never happen here */
	ret = do_wait(&wo);
	if (ret <= 0)
		return ret;
	if (r->rsi && copy_to_user(r->rsi, &wo.status, sizeof(int)))
		return -EFAULT;
	return put_rusage(r->r10, wo.cpu_ns) ?: wo.reaped;
}

/* siginfo_t for waitid, as Linux fills it (si_signo, si_errno, si_code, si_pid, si_uid, si_status).
 */
static int put_waitid_info(uintptr_t uinfo, const struct wait_opts *wo, bool found)
{
	int32_t info[32] = {0};

	if (found) {
		bool exited = WIFEXITED(wo->status);

		info[0] = SIGCHLD;
		info[2] = exited ? CLD_EXITED : CLD_KILLED;
		info[4] = wo->reaped;
		info[6] = exited ? WEXITSTATUS(wo->status) : WTERMSIG(wo->status);
	}
	return uinfo && copy_to_user(uinfo, info, sizeof(info)) ? -EFAULT : 0;
}

/* waitid(idtype, id, infop, options, rusage): P_ALL and P_PID; P_PGID means any child. */
long sys_waitid(struct trap_frame *r)
{
	int idtype = (int)r->rdi, options = (int)r->r10, ret;
	struct wait_opts wo = {.pid = (int)r->rsi};

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_ALL || idtype == P_PGID)
		wo.pid = -1;
	else if (idtype != P_PID || wo.pid <= 0)
		return -EINVAL;
	if (!(options & WEXITED))
		return (options & WNOHANG) ? put_waitid_info(r->rdx, &wo, false) : -ECHILD;
	wo.options = options & (WNOHANG | WNOWAIT);
	ret = do_wait(&wo);
	if (ret < 0)
		return ret;
	return put_waitid_info(r->rdx, &wo, ret > 0) ?: put_rusage(r->r8, wo.cpu_ns);
}

long sys_getppid(struct trap_frame *r)
{
	struct task_struct *parent = READ_ONCE(current->group_leader->parent);

	return parent ? parent->pid : 0;
}
