/*
 * The scheduler: one run queue per CPU, round robin, preemption on the
 * LAPIC tick. Each CPU's boot context is its idle task; CPU 0's is the
 * console, which yields to queued tasks while it waits for input or for a
 * program. Kernel code is never preempted (there is no preempt count):
 * the tick marks a task whose slice is over (need_resched) and it gives
 * way on its next return to ring 3; an AP's idle loop gives way at once.
 */
#ifndef TASK_SCHED_H
#define TASK_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct task_struct;

/* Idle tasks for the online CPUs, and the tick hook. Once, at boot. */
void sched_init(void);

/*
 * Give up the CPU: a RUNNING task goes to the back of its queue (or to
 * another CPU's, if its cpu field was changed), a sleeping one stays off
 * every queue until wake_up_task. Interrupts may be on or off.
 */
void schedule(void);

/*
 * A kernel thread's voluntary preemption point (nothing preempts kernel
 * code): give the CPU to queued tasks, if any, and come back. Interrupts
 * on, no lock held. Does nothing outside a kernel thread.
 */
void cond_resched(void);

/* Make a sleeping task runnable on its CPU's queue. Any context. */
void wake_up_task(struct task_struct *t);

/* Queue a task built by spawn or clone (its stack holds the first-switch frame). */
void wake_up_new_task(struct task_struct *t);

/* A CPU for a new task: the least loaded of @allowed, the console's CPU last. */
int sched_pick_cpu(uint64_t allowed);

/*
 * The console (CPU 0's idle task) lets queued tasks run: true if it
 * switched and is back, false if nothing was queued.
 */
bool sched_yield_console(void);

/*
 * Halt this CPU until an interrupt unless work is queued on it (checked
 * with interrupts off, then `sti; hlt`: a wakeup after the check sends a
 * reschedule IPI that ends the halt). Returns with interrupts on.
 */
void sched_idle_halt(void);

/* What runs on @cpu now (ps). */
struct task_struct *sched_curr(int cpu);

/* Lay out @t's kernel stack so its first switch returns to ring 3 through its frame. */
void task_prepare_first_switch(struct task_struct *t);

/* Fresh x87/SSE state (FCW 0x37f, MXCSR 0x1f80), as Linux gives a new process. */
void fpu_init_state(struct task_struct *t);

#endif
