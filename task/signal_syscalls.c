/*
 * The signal system calls, with Linux's argument checks in Linux's order
 * (kernel/signal.c): rt_sigaction, rt_sigprocmask, sigaltstack, kill,
 * tgkill, tkill. Delivery and sending are task/signal.c's.
 */
#include "arch/x86_64/uaccess.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "task/hrtimer.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"
#include "task/task_priv.h"

/* Linux's UAPI_SA_FLAGS on x86: bits outside it are cleared, so user space can probe. */
#define UAPI_SA_FLAGS                                                                              \
	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER |         \
	 SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER)
#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

#define ARG1(r) ((r)->rdi)
#define ARG2(r) ((r)->rsi)
#define ARG3(r) ((r)->rdx)
#define ARG4(r) ((r)->r10)

struct user_stack_t {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};

struct sigaction_ctx {
	int sig;
	const struct k_sigaction *act;
	struct k_sigaction *oact;
};

static bool flush_thread_pending(struct task_struct *t, void *ctx)
{
	t->sig.pending.signal &= ~sigmask(*(int *)ctx);
	return false; /* every thread */
}

/*
 * Linux's do_sigaction, under tasks_lock and siglock. A handler set to be
 * ignored discards the pending instances of that signal, in the process
 * and in every thread (POSIX: "Setting a signal action to SIG_IGN_HANDLER for a
 * signal that is pending shall cause the pending signal to be discarded").
 */
static int sigaction_fn(struct task_struct *leader, void *data)
{
	struct sigaction_ctx *c = data;
	struct process_signal *ps = &leader->signal;
	struct k_sigaction *k = &ps->action[c->sig - 1];
	uint64_t flags;

	spin_lock_irqsave(&ps->siglock, flags);
	if (c->oact)
		*c->oact = *k;
	if (c->act) {
		*k = *c->act;
		k->flags &= UAPI_SA_FLAGS;
		k->mask &= ~UNBLOCKABLE;
		if (k->handler == SIG_IGN_HANDLER ||
		    (k->handler == SIG_DFL_HANDLER &&
		     (sigmask(c->sig) & (sigmask(SIGCHLD) | sigmask(SIGCONT) | sigmask(SIGURG) |
					 sigmask(SIGWINCH))))) {
			ps->shared_pending.signal &= ~sigmask(c->sig);
			task_find_thread_locked(leader, flush_thread_pending, &c->sig);
		}
	}
	spin_unlock_irqrestore(&ps->siglock, flags);
	return 0;
}

long sys_rt_sigaction(struct trap_frame *r)
{
	int sig = (int)ARG1(r);
	struct k_sigaction act, oact;
	struct sigaction_ctx c = {sig, ARG2(r) ? &act : NULL, ARG3(r) ? &oact : NULL};
	int err;

	if (ARG4(r) != sizeof(sigset_t))
		return -EINVAL;
	if (ARG2(r) && copy_from_user(&act, ARG2(r), sizeof(act)))
		return -EFAULT;
	if (sig < 1 || sig > _NSIG || (ARG2(r) && (sigmask(sig) & UNBLOCKABLE)))
		return -EINVAL;
	err = task_call_process(current->tgid, sigaction_fn, &c);
	if (!err && ARG3(r) && copy_to_user(ARG3(r), &oact, sizeof(oact)))
		return -EFAULT;
	return err;
}

static bool wants_sig(struct task_struct *t, void *ctx)
{
	return t->state != TASK_DEAD && !(READ_ONCE(t->sig.blocked) & sigmask(*(int *)ctx));
}

/*
 * Linux's set_current_blocked. Signals of the process this thread now
 * blocks and that are pending go to a thread that does not block them
 * (Linux's retarget_shared_pending): else they could wait for ever.
 */
