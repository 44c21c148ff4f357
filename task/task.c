/*
 * Task slots, kernel stacks, and the foreground runner: the console's own
 * kernel context builds a process, switches to its kernel stack (from
 * where it IRETQs to ring 3), and is switched back to when the process
 * exits or is killed; then it frees everything the process had. No
 * scheduler yet: a process runs on the CPU that started it, to the end.
 */
#include "task/task.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "mm/tlbflush.h"
#include "task/exec.h"
#include "task/file.h"
#include "task/task_priv.h"

static struct task_struct tasks[NR_TASKS];
static struct spinlock tasks_lock;
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

/* A free slot with a pid, a kernel stack and the default affinity; NULL if none. */
static struct task_struct *task_alloc(const char *path)
{
	struct task_struct *t = NULL;
	struct page *stack;

	stack = alloc_pages(GFP_KERNEL, KERNEL_STACK_ORDER);
	if (!stack)
		return NULL;
	spin_lock(&tasks_lock);
	for (int i = 0; i < NR_TASKS && !t; i++) {
		if (tasks[i].state == TASK_UNUSED) {
			t = &tasks[i];
			memset(t, 0, sizeof(*t));
			t->state = TASK_NEW;
			t->pid = next_pid++;
		}
	}
	spin_unlock(&tasks_lock);
	if (!t) {
		__free_pages(stack, KERNEL_STACK_ORDER);
		return NULL;
	}
	t->stack_page = stack;
	t->stack_top = (uintptr_t)page_address(stack) + KERNEL_STACK_SIZE;
	t->cpus_allowed = ~0ULL;
	set_comm(t, path);
	files_init(t);
	return t;
}

/* Give back what the task held; the slot is free afterwards. */
static void task_release(struct task_struct *t)
{
	files_close_all(t);
	if (t->mm)
		mmput(t->mm);
	t->mm = NULL;
	__free_pages(t->stack_page, KERNEL_STACK_ORDER);
	spin_lock(&tasks_lock);
	t->state = TASK_UNUSED;
	spin_unlock(&tasks_lock);
}

/*
 * Make @t's mm the loaded one on this CPU and @t current, so that exec's
 * copies into the new address space (and the faults they take) go to it.
 * The CR3 write, its SDM argument and the mm_cpumask bits are the TLB
 * engine's (smp/tlb_mm.c, switch_mm_irqs_off).
 */
static void task_use_mm(struct task_struct *t)
{
	uint64_t flags = local_irq_save();

	t->cpu = this_cpu_id();
	this_cpu_ptr()->current_task = t;
	switch_mm_irqs_off(NULL, t->mm);
	local_irq_restore(flags);
}

/*
 * Back to the console's context, which has no mm: with lazy TLB the CPU
 * keeps @t's mm loaded until mmput sends it to the kernel root
 * (mm_leave_lazy_cpus) before the tables are freed.
 */
static void task_unuse_mm(struct task_struct *t)
{
	uint64_t flags = local_irq_save();

	switch_mm_irqs_off(t->mm, NULL);
	this_cpu_ptr()->current_task = NULL;
	local_irq_restore(flags);
}

/*
 * Lay out @t's kernel stack for its first switch: the trap_frame exec
 * filled at the top, and under it the callee-saved registers
 * __switch_to_asm pops and its return address, ret_from_fork_asm, which
 * IRETQs through the frame to ring 3.
 */
static void task_prepare_stack(struct task_struct *t)
{
	uintptr_t *sp = (uintptr_t *)task_pt_regs(t);

	*--sp = (uintptr_t)ret_from_fork_asm;
	for (int i = 0; i < SWITCH_FRAME_WORDS; i++)
		*--sp = 0;
	t->kernel_sp = (uintptr_t)sp;
}

/*
 * Switch to @t until it exits. The per-CPU entry state is @t's: TSS.rsp0
 * and top_of_stack (interrupts and SYSCALL from ring 3 land on its kernel
 * stack), and its FS/GS bases (KERNEL_GS_BASE holds the user GS base while
 * the kernel runs; the exit SWAPGS makes it live).
 */
static void task_run_until_exit(struct task_struct *t)
{
	uint64_t flags = local_irq_save();
	struct percpu *pc = this_cpu_ptr();

	task_prepare_stack(t);
	pc->top_of_stack = t->stack_top;
	tss_set_rsp0(t->stack_top);
	wrmsr(MSR_FS_BASE, t->fsbase);
	wrmsr(MSR_KERNEL_GS_BASE, t->gsbase);
	t->state = TASK_RUNNING;
	__atomic_add_fetch(&nr_tasks_started, 1, __ATOMIC_RELAXED);
	__switch_to_asm(&t->waiter_sp, t->kernel_sp);
	/* Back on the runner's stack: @t is dead and off every CPU. */
	pc->top_of_stack = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	local_irq_restore(flags);
}

int run_program(const char *path, const void *image, size_t size, char *const argv[],
		int *wstatus)
{
	struct task_struct *t;
	int err;

	if (current)
		return -EBUSY; /* the runner is the console's context, not a task's */
	t = task_alloc(path);
	if (!t)
		return -EAGAIN;
	t->mm = mm_alloc();
	if (!t->mm) {
		task_release(t);
		return -ENOMEM;
	}
	task_use_mm(t);
	err = exec_load(t, image, size, argv);
	if (!err)
		task_run_until_exit(t);
	task_unuse_mm(t);
	if (!err)
		*wstatus = t->exit_code;
	task_release(t);
	return err;
}

void do_exit(int wstatus)
{
	struct task_struct *t;

	local_irq_disable();
	t = current;
	BUG_ON(!t || t->state != TASK_RUNNING);
	t->exit_code = wstatus;
	t->state = TASK_DEAD;
	__switch_to_asm(&t->kernel_sp, t->waiter_sp);
	__builtin_unreachable();
}

void task_init(void)
{
	user_trap_handler = task_trap; /* user faults and exceptions come to task/fault.c */
	syscall_procfs_init();
}
