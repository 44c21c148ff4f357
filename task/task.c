/*
 * Task slots and the life of a process: spawn (a slot, a kernel stack, an
 * mm, exec, a run queue), exit (thread by thread; the last one closes the
 * files and drops the mm), kill, and reaping by the console, after which
 * every frame the process used is free again.
 */
#include "task/task.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "smp/cpumask.h"
#include "smp/smp.h"
#include "task/exec.h"
#include "fs/fs.h"
#include "task/futex.h"
#include "task/sched.h"
#include "task/task_priv.h"

struct task_struct tasks[NR_TASKS];
struct spinlock tasks_lock; /* slots, pids, the process fields of leaders */
static int next_pid = 1;
uint64_t nr_tasks_started;

int nr_tasks_alive(void)
{
	int n = 0;

	for (int i = 0; i < NR_TASKS; i++)
		n += READ_ONCE(tasks[i].state) != TASK_UNUSED;
	return n;
}

static void set_comm(struct task_struct *t, const char *path)
{
	const char *base = path;

	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			base = p + 1;
	snprintf(t->comm, sizeof(t->comm), "%s", base);
}

struct task_struct *task_alloc(const char *comm)
{
	struct task_struct *t = NULL;
	struct page *stack = alloc_pages(GFP_KERNEL, KERNEL_STACK_ORDER);
	uint64_t flags;

