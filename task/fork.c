/*
 * fork, vfork and clone without CLONE_THREAD: a new process (Linux's
 * kernel_clone and copy_process, the process case). The child gets a copy
 * of the address space (mm/fork.c: copy-on-write; or the same mm with
 * CLONE_VM, as vfork and posix_spawn ask), a copy of the fd table sharing
 * the open files, the caller's registers with RAX = 0, and the caller's
 * process as its parent, which reaps it with wait4 (task/wait.c). glibc's
 * fork() is clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
 * 0, NULL, &tid, 0): the tid is stored in the child's memory when it
 * first runs, as Linux's schedule_tail does.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/uaccess.h"
#include "lib/errno.h"
#include "mm/mm_user.h"
#include "fs/fs.h"
#include "task/sched.h"
#include "task/task.h"
#include "task/task_priv.h"
#include "uapi/sched.h"
#include "uapi/signal.h"

/* What a process clone may ask for; CLONE_FILES, CLONE_FS etc. without threads: -ENOSYS. */
#define FORK_KNOWN                                                                                 \
	(CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID |                   \
	 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED)

/* Make @t a child of @leader's process, unless that has begun to exit (-EINTR). */
static int fork_link(struct task_struct *leader, struct task_struct *t)
{
	uint64_t flags;
	int err = 0;

	spin_lock_irqsave(&tasks_lock, flags);
	if (leader->group_exiting) {
		err = -EINTR; /* Linux: a fatal signal is pending, the fork is abandoned */
	} else {
		t->parent = leader;
		t->pgid = leader->pgid;
		t->live_threads = 1;
		t->proc_mm = t->mm;
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return err;
}

/* The child's user state: the caller's registers, TLS and FPU, RAX 0. */
static void fork_regs(struct task_struct *parent, struct task_struct *t, uint64_t flags,
		      uint64_t newsp, uint64_t tls)
{
	struct trap_frame *regs = task_pt_regs(t);

	t->cpus_allowed = parent->cpus_allowed;
	t->fsbase = (flags & CLONE_SETTLS) ? tls : parent->fsbase;
	t->gsbase = parent->gsbase;
	t->start_brk = parent->start_brk;
	fpu_save(t->fpu); /* the caller's live registers, as Linux's fork copies them */
	*regs = *task_pt_regs(parent);
	regs->rax = 0;
	if (newsp)
		regs->rsp = newsp;
}

/*
 * CLONE_VFORK: the caller sleeps until the child lets go of the shared
 * mm (exec or exit: vfork_release_locked). The check and the sleep are
 * under tasks_lock, which the release takes too, so the wake is not lost.
 * A kill ends the wait; the child then has no waiter to wake.
 */
static void wait_for_vfork_done(struct task_struct *me, struct task_struct *child)
{
	for (;;) {
		uint64_t flags;
		bool done;

		spin_lock_irqsave(&tasks_lock, flags);
		done = child->vfork_waiter != me;
		if (!done && READ_ONCE(me->killed)) {
			child->vfork_waiter = NULL;
			done = true;
		}
		if (!done) {
			me->state = TASK_INTERRUPTIBLE;
			me->in_wait = true;
		}
		spin_unlock_irqrestore(&tasks_lock, flags);
		if (done)
			return;
		schedule();
		me->in_wait = false;
	}
}

long do_fork(struct trap_frame *r, uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid,
	     uint64_t tls)
{
	struct task_struct *parent = current, *t;
	int err = 0, pid;

	if (flags & ~FORK_KNOWN)
		return -ENOSYS; /* process clones sharing files, fs or signal handlers */
	if ((flags & CLONE_SETTLS) && tls >= TASK_SIZE)
		return -EPERM;
	reap_orphans();
	t = task_alloc(parent->comm);
	if (!t)
		return -EAGAIN; /* no task slot: Linux's RLIMIT_NPROC answer */
	dup_files(t, parent);
	if (flags & CLONE_VM) {
		mmget(parent->mm);
		t->mm = parent->mm;
	} else {
		t->mm = dup_mm(parent->mm, &err);
	}
	if (!err)
		err = fork_link(parent->group_leader, t);
	if (err) {
		task_discard(t);
		return err;
	}
	t->exit_signal = (int)(flags & CSIGNAL);
	t->cpu = sched_pick_cpu(parent->cpus_allowed);
	fork_regs(parent, t, flags, newsp, tls);
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;
	if (flags & CLONE_CHILD_SETTID)
		t->set_child_tid = ctid; /* in the child's mm: fork_schedule_tail */
	if (flags & CLONE_PARENT_SETTID)
		(void)copy_to_user(ptid, &t->pid, sizeof(int)); /* Linux ignores a fault here too */
	if (flags & CLONE_VFORK)
		t->vfork_waiter = parent;
	pid = t->pid;
	task_prepare_first_switch(t);
	__atomic_add_fetch(&nr_tasks_started, 1, __ATOMIC_RELAXED);
	wake_up_new_task(t);
	if (flags & CLONE_VFORK)
		wait_for_vfork_done(parent, t);
	return pid;
}

/* The child's first run, on its own stack with its mm loaded; interrupts off. */
void fork_schedule_tail(struct task_struct *t)
{
	if (!t->set_child_tid)
		return;
	local_irq_enable(); /* the store may fault, copy on write, and flush */
	(void)copy_to_user(t->set_child_tid, &t->pid, sizeof(int)); /* Linux ignores a fault */
	local_irq_disable();
	t->set_child_tid = 0;
}

long sys_fork(struct trap_frame *r)
{
	return do_fork(r, SIGCHLD, 0, 0, 0, 0);
}

long sys_vfork(struct trap_frame *r)
{
	return do_fork(r, CLONE_VFORK | CLONE_VM | SIGCHLD, 0, 0, 0, 0);
}
