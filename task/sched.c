/*
 * Per-CPU run queues, round robin, and the context switch. See sched.h
 * for the model. Locking: each queue has a spinlock taken with
 * interrupts off; a task is only ever put on the queue of its own `cpu`,
 * and only that CPU takes tasks off it, so a task switched away from is
 * never picked by another CPU before its switch has finished. A task
 * that moves to another CPU (sched_setaffinity) is queued there only
 * after it is off this CPU's stack (finish_task_switch).
 */
#include "task/sched.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "lib/string.h"
#include "smp/tlbflush.h"
#include "smp/cpumask.h"
#include "smp/percpu.h"
#include "smp/smp.h"
#include "task/task.h"
#include "task/task_priv.h"

struct rq {
	struct spinlock lock;
	struct task_struct *head, *tail; /* queued, FIFO */
	int nr_queued;
	struct task_struct *curr;
	struct task_struct *idle;
} __attribute__((aligned(64)));

static struct rq runqueues[MAX_CPUS];
static struct task_struct idle_tasks[MAX_CPUS];
static bool sched_ready;

static struct rq *cpu_rq(int cpu)
{
	return &runqueues[cpu];
}

struct task_struct *sched_curr(int cpu)
{
	return READ_ONCE(runqueues[cpu].curr);
}

static void enqueue(struct rq *rq, struct task_struct *t)
{
	t->rq_next = NULL;
	t->on_rq = true;
	if (rq->tail)
		rq->tail->rq_next = t;
	else
		rq->head = t;
	rq->tail = t;
	rq->nr_queued++;
}

static struct task_struct *dequeue(struct rq *rq)
{
	struct task_struct *t = rq->head;

	if (!t)
		return NULL;
	rq->head = t->rq_next;
	if (!rq->head)
		rq->tail = NULL;
	t->on_rq = false;
	rq->nr_queued--;
	return t;
}

void fpu_init_state(struct task_struct *t)
{
	fpstate_init(t->fpu); /* FCW and MXCSR as FNINIT leaves them, the rest initial */
}

void task_prepare_first_switch(struct task_struct *t)
{
	uintptr_t *sp = (uintptr_t *)task_pt_regs(t);

	*--sp = (uintptr_t)ret_from_fork_asm;
	for (int i = 0; i < SWITCH_FRAME_WORDS; i++)
		*--sp = 0;
	t->kernel_sp = (uintptr_t)sp;
}

/*
 * Linux's resched_curr for the one case flushlab preempts for at once: a
 * task was just queued on @rq, @cpu's, and that CPU runs its idle task (a
 * busy CPU takes it at its next tick, as before). Called under rq->lock
 * after the enqueue; returns the CPU to send the reschedule IPI to after
 * the unlock, or -1. Why no wakeup is lost:
 * - rq->curr is read under the lock schedule() holds while it sets it: if
 *   the target's schedule() came first and chose idle, we see idle and
 *   send; if it comes after, it dequeues the task itself.
 * - The enqueue's stores are visible before the IPI can be taken: x86
 *   does not reorder stores with later stores, the xAPIC ICR write is a
 *   store to UC memory, and the x2APIC path fences its WRMSR first
 *   (arch/x86_64/lapic.c). The handler (scheduler_ipi) reads nr_queued
 *   after it is taken.
 * - An AP's idle loop only halts (`sti; hlt`, smp.c): its handlers do the
 *   scheduling. An IPI sent while that CPU has interrupts off stays
 *   pending in its LAPIC's IRR; STI blocks interrupts for one more
 *   instruction (Intel SDM vol. 2, STI; AMD APM vol. 3, STI), so it is
 *   taken once HLT has begun, and HLT ends on it (SDM vol. 2, HLT): it
 *   cannot slip in between and leave the CPU halted until the next tick.
 * - The console (CPU 0's idle task) halts only in sched_idle_halt: it
 *   checks nr_queued with interrupts off, then `sti; hlt`, the same rule.
 */
static int resched_target(struct rq *rq, int cpu)
{
	return cpu != this_cpu_id() && rq->curr == rq->idle ? cpu : -1;
}

/*
 * After the switch, on the new task's stack: free the stack of a task
 * that died (nothing runs on it any more), or queue a task that moved to
 * another CPU. Interrupts off.
 */
