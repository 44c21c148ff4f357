/*
 * Kernel threads, Linux-shaped: a task with no mm of its own that runs a
 * C function in ring 0 on the kernel's page tables (lazy TLB: the CPU
 * keeps the last user mm loaded, smp/tlb_mm.c), sleeps with a timeout,
 * and ends only when kthread_stop asks it to. `ps` shows it as [name];
 * `kill` refuses it (-EPERM).
 */
#ifndef TASK_KTHREAD_H
#define TASK_KTHREAD_H

#include <stdbool.h>

struct task_struct;

/*
 * A new kernel thread running @threadfn(@data), named @name (at most 15
 * characters), not yet runnable: wake_up_process starts it. NULL with
 * *@err = -EAGAIN (no task slot or stack) or -EINVAL (bad name). Any
 * context with interrupts on.
 */
struct task_struct *kthread_create(int (*threadfn)(void *data), void *data, const char *name,
				   int *err);

/* kthread_create and start it at once. */
struct task_struct *kthread_run(int (*threadfn)(void *data), void *data, const char *name,
				int *err);

/* Has kthread_stop been called for the current kernel thread? */
bool kthread_should_stop(void);

/*
 * Ask @k to stop (kthread_should_stop turns true, its sleep ends), wait
 * until its function has returned and its stack is freed, free its slot.
 * Returns what @threadfn returned. The console's context only (it waits
 * the way `wait` does); never from @k itself.
 */
int kthread_stop(struct task_struct *k);

/* Wake @t if it sleeps (msleep_interruptible ends early). Any context. */
void wake_up_process(struct task_struct *t);

/*
 * Make @t's sleep end within @ms milliseconds from now if it would sleep
 * longer, or, if it is not asleep yet, its next sleep (a timer moved
 * earlier, as Linux's mod_timer on the thread's timeout). Any context.
 */
void kthread_wake_within(struct task_struct *t, unsigned int ms);

/*
 * Sleep about @ms milliseconds (rounded up to the tick, SMP_TICK_HZ), or
 * until wake_up_process. Returns the milliseconds left (0 if the time ran
 * out). Kernel threads only: the console must not sleep.
 */
unsigned int msleep_interruptible(unsigned int ms);

/* Kernel threads alive now (tests). */
int nr_kthreads(void);

#endif
