/*
 * execve(2) of a program in the initramfs (Linux's do_execveat_common and
 * begin_new_exec, for one thread): the path, argv and envp are copied in,
 * a new mm is built and loaded by exec_load (task/exec.c), and only when
 * that succeeded is the old mm dropped; a failure leaves the caller as it
 * was. A vfork parent waiting for this child goes on (the child let go of
 * its mm). From a process with several threads the others die first
 * (Linux's de_thread), when the leader execs; from another thread Linux
 * moves the leader's pid to it, which is not done here: -ENOSYS, counted.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "fs/fs.h"
#include "task/exec.h"
#include "task/futex.h"
#include "task/hrtimer.h"
#include "task/ramfs.h"
#include "task/sched.h"
#include "task/task.h"
#include "task/task_priv.h"

#define EXECVE_BUF_ORDER 1	     /* 8 KiB: the strings, then the two pointer arrays */
#define DE_THREAD_POLL_NS 1000000ULL /* how often exec looks whether the others are gone */

struct execve_args {
	char *strings; /* EXEC_ARGS_MAX bytes */
	size_t used;
	char **argv, **envp; /* EXEC_ARGC_MAX + 1 each, NULL-terminated */
};

/* Copy the NULL-terminated user array @uvec of strings into @out: 0, -EFAULT or -E2BIG. */
static int copy_strings(struct execve_args *a, uintptr_t uvec, char **out)
{
	int n = 0;

	for (; uvec; n++) {
		uint64_t up;
		long len;

		if (copy_from_user(&up, uvec + n * sizeof(up), sizeof(up)))
			return -EFAULT;
		if (!up)
			break;
		if (n == EXEC_ARGC_MAX)
			return -E2BIG;
		len = strncpy_from_user(a->strings + a->used, up, EXEC_ARGS_MAX - a->used);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		if (a->used + len >= EXEC_ARGS_MAX)
			return -E2BIG;
		out[n] = a->strings + a->used;
		a->used += len + 1;
	}
	out[n] = NULL;
	return 0;
}

/* Find the program: 0 and *@out, -ENOENT, or -EACCES (not executable). */
static int execve_lookup(uintptr_t upath, char *norm, const struct ramfs_file **out)
{
	char path[PSEUDOFS_PATH_MAX];
	long len = strncpy_from_user(path, upath, sizeof(path));
	int err;

	if (len < 0)
		return (int)len;
	if (len == sizeof(path))
		return -ENAMETOOLONG;
	if (!len)
		return -ENOENT;
	err = pseudofs_normalize(path, norm, PSEUDOFS_PATH_MAX);
	if (err)
		return err;
	*out = ramfs_lookup(norm);
	if (!*out)
		return -ENOENT;
	return ((*out)->mode & RAMFS_MODE_EXEC) ? 0 : -EACCES;
}

/* Load @f into a new mm for the current task: 0 with the old mm dropped, or -errno and no change.
 */
static int exec_new_mm(struct task_struct *t, const struct ramfs_file *f, struct execve_args *a)
{
	struct mm_struct *old = t->mm, *mm = mm_alloc();
	uint64_t flags;
	int err;

	if (!mm)
		return -ENOMEM;
	flags = local_irq_save();
	t->mm = mm;
	switch_mm_irqs_off(old, mm);
	local_irq_restore(flags);
	err = exec_load(t, f->data, f->size, a->argv, a->envp);
	flags = local_irq_save();
	if (err) {
		t->mm = old;
		switch_mm_irqs_off(mm, old);
	}
	local_irq_restore(flags);
	mmput(err ? mm : old); /* the old one may still be a vfork parent's */
	return err;
}

/* The point of no return is behind us: the rest of the task's state for the new program. */
static void exec_commit(struct task_struct *t, const char *path)
{
	struct task_struct *leader = t->group_leader;
	const char *base = path;
	uint64_t flags;

	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	spin_lock_irqsave(&tasks_lock, flags);
	leader->proc_mm = t->mm;
	snprintf(leader->comm, sizeof(leader->comm), "%s", base);
	vfork_release_locked(leader);
	spin_unlock_irqrestore(&tasks_lock, flags);
	files_close_on_exec(t); /* Linux's do_close_on_exec: FD_CLOEXEC fds go */
	t->clear_child_tid = 0; /* Linux's mm_release: the old mm's word is gone */
	t->fsbase = t->gsbase = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	fpu_init_state(t);
	fpu_restore(t->fpu); /* the new program starts with FNINIT's state */
}

/*
 * Linux's de_thread, for the group leader: every other thread dies as on
 * a kill (marked killed under tasks_lock and woken if asleep; one in ring
 * 3 on another CPU notices at its next tick or kernel entry), and the
 * exec waits until they are gone, so the new program starts alone. A
 * clone racing with it is refused (task_add_thread sees its caller
 * killed). -EINTR if this process is killed meanwhile, -ENOSYS from a
 * thread that is not the leader.
 */
static int de_thread(struct task_struct *t)
{
	struct task_struct *leader = t->group_leader;
	uint64_t flags;
	int err = 0;

	if (READ_ONCE(leader->live_threads) == 1)
		return 0;
	if (t != leader)
		return -ENOSYS;
	spin_lock_irqsave(&tasks_lock, flags);
	if (leader->group_exiting)
		err = -EINTR;
	else
		kill_threads_locked(leader, t);
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (err)
		return err;
	futex_wake_killed(leader);
	fs_wake_killed(leader);
	while (READ_ONCE(leader->live_threads) > 1) {
		if (READ_ONCE(t->killed))
			return -EINTR;
		set_current_interruptible();
		schedule_hrtimeout(clock_ns() + DE_THREAD_POLL_NS);
		t->state = TASK_RUNNING;
	}
	return 0;
}

long sys_execve(struct trap_frame *r)
{
	struct task_struct *t = current;
	char norm[PSEUDOFS_PATH_MAX];
	const struct ramfs_file *f = NULL;
	struct page *buf;
	struct execve_args a;
	int err = execve_lookup(r->rdi, norm, &f);

	if (err)
		return err;
	if (t != t->group_leader && READ_ONCE(t->group_leader->live_threads) > 1)
		return -ENOSYS; /* exec from a thread that is not the leader: not implemented */
	buf = alloc_pages(GFP_KERNEL, EXECVE_BUF_ORDER);
	if (!buf)
		return -ENOMEM;
	a.strings = page_address(buf);
	a.used = 0;
	a.argv = (char **)(a.strings + EXEC_ARGS_MAX);
	a.envp = a.argv + EXEC_ARGC_MAX + 1;
	err = copy_strings(&a, r->rsi, a.argv) ?: copy_strings(&a, r->rdx, a.envp);
	if (!err) /* the others go once the arguments are ours: they may be in their memory */
		err = de_thread(t);
	if (!err)
		err = exec_new_mm(t, f, &a);
	__free_pages(buf, EXECVE_BUF_ORDER);
	if (err)
		return err;
	exec_commit(t, norm);
	return 0; /* RAX at the entry point: 0, as Linux leaves it */
}
