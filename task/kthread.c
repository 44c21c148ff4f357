/*
 * Kernel threads (see kthread.h): a task slot and kernel stack with no mm,
 * started on a C function instead of a return to ring 3, and the one
 * sleep they need, msleep_interruptible, ended by the tick or by
 * wake_up_process. A few sleepers at most: one list, checked by every
 * CPU's tick (any CPU's tick ends any sleep: kthread_timer_tick).
 *
 * Lazy TLB: context_switch passes the thread's NULL mm to
 * switch_mm_irqs_off, which keeps the previous user mm in CR3 marked lazy
 * (smp/tlb_mm.c). Flushes of that mm may then skip this CPU unless they
 * free page tables; that is safe only if nothing here uses a user
 * translation. A kernel thread runs no ring-3 code and must not touch user
 * addresses: it reaches user memory and page tables only through the
 * direct map (khugepaged does), so only speculative walks could use the
 * stale entries, and those matter only for freed tables, which are flushed
 * on lazy CPUs too. Leaving the thread for a task of that mm catches up
 * (leave_lazy); for another mm, the CR3 write flushes everything.
 */
#include "task/kthread.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/syscall.h"
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "smp/smp.h"
#include "task/sched.h"
#include "task/task.h"
#include "task/task_priv.h"

static struct spinlock sleep_lock; /* the sleeper list and every wake_pending; irqs off */
static struct task_struct *sleepers;
static int kthreads_alive;

/* Where a kernel thread's first switch lands (ret_from_kernel_thread calls it). */
static __attribute__((noreturn, used)) void kthread(void)
{
	struct task_struct *t = current;
	int ret;

	local_irq_enable(); /* the switch that started us ran with interrupts off */
	ret = t->kthread_fn(t->kthread_data);
	local_irq_disable();
	t->kthread_result = ret;
	t->state = TASK_DEAD; /* finish_task_switch frees the stack; kthread_stop the slot */
	WRITE_ONCE(t->proc_exited, true);
	schedule();
	__builtin_unreachable();
}

/*
 * The first-switch frame: __switch_to_asm pops R15, R14, R13, R12, RBX,
 * RBP and returns to ret_from_kernel_thread, which finishes the switch
 * (schedule_tail) and calls RBX = kthread. RSP ends 16-aligned, as at a
 * user task's ret_from_fork_asm.
 */
static void kthread_prepare_first_switch(struct task_struct *t)
{
	uintptr_t *sp = (uintptr_t *)task_pt_regs(t);

	*--sp = (uintptr_t)ret_from_kernel_thread;
	*--sp = 0;		    /* rbp */
	*--sp = (uintptr_t)kthread; /* rbx */
	for (int i = 0; i < 4; i++)
		*--sp = 0; /* r12..r15 */
	t->kernel_sp = (uintptr_t)sp;
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data, const char *name,
				   int *err)
{
	struct task_struct *t;
	int cpu = sched_pick_cpu(~0ULL);

	*err = -EINVAL;
	if (!threadfn || !name || !name[0] || strlen(name) >= TASK_COMM_LEN || strchr(name, '/'))
		return NULL;
	*err = -EAGAIN;
	t = task_alloc(name);
	if (!t || cpu < 0)
		return NULL;
	t->is_kthread = true;
	t->kthread_fn = threadfn;
	t->kthread_data = data;
	t->live_threads = 1;
	t->cpu = cpu;
	fpu_init_state(t);
	kthread_prepare_first_switch(t);
	__atomic_add_fetch(&kthreads_alive, 1, __ATOMIC_RELAXED);
	*err = 0;
	return t;
}

struct task_struct *kthread_run(int (*threadfn)(void *data), void *data, const char *name, int *err)
{
	struct task_struct *t = kthread_create(threadfn, data, name, err);

	if (t)
		wake_up_new_task(t);
	return t;
}

bool kthread_should_stop(void)
{
	struct task_struct *t = current;

	return t && t->is_kthread && READ_ONCE(t->kthread_stop_req);
}

/*
 * Waking and sleeping, without a lost wake-up: wake_up_process sets
 * wake_pending under sleep_lock before it wakes; a sleeper that finds it
 * set does not sleep. One that marked itself TASK_INTERRUPTIBLE under the
 * lock is either woken by wake_up_task (its state says so) or, if the wake
 * lands between its unlock and its schedule(), found TASK_RUNNING by
 * schedule(), which keeps it queued.
 */