static void finish_task_switch(struct task_struct *prev)
{
	if (prev->state == TASK_DEAD) {
		task_free_dead(prev);
	} else if (!prev->is_idle && prev->state == TASK_RUNNING && prev->cpu != this_cpu_id()) {
		struct rq *rq = cpu_rq(prev->cpu);

		int kick;

		spin_lock(&rq->lock);
		enqueue(rq, prev);
		kick = resched_target(rq, prev->cpu);
		spin_unlock(&rq->lock);
		if (kick >= 0)
			smp_send_reschedule(kick);
	}
}

/*
 * A new task's first switch ends here (ret_from_fork_asm,
 * ret_from_kernel_thread). A user thread then goes to ring 3 for the first
 * time: the same exit work as every other return (a thread a kill_group
 * marked while it was being built dies here, never running a user
 * instruction).
 */
void schedule_tail(void *prev)
{
	struct task_struct *t = current;

	finish_task_switch(prev);
	if (t && !t->is_kthread)
		exit_to_user_mode();
}

/*
 * Install @next's user-entry state on this CPU (kernel stack for ring-3
 * entries, FS/GS bases, x87/SSE/AVX registers, address space) and switch.
 */
static void context_switch(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	struct percpu *pc = this_cpu_ptr();

	if (!prev->is_idle)
		fpu_save(prev->fpu); /* eager, every component XCR0 enables (fpu.c) */
	pc->current_task = next->is_idle ? NULL : next;
	switch_mm_irqs_off(prev->mm, next->mm);
	if (!next->is_idle) {
		pc->top_of_stack = next->stack_top;
		tss_set_rsp0(next->stack_top);
		wrmsr(MSR_FS_BASE, next->fsbase);
		wrmsr(MSR_KERNEL_GS_BASE, next->gsbase);
		fpu_restore(next->fpu);
	}
	prev = __switch_to_asm(&prev->kernel_sp, next->kernel_sp, prev);
	finish_task_switch(prev);
}

void schedule(void)
{
	uint64_t flags = local_irq_save();
	int cpu = this_cpu_id();
	struct rq *rq = cpu_rq(cpu);
	struct task_struct *prev = rq->curr, *next;

	prev->need_resched = false; /* Linux's clear_tsk_need_resched(prev) */
	spin_lock(&rq->lock);
	if (prev->state == TASK_RUNNING && !prev->on_rq && prev->cpu == cpu &&
	    (!prev->is_idle || cpu == 0))
		enqueue(rq, prev); /* CPU 0's idle task is the console: it takes turns */
	next = dequeue(rq);
	if (!next)
		next = rq->idle;
	/*
	 * rq->curr changes under the lock that decided prev's fate. A waker
	 * (wake_up_task, under this lock) either came before, and prev is
	 * TASK_RUNNING and was queued above, or comes after, sees rq->curr !=
	 * prev and queues it. Set after the unlock, a wake in between found
	 * rq->curr == prev, queued nothing, and prev was switched out runnable
	 * but on no queue: lost for good (the hang two-thread programs hit
	 * about once in fifty runs). Only this CPU dequeues from rq, and not
	 * before the switch below completes, so prev is never run twice.
	 */
	rq->curr = next;
	spin_unlock(&rq->lock);
	if (next != prev) {
		cputime_switch(prev, next);
		context_switch(rq, prev, next);
	}
	local_irq_restore(flags);
}

void cond_resched(void)
{
	struct task_struct *curr = current;

	if (curr && curr->is_kthread && READ_ONCE(cpu_rq(this_cpu_id())->nr_queued))
		schedule();
}

bool sched_yield_console(void)
{
	if (!sched_ready || !READ_ONCE(cpu_rq(0)->nr_queued))
		return false;
	schedule();
	return true;
}

