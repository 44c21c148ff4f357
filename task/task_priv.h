/* Declarations shared inside task/ only. */
#ifndef TASK_TASK_PRIV_H
#define TASK_TASK_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/traps.h"
#include "kernel/spinlock.h"
#include "task/task.h"

/* arch/x86_64/traps.c's user_trap_handler (task/fault.c). */
int task_trap(struct trap_frame *frame, uint64_t cr2);
struct task_struct;
/* Queue the signal a #DB noted in t->sig.trap (exit_to_user_mode, interrupts on). */
void task_trap_deliver(struct task_struct *t, struct trap_frame *regs);

struct task_struct;

/* A slot with a pid and a kernel stack, named @comm; NULL if none is free. */
struct task_struct *task_alloc(const char *comm);

/* Give a reaped task's slot back (task_wait, kthread_stop). */
void task_release_slot(struct task_struct *t);

/* Tick hook for msleep_interruptible (task/kthread.c). */
void kthread_timer_tick(void);
/* Some kernel thread is in msleep_interruptible (read without the lock: a hint). */
bool kthread_sleep_pending(void);

/* Make @t a thread of @leader's process (clone); -EINTR if it is exiting. */
int task_add_thread(struct task_struct *leader, struct task_struct *t);

/* Give back a task_alloc'ed slot that task_add_thread refused. */
void task_discard_slot(struct task_struct *t);

/* Free a dead task's stack (and a thread's slot): it runs on no CPU any more. */
void task_free_dead(struct task_struct *t);

/* @leader's mm with a reference (mmput it), or NULL once the process has exited. */
struct mm_struct *task_get_mm(struct task_struct *leader);

/* CPU-time accounting (task/cputime.c): schedule() calls cputime_switch. */
void cputime_switch(struct task_struct *prev, struct task_struct *next);
uint64_t task_sched_runtime(struct task_struct *t);	   /* a thread's CPU time, ns */
uint64_t thread_group_cputime(struct task_struct *leader); /* its process's, ns */

/*
 * Signal plumbing over the task table (task/task.c), each under tasks_lock
 * so the slot found cannot be reused meanwhile: @fn on live process @pid
 * (-ESRCH if none or exiting), on live thread @tid (of @tgid if > 0);
 * the first live thread of @leader @pred accepts (NULL if none; the
 * _locked one with tasks_lock held). @fn may take siglock, not tasks_lock.
 */
int task_call_process(int pid, int (*fn)(struct task_struct *leader, void *ctx), void *ctx);
int task_call_thread(int tgid, int tid, int (*fn)(struct task_struct *t, void *ctx), void *ctx);
struct task_struct *task_find_thread_locked(struct task_struct *leader,
					    bool (*pred)(struct task_struct *t, void *ctx),
					    void *ctx);
struct task_struct *task_find_thread(struct task_struct *leader,
				     bool (*pred)(struct task_struct *t, void *ctx), void *ctx);

/* Mark every thread of @leader's process killed and wake the sleepers; tasks_lock held. */
void kill_group_locked(struct task_struct *leader, int wstatus);
/* The same for every thread but @except, the process going on (exec's de_thread). */
void kill_threads_locked(struct task_struct *leader, struct task_struct *except);

/* ITIMER_REAL (task/itimer.c): the tick's expiry check; a process that ends stops its timer. */
void itimer_tick(void);
void itimer_exit(struct task_struct *leader);
bool itimer_armed(void); /* some process's timer runs: a CPU must keep ticking */

/* Timed sleeps of user tasks (task/hrtimer.c): the tick wakes the expired ones; pending: one
 * sleeps or an ITIMER_REAL runs (without ARAT the boot CPU polls instead of halting). */
void hrtimer_tick(void);
bool hrtimer_sleep_pending(void);

/* clone(2) for threads (task/clone.c). */
long sys_clone_thread(struct trap_frame *regs);

/* The task slots and their lock (task/task.c), for the process tree in task/wait.c. */
extern struct task_struct tasks[NR_TASKS];
extern struct spinlock tasks_lock;

/* ---- the process tree (task/wait.c) ---- */
/* Wake the threads of @parent (a leader, or NULL: the console) asleep in wait4/waitid. */
void wake_waiters_locked(struct task_struct *parent);
/* @leader's process ended: SIGCHLD (its exit_signal) to its parent (tasks lock held). */
void notify_parent_locked(struct task_struct *leader);
/* @leader's process ended: its children become orphans (tasks lock held). */
void forget_children_locked(struct task_struct *leader);
/* A vfork child let go of its parent's mm (exec or exit): wake the parent (tasks lock held). */
void vfork_release_locked(struct task_struct *child);
/* Release every orphan that has ended (task lock not held, interrupts on). */
void reap_orphans(void);
/* Give back a reaped process's slot and /proc files. */
void release_task(struct task_struct *leader);

/* A task that never ran (exec or fork failed): its files, mm, stack and slot go. */
void task_discard(struct task_struct *t);
/* A forked child's first run: CLONE_CHILD_SETTID's store into its own mm. */
void fork_schedule_tail(struct task_struct *t);

/* fork, vfork and clone without CLONE_THREAD (task/fork.c). */
long do_fork(struct trap_frame *regs, uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid,
	     uint64_t tls);
long sys_fork(struct trap_frame *regs);
long sys_vfork(struct trap_frame *regs);
long sys_wait4(struct trap_frame *regs);
long sys_waitid(struct trap_frame *regs);
long sys_getppid(struct trap_frame *regs);
long sys_execve(struct trap_frame *regs);
/* mremap, mlock, munlock (task/mm_syscalls.c). */
long sys_mremap(struct trap_frame *regs);
long sys_mlock(struct trap_frame *regs);
long sys_munlock(struct trap_frame *regs);
/* The small calls (task/sys_info.c). */
long sys_uname(struct trap_frame *r);
long sys_sysinfo(struct trap_frame *r);
long sys_getrandom(struct trap_frame *r);
long sys_prctl(struct trap_frame *r);
long sys_getid_root(struct trap_frame *r); /* getuid, geteuid, getgid, getegid */
long sys_prlimit64(struct trap_frame *r);
long sys_getrlimit(struct trap_frame *r);
long sys_setrlimit(struct trap_frame *r);

#endif