	if (!stack)
		return NULL;
	spin_lock_irqsave(&tasks_lock, flags);
	for (int i = 0; i < NR_TASKS && !t; i++) {
		if (tasks[i].state == TASK_UNUSED) {
			t = &tasks[i];
			memset(t, 0, sizeof(*t));
			t->state = TASK_NEW;
			t->pid = t->tgid = next_pid++;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	if (!t) {
		__free_pages(stack, KERNEL_STACK_ORDER);
		return NULL;
	}
	t->group_leader = t;
	t->nr_stacks = 1;
	t->stack_page = stack;
	t->stack_top = (uintptr_t)page_address(stack) + KERNEL_STACK_SIZE;
	t->cpus_allowed = ~0ULL;
	set_comm(t, comm);
	return t;
}

void task_release_slot(struct task_struct *t)
{
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	t->state = TASK_UNUSED;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* The dead task is off every CPU: its stack goes; a thread's slot too. */
void task_free_dead(struct task_struct *t)
{
	struct task_struct *leader = t->group_leader;
	uint64_t flags;

	if (t->stack_page)
		__free_pages(t->stack_page, KERNEL_STACK_ORDER);
	t->stack_page = NULL;
	spin_lock_irqsave(&tasks_lock, flags);
	leader->nr_stacks--;
	if (t != leader)
		t->state = TASK_UNUSED; /* a leader's slot stays until the console reaps it */
	if (leader->nr_stacks == 0 && READ_ONCE(leader->proc_exited))
		wake_waiters_locked(leader->parent); /* a zombie now: its parent may reap it */
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* A task that never ran (exec or fork failed): give everything back at once. */
void task_discard(struct task_struct *t)
{
	files_close_all(t);
	if (t->mm)
		mmput(t->mm);
	t->mm = NULL;
	task_free_dead(t);
	task_release_slot(t);
}

/*
 * Make @t a thread of @leader's process (clone), or refuse with -EINTR if
 * the process has begun to exit. Linux's copy_process decides the same
 * under the siglock that exit_group's zap_other_threads holds: here both
 * decide under tasks_lock, so either kill_group came first, set
 * group_exiting and we refuse, or we come first and its scan finds @t
 * (group_leader set, state TASK_NEW) and marks it killed; then @t dies on
 * its first way to ring 3 (schedule_tail's exit_to_user_mode). Before,
 * a kill between the caller's check and this point found @t still its
 * own leader and missed it: the thread outlived its process.
 */
int task_add_thread(struct task_struct *leader, struct task_struct *t)
{
	uint64_t flags;
	int err = 0;

	spin_lock_irqsave(&tasks_lock, flags);
	if (leader->group_exiting || READ_ONCE(current->killed)) {
		err = -EINTR; /* an exit_group, or an exec's de_thread, came first */
	} else {
		t->group_leader = leader;
		t->tgid = leader->pid;
		t->nr_stacks = 0;
		leader->nr_stacks++;
		leader->live_threads++;
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return err;
}

/* A slot task_alloc gave that never became a thread (task_add_thread refused). */
void task_discard_slot(struct task_struct *t)
{
	task_free_dead(t); /* its own leader: the stack goes, the slot stays */
	task_release_slot(t);
}

struct mm_struct *task_get_mm(struct task_struct *leader)
{
	struct mm_struct *mm;
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	mm = leader->proc_mm;
	if (mm)
		mmget(mm); /* the last thread clears proc_mm under this lock before its mmput */
	spin_unlock_irqrestore(&tasks_lock, flags);
	return mm;
}

/* Linux's thread_group_cputime: the exited threads' time and the live ones'. */
uint64_t thread_group_cputime(struct task_struct *leader)
{
	uint64_t flags, sum;

	spin_lock_irqsave(&tasks_lock, flags);
	sum = leader->dead_exec_ns;
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (t->state != TASK_UNUSED && t->group_leader == leader && !t->exec_folded)
			sum += task_sched_runtime(t);
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return sum;
}

/* Fill one `ps` line's numbers for @leader under the tasks lock (its mm cannot go). */
void task_process_stats(struct task_struct *leader, int *threads, unsigned long *rss_pages)
{
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	*threads = leader->live_threads;
	*rss_pages = leader->proc_mm ? get_mm_rss(leader->proc_mm) : 0;
	spin_unlock_irqrestore(&tasks_lock, flags);
}

/* Make @t current with its mm loaded on this CPU, for exec's copies; then undo it. */
static void exec_in(struct task_struct *t, int *err, const void *image, size_t size,
		    char *const argv[])
{
	uint64_t flags = local_irq_save();

	this_cpu_ptr()->current_task = t;
	switch_mm_irqs_off(NULL, t->mm);
	local_irq_restore(flags);
	*err = exec_load(t, image, size, argv, NULL);
	flags = local_irq_save();
	switch_mm_irqs_off(t->mm, NULL); /* lazily kept until it runs or mmput */
	this_cpu_ptr()->current_task = NULL;
	local_irq_restore(flags);
}

int task_spawn(const char *path, const void *image, size_t size, char *const argv[],
	       uint64_t cpus_allowed)
{
	struct task_struct *t;
	int err, cpu;

	if (current)
		return -EBUSY; /* the console's context only */
	cpus_allowed = (cpus_allowed ? cpus_allowed : ~0ULL) & cpu_online_mask.bits[0];
	cpu = sched_pick_cpu(cpus_allowed);
	if (cpu < 0)
		return -EINVAL;
	t = task_alloc(path);
	if (!t)
		return -EAGAIN;
	files_init(t, path);
	t->mm = t->proc_mm = mm_alloc();
	if (!t->mm) {
		task_discard(t);
		return -ENOMEM;
	}
	exec_in(t, &err, image, size, argv);
	if (err) {
		task_discard(t);
		return err;
	}
	t->live_threads = 1;
	t->pgid = t->pid; /* a process group of its own, as a shell's job */
	t->cpus_allowed = cpus_allowed;
	t->cpu = cpu;
	fpu_init_state(t);
	task_prepare_first_switch(t);
	__atomic_add_fetch(&nr_tasks_started, 1, __ATOMIC_RELAXED);
	wake_up_new_task(t);
	return t->pid;
}

/*
 * Thread exit: tell a joiner (CLONE_CHILD_CLEARTID: zero the tid word and
 * wake its futex), drop the mm; the last thread closes the files and makes
 * the process reapable. Then schedule away for good.
 */
void do_exit(int wstatus)
{
	struct task_struct *t = current, *leader;
	struct mm_struct *mm;
	uint32_t zero = 0;
	uint64_t flags;
	bool last;

	BUG_ON(!t);
	leader = t->group_leader;
	mm = t->mm;
	local_irq_enable(); /* mm and futex locks are taken with interrupts on */
	if (t->clear_child_tid && !copy_to_user(t->clear_child_tid, &zero, sizeof(zero)))
		futex_wake(mm, t->clear_child_tid, 1);
	spin_lock_irqsave(&tasks_lock, flags);
	leader->dead_exec_ns += task_sched_runtime(t); /* what follows is not counted */
	t->exec_folded = true;
	last = --leader->live_threads == 0;
	if (!leader->group_exiting && last)
		leader->exit_code = wstatus;
	if (last)
		leader->proc_mm = NULL; /* ps reads it under tasks_lock */
	if (last) {
		forget_children_locked(leader); /* orphans: reaped when they end */
		notify_parent_locked(leader);	/* SIGCHLD: the exit code is final now */
	}
	if (t == leader)
		vfork_release_locked(leader); /* exec or exit: the vfork parent goes on */
	spin_unlock_irqrestore(&tasks_lock, flags);
	t->mm = NULL;
	mmput(mm);
	if (last) {
		files_close_all(leader);
		signal_exit_process(leader); /* its ITIMER_REAL stops */
		reap_orphans();		     /* its ended orphans, no parent to reap them now */
	}
	local_irq_disable();
	t->state = TASK_DEAD;
	if (last)
		WRITE_ONCE(leader->proc_exited,
			   true); /* the console may reap once the stack is gone */
	schedule();
	__builtin_unreachable();
}

/*
 * End @leader's process with wait status @wstatus (a signal number, or an
 * exit_group code << 8): every thread dies at its next kernel entry or
 * tick; the sleeping ones (futex, nanosleep, pause ...) are woken for it.
 * Caller holds tasks_lock; wake_up_task's run-queue lock nests inside it.
 */
void kill_group_locked(struct task_struct *leader, int wstatus)
{
	if (!leader->group_exiting) {
		leader->group_exiting = true;
		leader->exit_code = wstatus;
	}
	kill_threads_locked(leader, NULL);
}

void kill_threads_locked(struct task_struct *leader, struct task_struct *except)
{
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (t->state != TASK_UNUSED && t->state != TASK_DEAD && t->group_leader == leader &&
		    t != except) {
			WRITE_ONCE(t->killed, true);
			/*
			 * The other half of the sleepers' barrier (set_current_interruptible,
			 * wait_woken): they store their state, fence, then read killed; we
			 * store killed, fence, then read their state. Without it x86 may
			 * let our state load pass the killed store (SDM vol. 3A 9.2.3.4),
			 * so we would see RUNNING while it sees killed false and sleeps.
			 */
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (READ_ONCE(t->state) == TASK_INTERRUPTIBLE && !t->is_kthread)
				wake_up_task(t);
		}
	}
}

static void kill_group(struct task_struct *leader, int wstatus)
{
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	kill_group_locked(leader, wstatus);
	spin_unlock_irqrestore(&tasks_lock, flags);
	futex_wake_killed(leader);
	fs_wake_killed(leader); /* pipe and poll sleepers (fs/wait.c) */
}

/* A live thread: a slot in use whose task has not exited. */
static bool thread_alive(const struct task_struct *t)
{
	return t->state != TASK_UNUSED && t->state != TASK_DEAD;
}

int task_call_process(int pid, int (*fn)(struct task_struct *leader, void *ctx), void *ctx)
{
	int err = -ESRCH;
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (pid > 0 && t->state != TASK_UNUSED && t->group_leader == t && t->pid == pid &&
		    !t->proc_exited) {
			err = fn(t, ctx);
			break;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return err;
}

int task_call_thread(int tgid, int tid, int (*fn)(struct task_struct *t, void *ctx), void *ctx)
{
	int err = -ESRCH;
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (tid > 0 && thread_alive(t) && t->pid == tid && (tgid <= 0 || t->tgid == tgid)) {
			err = fn(t, ctx);
			break;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return err;
}

struct task_struct *task_find_thread_locked(struct task_struct *leader,
					    bool (*pred)(struct task_struct *t, void *ctx),
					    void *ctx)
{
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (thread_alive(t) && t->group_leader == leader && pred(t, ctx))
			return t;
	}
	return NULL;
}

struct task_struct *task_find_thread(struct task_struct *leader,
				     bool (*pred)(struct task_struct *t, void *ctx), void *ctx)
{
	struct task_struct *t;
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	t = task_find_thread_locked(leader, pred, ctx);
	spin_unlock_irqrestore(&tasks_lock, flags);
	return t;
}

void do_group_exit(int wstatus)
{
	kill_group(current->group_leader, wstatus);
	do_exit(wstatus);
}

void task_check_killed(void)
{
	struct task_struct *t = current;

	if (t && READ_ONCE(t->killed)) /* a kill or exit_group (exit_code is final), or de_thread */
		do_exit(t->group_leader->exit_code);
}

/*
 * A process (kernel threads too, for kill's answer) by pid; -1: any user
 * process the console started (forked ones have a parent to reap them,
 * orphans reap themselves).
 */
static struct task_struct *find_process(int pid)
{
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (t->state != TASK_UNUSED && t->group_leader == t &&
		    (pid < 0 ? !t->is_kthread && !t->parent && !t->autoreap &&
				   READ_ONCE(t->state) != TASK_NEW /* a fork not yet linked */
			     : t->pid == pid))
			return t;
	}
	return NULL;
}

/*
 * The console's kill and Ctrl-C: a signal from the kernel (si_pid 0,
 * SI_USER as Linux's kill from pid 0), which a handler may catch; SIGKILL
 * ends the process at once.
 */
int task_kill(int pid, int signal)
{
	struct kernel_siginfo info = {.si_code = SI_USER};

	if (pid <= 0)
		return -ESRCH;
	return signal_process(pid, signal, &info);
}

/*
 * One pass under tasks_lock, which fork_link takes too: a child linked
 * before the pass gets the signal. Not yet closed: a fork in flight whose
 * parent has the signal pending but not yet acted on links its child
 * after the pass (Linux's copy_process refuses a fork with a fatal signal
 * pending, under the siglock; here fork_link only sees group_exiting).
 */
int task_kill_pgrp(int pgid, int signal)
{
	struct kernel_siginfo info = {.si_code = SI_USER};
	int err = -ESRCH;
	uint64_t flags;

	spin_lock_irqsave(&tasks_lock, flags);
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (t->state != TASK_UNUSED && t->group_leader == t && !t->is_kthread &&
		    t->pgid == pgid && !t->proc_exited) {
			send_signal_locked(signal, &info, t, true);
			err = 0;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, flags);
	return err;
}

/* Finished, and every thread off its CPU with its stack freed: the slot can go. */
static bool reapable(struct task_struct *leader)
{
	return READ_ONCE(leader->proc_exited) && READ_ONCE(leader->nr_stacks) == 0;
}

/* What the console does between looks: let this CPU's queue run, else halt to the tick. */
static void console_wait_once(void)
{
	if (!sched_yield_console())
		sched_idle_halt();
}

int task_wait(int pid, int *wstatus, int *reaped, void (*poll)(int pid))
{
	struct task_struct *leader = find_process(pid);

	reap_orphans();
	if (!leader || leader->is_kthread || current || leader->parent || leader->autoreap)
		return -ECHILD; /* kernel threads are nobody's children: kthread_stop reaps them */
	while (!reapable(leader)) {
		if (poll)
			poll(leader->pid);
		console_wait_once();
	}
	*wstatus = leader->exit_code;
	if (reaped)
		*reaped = leader->pid;
	release_task(leader);
	reap_orphans();
	return 0;
}

int run_program(const char *path, const void *image, size_t size, char *const argv[], int *wstatus)
{
	int pid = task_spawn(path, image, size, argv, 0);

	return pid < 0 ? pid : task_wait(pid, wstatus, NULL, NULL);
}

void task_for_each_process(void (*emit)(struct task_struct *leader, void *ctx), void *ctx)
{
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (READ_ONCE(t->state) != TASK_UNUSED && t->group_leader == t)
			emit(t, ctx);
	}
}

void task_for_each_thread(struct task_struct *leader,
			  void (*emit)(struct task_struct *t, void *ctx), void *ctx)
{
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];
		enum task_state state = READ_ONCE(t->state);

		if (state != TASK_UNUSED && state != TASK_DEAD && t->group_leader == leader)
			emit(t, ctx);
	}
}

/* A CPU of @leader's process that runs one of its threads now, or where it last was. */
int task_process_cpu(struct task_struct *leader)
{
	for (int i = 0; i < NR_TASKS; i++) {
		struct task_struct *t = &tasks[i];

		if (t->group_leader == leader && READ_ONCE(t->state) == TASK_RUNNING)
			return t->cpu;
	}
	return leader->cpu;
}

void task_init(void)
{
	user_trap_handler = task_trap;	       /* user faults and exceptions come to task/fault.c */
	user_exit_handler = exit_to_user_mode; /* signals, kills, the tick's resched */
	sched_init(); /* run queues and idle tasks on every online CPU, the tick hook */
}
