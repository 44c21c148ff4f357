/*
 * CPU time of threads and processes, for CLOCK_THREAD_CPUTIME_ID and
 * CLOCK_PROCESS_CPUTIME_ID (Linux's task_sched_runtime and
 * thread_group_cputime): every context switch charges the time since the
 * task was switched in to the task going out. A reader sees a consistent
 * (sum, start, on_cpu) triple through a per-task sequence count; only the
 * CPU switching a task in or out writes it, and those writes never
 * overlap (a task is queued elsewhere only after it is off this CPU).
 */
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "task/task.h"
#include "task/task_priv.h"

static void exec_write_begin(struct task_struct *t)
{
	WRITE_ONCE(t->exec_seq, t->exec_seq + 1);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void exec_write_end(struct task_struct *t)
{
	__atomic_store_n(&t->exec_seq, t->exec_seq + 1, __ATOMIC_RELEASE);
}

/* In schedule(), interrupts off: charge @prev up to now, start @next's clock. */
void cputime_switch(struct task_struct *prev, struct task_struct *next)
{
	uint64_t now = clock_ns();

	if (!prev->is_idle) {
		exec_write_begin(prev);
		prev->sum_exec_ns += now - prev->exec_start_ns;
		prev->on_cpu = false;
		exec_write_end(prev);
	}
	if (!next->is_idle) {
		exec_write_begin(next);
		next->exec_start_ns = now;
		next->on_cpu = true;
		exec_write_end(next);
	}
}

/* @t's CPU time in ns, including the slice it is running now (any CPU). */
uint64_t task_sched_runtime(struct task_struct *t)
{
	uint64_t seq, sum, start;
	bool running;

	do {
		while ((seq = __atomic_load_n(&t->exec_seq, __ATOMIC_ACQUIRE)) & 1)
			cpu_relax();
		sum = READ_ONCE(t->sum_exec_ns);
		start = READ_ONCE(t->exec_start_ns);
		running = READ_ONCE(t->on_cpu);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (READ_ONCE(t->exec_seq) != seq);
	if (running) {
		uint64_t now = clock_ns();

		sum += now > start ? now - start : 0;
	}
	return sum;
}
