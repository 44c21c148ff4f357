/*
 * Processes and threads: struct task_struct, the per-CPU `current`, and
 * what the console uses: start a process from an ELF image, wait for it,
 * kill it, list them. A process is a group of threads sharing one mm and
 * one file table; its state lives in the group leader.
 */
#ifndef TASK_TASK_H
#define TASK_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/fpu.h"
#include "arch/x86_64/traps.h"
#include "flushlab/layout.h"
#include "fs/fdtable.h"
#include "kernel/pseudofs.h"
#include "smp/percpu.h"
#include "task/signal.h"

#define TASK_COMM_LEN 16     /* Linux's: 15 characters and a NUL */
#define NR_TASKS 64	     /* task slots in the system */
#define KERNEL_STACK_ORDER 2 /* 16 KiB kernel stack per task */
#define KERNEL_STACK_SIZE (PAGE_SIZE << KERNEL_STACK_ORDER)

enum task_state {
	TASK_UNUSED,	    /* free slot */
	TASK_NEW,	    /* being built by exec or clone */
	TASK_RUNNING,	    /* on a CPU or on its run queue */
	TASK_INTERRUPTIBLE, /* asleep (futex, wait); woken by wake_up_task or a kill */
	TASK_DEAD, /* exited; its stack goes at the next switch, a leader's slot at reaping */
};

struct file;
struct mm_struct;
struct page;

struct task_struct {
	int pid;		  /* the thread id */
	int tgid;		  /* the process id: the group leader's pid */
	char comm[TASK_COMM_LEN]; /* the program's base name, as Linux's comm */
	enum task_state state;
	struct mm_struct *mm;		  /* NULL for idle tasks and after exit */
	struct task_struct *group_leader; /* itself for the first thread */
	int cpu;			  /* the CPU it runs on or is queued on */
	uint64_t cpus_allowed;		  /* affinity mask, CPUs 0..63 */
	bool is_idle;			  /* a CPU's own boot context (CPU 0's is the console) */

	/* scheduler (task/sched.c; under the run queue's lock) */
	struct task_struct *rq_next;
	bool on_rq;

	/* CPU time (task/cputime.c; written by the CPU switching it in or out) */
	uint64_t exec_seq;	/* odd while being written */
	uint64_t sum_exec_ns;	/* Linux's se.sum_exec_runtime, up to the last switch out */
	uint64_t exec_start_ns; /* clock_ns at the last switch in */
	bool on_cpu;		/* running now: its current slice counts too */
	bool exec_folded;	/* exited: its time is in the leader's dead_exec_ns */

	/* kernel stack and saved kernel context */
	struct page *stack_page;
	uintptr_t stack_top; /* 16-aligned; the user trap_frame sits just below */
	uintptr_t kernel_sp; /* saved by __switch_to_asm while not running */

	/* user state the CPU does not keep in the trap frame */
	uint64_t fsbase, gsbase;   /* arch_prctl(ARCH_SET_FS/GS), CLONE_SETTLS */
	uintptr_t clear_child_tid; /* set_tid_address, CLONE_CHILD_CLEARTID */
	uintptr_t start_brk;	   /* brk: end of the loaded image; never moves */
	/* x87/SSE/AVX registers: XSAVE or FXSAVE image (arch/x86_64/fpu.c) */
	uint8_t fpu[FPU_STATE_MAX] __attribute__((aligned(FPU_STATE_ALIGN)));

	/* signals (task/signal.c): the thread's mask and pending set; the process's in the leader
	 */
	struct thread_signal sig;
	struct process_signal signal;

	/* timed sleeps (task/hrtimer.c; under its lock) and the restart of one */
	uint64_t timeout_ns; /* clock_ns deadline while on the sleepers list */
	struct task_struct *timeout_next;
	bool on_timeout_list;
	struct restart_block {
		long (*fn)(struct restart_block *rb); /* restart_syscall(2) calls it */
		uint64_t deadline_ns;		      /* nanosleep, futex: absolute */
		uintptr_t rmtp;			      /* nanosleep's remaining-time pointer */
		uintptr_t uaddr;		      /* futex */
		uint32_t val, bitset;
		bool private; /* FUTEX_PRIVATE_FLAG */
	} restart_block;

	/* futex wait (task/futex.c; under its lock) */
	uint32_t futex_bitset;
	bool futex_queued;	    /* on the waiters list */
	struct mm_struct *futex_mm; /* the key: mm and address, or NULL and ... */
	uintptr_t futex_uaddr;	    /* ... the word's physical address (shared) */
	struct task_struct *futex_next;

	/* kernel threads (task/kthread.c) */
	bool is_kthread; /* Linux's PF_KTHREAD: ring 0, no mm, not killable */
	int (*kthread_fn)(void *data);
	void *kthread_data;
	bool kthread_stop_req; /* kthread_stop asked: kthread_should_stop */
	int kthread_result;
	bool wake_pending;	 /* wake_up_process came: the next sleep returns at once */
	uint64_t sleep_until_ns; /* msleep_interruptible's deadline (clock_ns) */
	uint64_t wake_by_ns;	 /* kthread_wake_within: no sleep lasts past this (0: none) */
	struct task_struct *sleep_next;