void wake_up_task(struct task_struct *t)
{
	uint64_t flags;
	struct rq *rq = cpu_rq(t->cpu);

	int kick = -1;

	spin_lock_irqsave(&rq->lock, flags);
	if (t->state == TASK_INTERRUPTIBLE) {
		t->state = TASK_RUNNING;
		if (!t->on_rq && rq->curr != t) {
			enqueue(rq, t);
			kick = resched_target(rq, t->cpu);
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	if (kick >= 0)
		smp_send_reschedule(kick);
}

void wake_up_new_task(struct task_struct *t)
{
	uint64_t flags;
	struct rq *rq = cpu_rq(t->cpu);

	int kick;

	spin_lock_irqsave(&rq->lock, flags);
	t->state = TASK_RUNNING;
	enqueue(rq, t);
	kick = resched_target(rq, t->cpu);
	spin_unlock_irqrestore(&rq->lock, flags);
	if (kick >= 0)
		smp_send_reschedule(kick);
}

int sched_pick_cpu(uint64_t allowed)
{
	int best = -1, best_load = 1 << 30;

	for (int cpu = 0; cpu < 64 && cpu < nr_cpus_online; cpu++) {
		int load;

		if (!(allowed & (1ULL << cpu)))
			continue;
		load = READ_ONCE(cpu_rq(cpu)->nr_queued) * 2 + (sched_curr(cpu)->is_idle ? 0 : 2) +
		       (cpu == 0); /* the console's CPU last among equals */
		if (load < best_load) {
			best = cpu;
			best_load = load;
		}
	}
	return best;
}

/*
 * The reschedule IPI's work (and the tick's in kernel mode), after the
 * EOI: an AP's idle task, interrupted in its halt loop and holding
 * nothing, gives way to queued work. CPU 0's idle task is the console,
 * interrupted anywhere: the IPI only ends its halt (sched_idle_halt), and
 * the console yields when it next looks.
 */
static void scheduler_ipi(struct trap_frame *f)
{
	int cpu = this_cpu_id();
	struct rq *rq = cpu_rq(cpu);

	(void)f;
	if (sched_ready && rq->curr && rq->curr->is_idle && cpu != 0 && READ_ONCE(rq->nr_queued))
		schedule();
}

#define IDLE_POLL_NS 10000000 /* one tick at SMP_TICK_HZ 100 */

/*
 * Without ARAT a halted CPU's timer may stop (smp.c cpu_idle_halt), and a
 * kernel thread's sleep ends only by some CPU's tick. So the boot CPU
 * polls instead of halting while a sleep is pending: running, its timer
 * ticks, and its tick wakes every CPU's expired sleepers
 * (kthread_timer_tick). A sleep that starts after the check sends it a
 * reschedule IPI, which ends the halt (kthread.c).
 */
static void idle_poll(struct rq *rq)
{
	uint64_t end = clock_ns() + IDLE_POLL_NS;

	local_irq_enable();
	while (!READ_ONCE(rq->nr_queued) && clock_ns() < end)
		cpu_relax();
}

void sched_idle_halt(void)
{
	struct rq *rq = cpu_rq(this_cpu_id());

	local_irq_disable();
	if (READ_ONCE(rq->nr_queued))
		local_irq_enable();
	else if (!cpu_features.arat && (kthread_sleep_pending() || hrtimer_sleep_pending()))
		idle_poll(rq);
	else
		cpu_idle_halt(); /* `sti; hlt`: an IPI sent after the check ends the halt */
}

/*
 * The tick, after the LAPIC EOI (switching away before it would keep the
 * timer vector in service). A task's slice is one tick: when others wait
 * the tick sets its need_resched (Linux's resched_curr from task_tick),
 * wherever it landed, ring 3 or a system call, and the task gives way on
 * its next return to ring 3 (exit_to_user_mode; a kernel thread at its
 * next cond_resched). Preempting only ticks that landed in ring 3 let a
 * thread that lives in system calls keep its CPU for ever. An AP's idle
 * loop (halted, holding nothing) gives way at once.
 */
static void sched_tick(struct trap_frame *f)
{
	int cpu = this_cpu_id();
	struct rq *rq = cpu_rq(cpu);
	struct task_struct *curr = rq->curr;

	if (!sched_ready || !curr)
		return;
	kthread_timer_tick(); /* kernel threads whose msleep is over, on any CPU: queued */
	hrtimer_tick();	      /* user threads whose timed sleep is over */
	itimer_tick();	      /* processes whose ITIMER_REAL expired: SIGALRM */
	if (curr->is_idle)
		scheduler_ipi(f);
	else if (READ_ONCE(rq->nr_queued))
		WRITE_ONCE(curr->need_resched, true);
}

void sched_init(void)
{
	for (int cpu = 0; cpu < nr_cpus_online; cpu++) {
		struct task_struct *idle = &idle_tasks[cpu];

		spin_lock_init(&runqueues[cpu].lock);
		idle->state = TASK_RUNNING;
		idle->is_idle = true;
		idle->cpu = cpu;
		idle->group_leader = idle;
		snprintf(idle->comm, sizeof(idle->comm), cpu ? "swapper/%d" : "console", cpu);
		runqueues[cpu].idle = idle;
		runqueues[cpu].curr = idle;
	}
	smp_tick_hook = sched_tick;
	smp_resched_hook = scheduler_ipi;
	WRITE_ONCE(sched_ready, true);
}
