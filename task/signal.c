/*
 * Signals, Linux's model (kernel/signal.c): sending queues a signal on a
 * thread or on its process and wakes one thread that does not block it;
 * the thread takes it on its way back to ring 3 (exit_to_user_mode ->
 * do_signal), where the default action runs or a handler frame is built
 * (task/sigframe.c). Standard and real-time signals alike are kept
 * as one pending instance each (Linux queues real-time ones: not done).
 * Locks: tasks_lock (finding the target) -> siglock -> run-queue locks.
 */
#include "task/signal.h"
#include "task/sigframe.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/platform.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "smp/smp.h"
#include "task/sched.h"
#include "task/task.h"
#include "task/task_priv.h"

/* Linux's sig_kernel_* classes (include/linux/signal.h). */
#define SIG_KERNEL_ONLY_MASK (sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_KERNEL_IGNORE_MASK                                                                     \
	(sigmask(SIGCONT) | sigmask(SIGCHLD) | sigmask(SIGWINCH) | sigmask(SIGURG))
#define SIG_KERNEL_STOP_MASK                                                                       \
	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define SYNCHRONOUS_MASK                                                                           \
	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | sigmask(SIGTRAP) |                 \
	 sigmask(SIGFPE) | sigmask(SIGSYS))

static struct process_signal *sig_of(struct task_struct *t)
{
	return &t->group_leader->signal;
}

/*
 * Default action "ignore": Linux's ignore class, and the stop class too,
 * because flushlab has no job control (a stopped process could only be
 * continued by a SIGCONT nobody sends); said at run time by the console's
 * kill, which refuses SIGSTOP.
 */
static bool sig_default_ignored(int sig)
{
	return sig < SIGRTMIN && (sigmask(sig) & (SIG_KERNEL_IGNORE_MASK | SIG_KERNEL_STOP_MASK));
}

static bool sig_handler_ignored(const struct k_sigaction *ka, int sig)
{
	return ka->handler == SIG_IGN_HANDLER ||
	       (ka->handler == SIG_DFL_HANDLER && sig_default_ignored(sig));
}

bool signal_pending(struct task_struct *t)
{
	sigset_t pend =
	    READ_ONCE(t->sig.pending.signal) | READ_ONCE(sig_of(t)->shared_pending.signal);

	return (pend & ~READ_ONCE(t->sig.blocked)) || READ_ONCE(t->killed);
}

/*
 * Linux's signal_wake_up: a sleeping target is woken (its sleep sees
 * signal_pending and ends with -ERESTART* or -EINTR); one running in ring
 * 3 on another CPU gets a reschedule IPI, whose return to ring 3 runs
 * exit_to_user_mode. One in the kernel or on this CPU sees it on its way out.
 */