	bool killed; /* the process is ending (kill, exit_group): die at the next chance */
	int pagefault_disabled; /* Linux's pagefault_disable(): user-access faults fail at once */
	bool need_resched;	/* TIF_NEED_RESCHED: the tick ended its slice; honoured on exit */
	uint64_t nr_syscalls;

	/* process state, kept in the group leader (under the tasks lock) */
	int live_threads;	   /* threads that have not exited */
	int nr_stacks;		   /* kernel stacks of its threads not yet freed */
	bool group_exiting;	   /* exit_group or a kill: exit_code is final */
	bool proc_exited;	   /* every thread is gone; waiting to be reaped */
	int exit_code;		   /* wait status: (status << 8), or the signal number */
	uint64_t dead_exec_ns;	   /* CPU time of its threads that have exited */
	struct files_struct files; /* fd table, shared by the threads (fs/file.c) */
	struct mm_struct *proc_mm; /* for ps and /proc: valid while live_threads */
	/* the process tree (task/fork.c, task/wait.c): in the leader, under the tasks lock */
	struct task_struct *parent; /* the parent process's leader; NULL: the console's */
	int pgid;		    /* process group: a console program's pid, inherited by fork */
	bool autoreap;		    /* an orphan: released when it ends, nobody waits for it */
	bool reaping;		    /* claimed by a waiter or the orphan sweep: going */
	int exit_signal; /* clone's low byte: SIGCHLD for fork (sent once signals exist) */
	bool in_wait;	 /* this thread sleeps in wait4/waitid or for a vfork child */
	struct task_struct *vfork_waiter; /* CLONE_VFORK: the parent thread, until exec or exit */
	uintptr_t set_child_tid; /* CLONE_CHILD_SETTID of a fork: stored at the first run */
};

/* The struct trap_frame holding @t's user registers (top of its kernel stack). */
static inline struct trap_frame *task_pt_regs(struct task_struct *t)
{
	return (struct trap_frame *)t->stack_top - 1;
}

/* The user task running on this CPU, NULL in an idle task (the console's context). */
static inline struct task_struct *get_current(void)
{
	return this_cpu_ptr()->current_task;
}
#define current get_current()

/*
 * Register the fault and exception routing with arch/x86_64/traps.c and
 * the task pseudo-files. Once, at boot, after the pseudo-file registry.
 */
void task_init(void);

/*
 * Start the static ELF @image (@size bytes) as a new process named after
 * @path, with @argv (NULL-terminated) and an empty environment, runnable
 * on the CPUs of @cpus_allowed (0: all). Returns its pid, or -errno if it
 * could not be started (-ENOEXEC: not a loadable ELF, -ENOMEM, -E2BIG,
 * -EAGAIN: no task slot, -EINVAL: no online CPU in the mask). Console
 * context only (no current task).
 */
int task_spawn(const char *path, const void *image, size_t size, char *const argv[],
	       uint64_t cpus_allowed);

/*
 * Wait for process @pid (-1: any) to end and reap it: 0 and its wait
 * status in *@wstatus (pid in *@reaped if not NULL), or -ECHILD. While it
 * waits the console lets the tasks queued on its CPU run; every @poll
 * call it may act (Ctrl-C). Console context only.
 */
int task_wait(int pid, int *wstatus, int *reaped, void (*poll)(int pid));

/* task_spawn and task_wait: run in the foreground, as the console does. */
int run_program(const char *path, const void *image, size_t size, char *const argv[], int *wstatus);

/*
 * Kill process @pid with @signal (it dies at its next kernel entry or
 * tick). 0, -ESRCH, or -EPERM for a kernel thread (Linux's kthreads ignore
 * signals; the console says so instead of pretending).
 */
int task_kill(int pid, int signal);

/*
 * Kill every process of process group @pgid (the console's program and
 * what it forked) with @signal, as a terminal's Ctrl-C reaches the whole
 * foreground group. 0, or -ESRCH if there is none.
 */
int task_kill_pgrp(int pgid, int signal);

/* End the current thread; the last one ends the process with @wstatus. */
__attribute__((noreturn)) void do_exit(int wstatus);

/* End every thread of the current process; its wait status is @wstatus. */
__attribute__((noreturn)) void do_group_exit(int wstatus);

/* Die now if the process was killed; called on the way back to ring 3. */
void task_check_killed(void);

/*
 * Linux's exit_to_user_mode_loop: the work the current task owes before
 * it may return to ring 3 (a pending fatal signal, a kill, a reschedule
 * the tick asked for), done until none is left. Every path to ring 3
 * calls it on the task's own stack (the syscall return, an interrupt or
 * exception return through isr_common, a new task's first switch), with
 * interrupts off; it returns with them off. Never from an IST stack.
 */
void exit_to_user_mode(void);

/* One line per process for `ps`, through @emit. */
void task_for_each_process(void (*emit)(struct task_struct *leader, void *ctx), void *ctx);

/* Each live thread of @leader's process, lockless as the one above (for /proc/PID/task). */
void task_for_each_thread(struct task_struct *leader,
			  void (*emit)(struct task_struct *t, void *ctx), void *ctx);

/* For ps: a CPU the process runs on (or last ran on), its thread count and RSS. */
int task_process_cpu(struct task_struct *leader);
void task_process_stats(struct task_struct *leader, int *threads, unsigned long *rss_pages);

/* Tasks started since boot, and task slots in use now (for tests and ps). */
extern uint64_t nr_tasks_started;
int nr_tasks_alive(void);

#endif
