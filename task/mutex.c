/*
 * mutex_lock (kernel/mutex.h has the rules). It lives here, not beside the
 * lock, because only the scheduler knows how a waiter gives its CPU away:
 * yield to whatever this CPU has queued, the holder among them if it was
 * queued here, and look again. Kernel code is never preempted, so a holder
 * that runs keeps running until it unlocks; a waiter never holds its CPU
 * against it.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/mutex.h"
#include "lib/kernel.h"
#include "smp/poll.h"
#include "task/sched.h"
#include "task/task.h"

static void mutex_wait(void)
{
	struct task_struct *curr = current;

	BUG_ON(!(read_rflags() & X86_RFLAGS_IF)); /* a waiter must let IPIs in */
	if (curr)
		schedule(); /* runnable: back of the queue, or straight back if alone */
	else if (!sched_yield_console())
		tlb_wait_poll(); /* the console or an idle loop: spin, serving shootdowns */
}

void mutex_lock(struct mutex *m)
{
	while (!mutex_trylock(m)) {
		while (__atomic_load_n(&m->locked, __ATOMIC_RELAXED))
			mutex_wait();
	}
}