void signal_wake_up(struct task_struct *t)
{
	/*
	 * The caller just queued a signal (or set killed): that store must be
	 * visible before we read the target's state, as the sleeper fences
	 * between storing its state and reading signal_pending; x86 lets a
	 * load pass an earlier store otherwise (SDM vol. 3A 9.2.3.4).
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (READ_ONCE(t->state) == TASK_INTERRUPTIBLE)
		wake_up_task(t);
	else if (t != current && READ_ONCE(t->on_cpu) && t->cpu != this_cpu_id())
		smp_send_reschedule(t->cpu);
}

/* Queue @sig on @pending (one instance: a second send while pending is merged). */
static void sigaddpending(struct sigpending *p, int sig, const struct kernel_siginfo *info)
{
	if (p->signal & sigmask(sig))
		return;
	p->signal |= sigmask(sig);
	p->info[sig - 1] = *info;
	p->info[sig - 1].si_signo = sig;
}

static bool wants_signal(struct task_struct *t, void *ctx)
{
	int sig = *(int *)ctx;

	return t->state != TASK_DEAD && !(READ_ONCE(t->sig.blocked) & sigmask(sig));
}

/*
 * The send, under tasks_lock (the target cannot go). SIGKILL ends the
 * process at once (every thread marked and woken: Linux's fatal-signal
 * shortcut in complete_signal). An ignored signal is dropped at the send,
 * as Linux's sig_ignored does, unless the target blocks it.
 */
int send_signal_locked(int sig, const struct kernel_siginfo *info, struct task_struct *t,
		       bool group)
{
	struct process_signal *ps = sig_of(t);
	struct task_struct *wake = t;
	uint64_t flags;

	if (sig == SIGKILL) {
		kill_group_locked(t->group_leader, SIGKILL);
		return 0;
	}
	spin_lock_irqsave(&ps->siglock, flags);
	if (sig_handler_ignored(&ps->action[sig - 1], sig) && !(t->sig.blocked & sigmask(sig))) {
		spin_unlock_irqrestore(&ps->siglock, flags);
		return 0;
	}
	sigaddpending(group ? &ps->shared_pending : &t->sig.pending, sig, info);
	spin_unlock_irqrestore(&ps->siglock, flags);
	if (group && !wants_signal(t, &sig))
		wake = task_find_thread_locked(t->group_leader, wants_signal, &sig);
	if (wake)
		signal_wake_up(wake);
	return 0;
}

struct send_ctx {
	int sig;
	const struct kernel_siginfo *info;
	bool group;
};

static int send_fn(struct task_struct *t, void *data)
{
	struct send_ctx *c = data;
	struct kernel_siginfo kernel = {.si_code = SI_KERNEL};

	if (c->sig < 0 || c->sig > _NSIG)
		return -EINVAL; /* after the lookup: Linux's check_kill_permission */
	if (t->is_kthread)
		return -EPERM; /* Linux's kthreads ignore signals; the console says so */
	if (c->sig == 0)
		return 0; /* kill(pid, 0): the target exists */
	return send_signal_locked(c->sig, c->info ? c->info : &kernel, t, c->group);
}

int group_send_sig_info(int sig, const struct kernel_siginfo *info, struct task_struct *leader)
{
	return signal_process(leader->pid, sig, info);
}

int signal_process(int pid, int sig, const struct kernel_siginfo *info)
{
	struct send_ctx c = {sig, info, true};

	return task_call_process(pid, send_fn, &c);
}

int signal_thread(int tgid, int tid, int sig, const struct kernel_siginfo *info)
{
	struct send_ctx c = {sig, info, false};

	return task_call_thread(tgid, tid, send_fn, &c);
}

int send_sig_info(int sig, const struct kernel_siginfo *info, struct task_struct *t)
{
	return signal_thread(t->tgid, t->pid, sig, info);
}

bool force_sig_fault(int sig, int code, uint64_t addr, uint64_t trapno, uint64_t err)
{
	struct task_struct *t = current;
	struct process_signal *ps = sig_of(t);
	struct kernel_siginfo info = {.si_signo = sig, .si_code = code, .u = {addr, 0}};
	struct k_sigaction *ka = &ps->action[sig - 1];
	uint64_t flags;
	bool fatal;

	if (trapno == VEC_PAGE_FAULT)
		t->sig.fault_cr2 = addr; /* Linux's thread.cr2: kept until the next #PF */
	t->sig.fault_trapno = trapno;
	t->sig.fault_err = err;
	spin_lock_irqsave(&ps->siglock, flags);
	if (ka->handler == SIG_IGN_HANDLER || (t->sig.blocked & sigmask(sig))) {
		ka->handler = SIG_DFL_HANDLER; /* Linux's force_sig_info_to_task */
		t->sig.blocked &= ~sigmask(sig);
	}
	fatal = ka->handler == SIG_DFL_HANDLER;
	sigaddpending(&t->sig.pending, sig, &info);
	spin_unlock_irqrestore(&ps->siglock, flags);
	return fatal;
}

/* Linux's next_signal: synchronous (fault) signals first, then the lowest number. */
static int next_signal(sigset_t pending, sigset_t blocked)
{
	sigset_t x = pending & ~blocked;

	if (x & SYNCHRONOUS_MASK)
		x &= SYNCHRONOUS_MASK;
	return x ? __builtin_ctzll(x) + 1 : 0;
}

/* Take one deliverable signal off the thread's set, else the process's. Under siglock. */
static int dequeue_signal(struct task_struct *t, struct kernel_siginfo *info)
{
	struct sigpending *p = &t->sig.pending;
	int sig = next_signal(p->signal, t->sig.blocked);

	if (!sig) {
		p = &sig_of(t)->shared_pending;
		sig = next_signal(p->signal, t->sig.blocked);
	}
	if (sig) {
		p->signal &= ~sigmask(sig);
		*info = p->info[sig - 1];
	}
	return sig;
}

/*
 * Linux's handle_signal and arch_do_signal_or_restart, the restart half:
 * a system call that slept and was interrupted returned -ERESTART*; with a
 * handler to run it becomes -EINTR (for ERESTARTSYS unless SA_RESTART),
 * without one it is made again: RAX gets the number back (kept in the
 * frame's error-code slot, Linux's orig_ax) and RIP goes back over the
 * two-byte SYSCALL. A frame is looked at once (the slot is then -1).
 */
static void syscall_restart(struct trap_frame *regs, const struct k_sigaction *ka)
{
	long ret = (long)regs->rax;

	if (regs->vector != SYSCALL_FRAME_VECTOR || (long)regs->error_code < 0)
		return;
	switch (ret) {
	case -ERESTART_RESTARTBLOCK:
	case -ERESTARTNOHAND:
		if (ka)
			ret = -EINTR;
		break;
	case -ERESTARTSYS:
		if (ka && !(ka->flags & SA_RESTART))
			ret = -EINTR;
		break;
	case -ERESTARTNOINTR:
		break;
	default:
		regs->error_code = (uint64_t)-1;
		return;
	}
	if (ret == -EINTR) {
		regs->rax = (uint64_t)-EINTR;
	} else {
		regs->rax = ret == -ERESTART_RESTARTBLOCK ? __NR_restart_syscall : regs->error_code;
		regs->rip -= 2;
	}
	regs->error_code = (uint64_t)-1;
}

/* A handler runs: the frame, then the mask it runs under (Linux's signal_delivered). */
static void handle_signal(int sig, struct kernel_siginfo *info, struct k_sigaction *ka,
			  struct trap_frame *regs)
{
	struct task_struct *t = current;
	struct process_signal *ps = sig_of(t);
	uint64_t flags;

	sigset_t oldset = t->sig.restore_sigmask ? t->sig.saved_mask : t->sig.blocked;

	syscall_restart(regs, ka);
	if (setup_rt_frame(sig, info, ka, oldset, regs)) {
		printk("%s[%d]: cannot write the frame for signal %d at sp %lx: killed\n", t->comm,
		       t->pid, sig, regs->rsp);
		do_group_exit(SIGSEGV); /* Linux's force_sigsegv, with no second chance */
	}
	spin_lock_irqsave(&ps->siglock, flags);
	t->sig.blocked |= ka->mask | ((ka->flags & SA_NODEFER) ? 0 : sigmask(sig));
	t->sig.blocked &= ~SIG_KERNEL_ONLY_MASK;
	t->sig.restore_sigmask = false; /* the frame's uc_sigmask puts it back at sigreturn */
	spin_unlock_irqrestore(&ps->siglock, flags);
}

void do_signal(struct trap_frame *regs)
{
	struct task_struct *t = current;
	struct process_signal *ps = sig_of(t);
	struct kernel_siginfo info;
	struct k_sigaction ka;
	uint64_t flags;
	int sig;

	for (;;) {
		spin_lock_irqsave(&ps->siglock, flags);
		sig = dequeue_signal(t, &info);
		if (!sig) {
			spin_unlock_irqrestore(&ps->siglock, flags);
			break;
		}
		ka = ps->action[sig - 1];
		if (ka.handler != SIG_DFL_HANDLER && ka.handler != SIG_IGN_HANDLER &&
		    (ka.flags & SA_RESETHAND))
			ps->action[sig - 1].handler = SIG_DFL_HANDLER;
		spin_unlock_irqrestore(&ps->siglock, flags);
		if (sig_handler_ignored(&ka, sig))
			continue;
		if (ka.handler == SIG_DFL_HANDLER)
			do_group_exit(sig); /* terminate (a core would be dumped: none is) */
		handle_signal(sig, &info, &ka, regs);
		return;
	}
	syscall_restart(regs, NULL);  /* nothing to run: made again */
	if (t->sig.restore_sigmask) { /* Linux's restore_saved_sigmask */
		spin_lock_irqsave(&ps->siglock, flags);
		t->sig.blocked = t->sig.saved_mask;
		t->sig.restore_sigmask = false;
		spin_unlock_irqrestore(&ps->siglock, flags);
	}
}

void copy_signal_state(struct task_struct *child, struct task_struct *parent, bool new_process)
{
	struct process_signal *ps = sig_of(parent);
	uint64_t flags;

	spin_lock_irqsave(&ps->siglock, flags);
	child->sig.blocked = parent->sig.blocked;
	if (new_process) /* fork: the handlers are copied, pending sets and timers are not */
		memcpy(child->signal.action, ps->action, sizeof(ps->action));
	spin_unlock_irqrestore(&ps->siglock, flags);
	if (new_process) { /* Linux keeps a fork child's sigaltstack; a CLONE_VM thread's goes */
		child->sig.ss_sp = parent->sig.ss_sp;
		child->sig.ss_size = parent->sig.ss_size;
		child->sig.ss_flags = parent->sig.ss_flags;
	}
}

void signal_exit_process(struct task_struct *leader)
{
	itimer_exit(leader);
}

static const char *const signal_names[] = {
    [SIGHUP] = "SIGHUP",       [SIGINT] = "SIGINT",	  [SIGQUIT] = "SIGQUIT",
    [SIGILL] = "SIGILL",       [SIGTRAP] = "SIGTRAP",	  [SIGABRT] = "SIGABRT",
    [SIGBUS] = "SIGBUS",       [SIGFPE] = "SIGFPE",	  [SIGKILL] = "SIGKILL",
    [SIGUSR1] = "SIGUSR1",     [SIGSEGV] = "SIGSEGV",	  [SIGUSR2] = "SIGUSR2",
    [SIGPIPE] = "SIGPIPE",     [SIGALRM] = "SIGALRM",	  [SIGTERM] = "SIGTERM",
    [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",	  [SIGCONT] = "SIGCONT",
    [SIGSTOP] = "SIGSTOP",     [SIGTSTP] = "SIGTSTP",	  [SIGTTIN] = "SIGTTIN",
    [SIGTTOU] = "SIGTTOU",     [SIGURG] = "SIGURG",	  [SIGXCPU] = "SIGXCPU",
    [SIGXFSZ] = "SIGXFSZ",     [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
    [SIGWINCH] = "SIGWINCH",   [SIGIO] = "SIGIO",	  [SIGPWR] = "SIGPWR",
    [SIGSYS] = "SIGSYS",
};

const char *signal_name(int sig)
{
	return sig > 0 && sig < (int)ARRAY_SIZE(signal_names) ? signal_names[sig] : NULL;
}