void wake_up_process(struct task_struct *t)
{
	uint64_t flags;

	spin_lock_irqsave(&sleep_lock, flags);
	t->wake_pending = true;
	spin_unlock_irqrestore(&sleep_lock, flags);
	wake_up_task(t);
}

void kthread_wake_within(struct task_struct *t, unsigned int ms)
{
	uint64_t by = clock_ns() + (uint64_t)ms * 1000000, flags;

	spin_lock_irqsave(&sleep_lock, flags);
	if (!t->wake_by_ns || by < t->wake_by_ns)
		t->wake_by_ns = by; /* for a sleep not started yet */
	if (t->sleep_until_ns > by)
		t->sleep_until_ns = by; /* the tick reads it under this lock */
	spin_unlock_irqrestore(&sleep_lock, flags);
}

static void unlink_sleeper(struct task_struct *t)
{
	for (struct task_struct **pp = &sleepers; *pp; pp = &(*pp)->sleep_next) {
		if (*pp == t) {
			*pp = t->sleep_next;
			break;
		}
	}
	t->sleep_next = NULL;
}

unsigned int msleep_interruptible(unsigned int ms)
{
	struct task_struct *t = current;
	uint64_t now, deadline = clock_ns() + (uint64_t)ms * 1000000;
	uint64_t flags;

	BUG_ON(!t || !t->is_kthread);
	spin_lock_irqsave(&sleep_lock, flags);
	if (t->wake_pending || t->kthread_stop_req) {
		t->wake_pending = false;
		spin_unlock_irqrestore(&sleep_lock, flags);
		return ms;
	}
	if (t->wake_by_ns && t->wake_by_ns < deadline)
		deadline = t->wake_by_ns;
	t->state = TASK_INTERRUPTIBLE;
	t->sleep_until_ns = deadline;
	t->sleep_next = sleepers;
	sleepers = t;
	spin_unlock_irqrestore(&sleep_lock, flags);
	/*
	 * Without ARAT the boot CPU must not stay halted now that a sleep is
	 * pending (sched_idle_halt looked before we queued): the reschedule
	 * IPI ends its halt, and it looks again.
	 */
	if (!cpu_features.arat && this_cpu_id() != 0)
		smp_send_reschedule(0);
	schedule(); /* back when woken: by the tick or by wake_up_process */
	spin_lock_irqsave(&sleep_lock, flags);
	unlink_sleeper(t);
	t->wake_pending = false;
	t->sleep_until_ns = 0;
	t->wake_by_ns = 0;
	spin_unlock_irqrestore(&sleep_lock, flags);
	now = clock_ns();
	return now >= deadline ? 0 : (unsigned int)((deadline - now + 999999) / 1000000);
}

/*
 * Every CPU's tick wakes the expired sleepers of every CPU, not only its
 * own: a sleeper's own CPU may be halted with its timer stopped (no ARAT,
 * smp.c cpu_idle_halt), and wake_up_task's reschedule IPI wakes a CPU
 * from any C-state. Together with the boot CPU never halting while a
 * sleep is pending on such a machine (sched_idle_halt), some CPU always
 * ticks or polls, so every sleep ends. The list holds a few kernel
 * threads at most; the tick already took sleep_lock for it.
 */
void kthread_timer_tick(void)
{
	uint64_t now = clock_ns();

	spin_lock(&sleep_lock); /* interrupts are off in the tick */
	for (struct task_struct *t = sleepers; t; t = t->sleep_next)
		if (t->state == TASK_INTERRUPTIBLE && now >= t->sleep_until_ns)
			wake_up_task(t);
	spin_unlock(&sleep_lock);
}

bool kthread_sleep_pending(void)
{
	return READ_ONCE(sleepers) != NULL;
}

int kthread_stop(struct task_struct *k)
{
	int ret;

	BUG_ON(current || !k->is_kthread); /* the console waits; a thread cannot stop itself */
	WRITE_ONCE(k->kthread_stop_req, true);
	/* Dead, and its stack freed by the switch away from it: nothing runs on it. */
	while (!READ_ONCE(k->proc_exited) || READ_ONCE(k->nr_stacks)) {
		wake_up_process(k);
		if (!sched_yield_console())
			sched_idle_halt(); /* the console's one way to halt (task/sched.c) */
	}
	ret = k->kthread_result;
	__atomic_sub_fetch(&kthreads_alive, 1, __ATOMIC_RELAXED);
	task_release_slot(k);
	return ret;
}

int nr_kthreads(void)
{
	return __atomic_load_n(&kthreads_alive, __ATOMIC_RELAXED);
}
