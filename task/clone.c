/*
 * clone(2) for threads: a new task in the caller's process, sharing its
 * mm, files and thread group, starting in ring 3 right after the SYSCALL
 * with RAX = 0 on the stack it was given. Only the thread form
 * pthread_create uses is implemented; fork (no CLONE_VM) answers -ENOSYS.
 */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/uaccess.h"
#include "lib/errno.h"
#include "mm/mm_user.h"
#include "uapi/sched.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"
#include "task/task_priv.h"

#define CLONE_THREAD_FLAGS (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND)
#define CLONE_KNOWN                                                                                \
	(CLONE_THREAD_FLAGS | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_SETTLS |              \
	 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID)

/* Linux's raw x86-64 order: clone(flags, newsp, parent_tid, child_tid, tls). */
long sys_clone_thread(struct trap_frame *r)
{
	struct task_struct *parent = current, *t;
	uint64_t flags = r->rdi, newsp = r->rsi, ptid = r->rdx, ctid = r->r10, tls = r->r8;
	struct trap_frame *regs;
	int cpu, err;

	if ((flags & CLONE_THREAD_FLAGS) != CLONE_THREAD_FLAGS || (flags & ~(CLONE_KNOWN | 0xff)))
		return -ENOSYS; /* fork and the rarer flags: not implemented */
	if ((flags & CLONE_SETTLS) && tls >= TASK_SIZE)
		return -EPERM;
	cpu = sched_pick_cpu(parent->cpus_allowed);
	t = task_alloc(parent->comm);
	if (!t)
		return -EAGAIN;
	err = task_add_thread(parent->group_leader, t); /* -EINTR once exit_group began */
	if (err) {
		task_discard_slot(t);
		return err;
	}
	mmget(parent->mm);
	t->mm = parent->mm;
	t->cpus_allowed = parent->cpus_allowed;
	t->cpu = cpu;
	t->fsbase = (flags & CLONE_SETTLS) ? tls : parent->fsbase;
	t->gsbase = parent->gsbase;
	t->start_brk = parent->start_brk;
	copy_signal_state(t, parent, false); /* the blocked mask; a thread shares the handlers */
	fpu_save(t->fpu); /* a copy of the caller's FPU/SIMD registers, as Linux's clone */
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = ctid;
	regs = task_pt_regs(t);
	*regs = *task_pt_regs(parent);
	regs->rax = 0;
	if (newsp)
		regs->rsp = newsp;
	/*
	 * Linux ignores a failed tid store: kernel_clone's put_user to
	 * parent_tid and schedule_tail's to child_tid have their results
	 * dropped, and the thread exists either way.
	 */
	if (flags & CLONE_PARENT_SETTID)
		(void)copy_to_user(ptid, &t->pid, sizeof(int));
	if (flags & CLONE_CHILD_SETTID)
		(void)copy_to_user(ctid, &t->pid, sizeof(int));
	task_prepare_first_switch(t);
	__atomic_add_fetch(&nr_tasks_started, 1, __ATOMIC_RELAXED);
	wake_up_new_task(t);
	return t->pid;
}