static void set_current_blocked(sigset_t newset)
{
	struct task_struct *t = current;
	struct process_signal *ps = &t->group_leader->signal;
	sigset_t moved;
	uint64_t flags;

	spin_lock_irqsave(&ps->siglock, flags);
	moved = newset & ~t->sig.blocked & ps->shared_pending.signal;
	t->sig.blocked = newset & ~UNBLOCKABLE;
	spin_unlock_irqrestore(&ps->siglock, flags);
	while (moved) {
		int sig = __builtin_ctzll(moved) + 1;
		struct task_struct *w = task_find_thread(t->group_leader, wants_sig, &sig);

		if (w)
			signal_wake_up(w);
		moved &= moved - 1;
	}
}

long sys_rt_sigprocmask(struct trap_frame *r)
{
	sigset_t old = current->sig.blocked, set;

	if (ARG4(r) != sizeof(sigset_t))
		return -EINVAL;
	if (ARG2(r)) {
		if (copy_from_user(&set, ARG2(r), sizeof(set)))
			return -EFAULT;
		switch (ARG1(r)) {
		case SIG_BLOCK:
			set |= old;
			break;
		case SIG_UNBLOCK:
			set = old & ~set;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		set_current_blocked(set);
	}
	if (ARG3(r) && copy_to_user(ARG3(r), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* Linux's on_sig_stack: an SS_AUTODISARM stack never counts as being on it. */
bool on_sig_stack(struct task_struct *t, uint64_t sp)
{
	if (t->sig.ss_flags & SS_AUTODISARM)
		return false;
	return sp > t->sig.ss_sp && sp - t->sig.ss_sp <= t->sig.ss_size;
}

uint32_t sas_ss_flags(struct task_struct *t, uint64_t sp)
{
	if (!t->sig.ss_size)
		return SS_DISABLE;
	return on_sig_stack(t, sp) ? SS_ONSTACK : 0;
}

/* Linux's do_sigaltstack, the "set" half: 0 or -EPERM, -EINVAL, -ENOMEM. */
static int set_altstack(uint64_t ss_sp, uint32_t ss_flags, uint64_t ss_size, uint64_t sp)
{
	struct task_struct *t = current;
	uint32_t mode = ss_flags & ~SS_AUTODISARM;

	if (on_sig_stack(t, sp))
		return -EPERM; /* not while running on it */
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		ss_sp = ss_size = 0;
	} else if (ss_size < MINSIGSTKSZ) {
		return -ENOMEM;
	}
	t->sig.ss_sp = ss_sp;
	t->sig.ss_size = ss_size;
	t->sig.ss_flags = ss_flags;
	return 0;
}

/* Linux squashes every error of this restore but -EFAULT (the copy, done by the caller). */
int restore_altstack(uint64_t ss_sp, uint32_t ss_flags, uint64_t ss_size, uint64_t sp)
{
	set_altstack(ss_sp, ss_flags, ss_size, sp);
	return 0;
}

long sys_sigaltstack(struct trap_frame *r)
{
	struct task_struct *t = current;
	struct user_stack_t ss,
	    oss = {t->sig.ss_sp,
		   (int32_t)(sas_ss_flags(t, r->rsp) | (t->sig.ss_flags & SS_AUTODISARM)), 0,
		   t->sig.ss_size};
	int err = 0;

	if (ARG1(r)) {
		if (copy_from_user(&ss, ARG1(r), sizeof(ss)))
			return -EFAULT;
		err = set_altstack(ss.ss_sp, (uint32_t)ss.ss_flags, ss.ss_size, r->rsp);
	}
	if (!err && ARG2(r) && copy_to_user(ARG2(r), &oss, sizeof(oss)))
		return -EFAULT;
	return err;
}

/* kill and tkill's siginfo: who sent it (no users: uid 0). */
static struct kernel_siginfo sender_info(int code)
{
	return (struct kernel_siginfo){.si_code = code, .u = {(uint32_t)current->tgid, 0}};
}

struct pid_list {
	int pids[NR_TASKS], n, self;
};

static void collect_process(struct task_struct *leader, void *ctx)
{
	struct pid_list *l = ctx;

	if (!leader->is_kthread && leader->pid != l->self && l->n < NR_TASKS)
		l->pids[l->n++] = leader->pid;
}

/*
 * kill(2). flushlab keeps no process groups yet: each process is its own
 * group, so pid 0 is the caller's process and -PGID is process PGID. pid
 * -1 is every user process but the caller (Linux: all it may signal but
 * init and itself); -ESRCH if there was none. The lookup comes before the
 * signal check (-ESRCH before -EINVAL), as in Linux.
 */
long sys_kill(struct trap_frame *r)
{
	int pid = (int)ARG1(r), sig = (int)ARG2(r), err = -ESRCH;
	struct kernel_siginfo info = sender_info(SI_USER);
	static struct pid_list list; /* too big for the kernel stack; under its own lock */
	static DEFINE_SPINLOCK(list_lock);

	if (pid == 0)
		pid = current->tgid;
	if (pid != -1)
		return signal_process(pid < 0 ? -pid : pid, sig, &info);
	spin_lock(&list_lock);
	list.n = 0;
	list.self = current->tgid;
	task_for_each_process(collect_process, &list);
	for (int i = 0; i < list.n; i++) {
		int e = signal_process(list.pids[i], sig, &info);

		if (e != -ESRCH)
			err = err == 0 ? 0 : e;
	}
	spin_unlock(&list_lock);
	return err;
}

static long do_tkill(int tgid, int tid, int sig)
{
	struct kernel_siginfo info = sender_info(SI_TKILL);

	return signal_thread(tgid, tid, sig, &info);
}

long sys_tgkill(struct trap_frame *r)
{
	if ((int)ARG1(r) <= 0 || (int)ARG2(r) <= 0)
		return -EINVAL;
	return do_tkill((int)ARG1(r), (int)ARG2(r), (int)ARG3(r));
}

long sys_tkill(struct trap_frame *r)
{
	if ((int)ARG1(r) <= 0)
		return -EINVAL;
	return do_tkill(0, (int)ARG1(r), (int)ARG2(r));
}

/* Linux's order: a sigsetsize above 8 is -EINVAL; the pending signals the thread blocks. */
long sys_rt_sigpending(struct trap_frame *r)
{
	struct task_struct *t = current;
	sigset_t set;

	if (ARG2(r) > sizeof(sigset_t))
		return -EINVAL;
	set = (READ_ONCE(t->sig.pending.signal) |
	       READ_ONCE(t->group_leader->signal.shared_pending.signal)) &
	      t->sig.blocked;
	return copy_to_user(ARG1(r), &set, ARG2(r)) ? -EFAULT : 0;
}

/*
 * rt_sigsuspend(2): wait under a temporary mask until a signal runs a
 * handler (-EINTR; the frame saves the old mask, so sigreturn puts it
 * back) or ends the process; a signal with no handler puts the old mask
 * back and the call is made again (-ERESTARTNOHAND), as Linux's.
 */
long sys_rt_sigsuspend(struct trap_frame *r)
{
	int err;

	if (ARG2(r) != sizeof(sigset_t))
		return -EINVAL;
	err = ARG1(r) ? set_user_sigmask(ARG1(r), ARG2(r)) : -EFAULT;
	return err ? err : sleep_until_signal();
}

int set_user_sigmask(uintptr_t umask, size_t size)
{
	struct task_struct *t = current;
	struct process_signal *ps = &t->group_leader->signal;
	sigset_t set;
	uint64_t flags;

	if (!umask)
		return 0;
	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, umask, sizeof(set)))
		return -EFAULT;
	spin_lock_irqsave(&ps->siglock, flags);
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_sigmask = true;
	t->sig.blocked = set & ~UNBLOCKABLE;
	spin_unlock_irqrestore(&ps->siglock, flags);
	return 0;
}

void restore_saved_sigmask_unless(bool interrupted)
{
	struct task_struct *t = current;
	struct process_signal *ps = &t->group_leader->signal;
	uint64_t flags;

	if (interrupted || !t->sig.restore_sigmask)
		return; /* delivery puts it back, after a handler's frame has saved it */
	spin_lock_irqsave(&ps->siglock, flags);
	t->sig.blocked = t->sig.saved_mask;
	t->sig.restore_sigmask = false;
	spin_unlock_irqrestore(&ps->siglock, flags);
}
