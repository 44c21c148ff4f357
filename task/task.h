/*
 * Processes: struct task_struct (one thread of one process for now), the
 * per-CPU `current`, and the foreground runner the console uses: build a
 * process from an ELF image, run it on this CPU until it exits or is
 * killed, and tear it down so every frame it used is free again.
 */
#ifndef TASK_TASK_H
#define TASK_TASK_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/traps.h"
#include "smp/percpu.h"

#define TASK_COMM_LEN 16 /* Linux's: 15 characters and a NUL */
#define NR_OPEN 32 /* file descriptors per process */
#define NR_TASKS 64 /* task slots in the system */
#define KERNEL_STACK_ORDER 2 /* 16 KiB kernel stack per task */
#define KERNEL_STACK_SIZE (4096UL << KERNEL_STACK_ORDER)

/* Signals the kernel itself sends (Linux's numbers), and wait-status helpers. */
#define SIGILL 4
#define SIGTRAP 5
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11

enum task_state {
	TASK_UNUSED, /* free slot */
	TASK_NEW, /* being built by exec */
	TASK_RUNNING, /* on a CPU (or, later, on a run queue) */
	TASK_DEAD, /* exited: exit_code is final, resources not yet freed */
};

struct file;
struct mm_struct;
struct page;

struct task_struct {
	int pid; /* also the thread-group id: one thread per process for now */
	char comm[TASK_COMM_LEN]; /* the program's base name, as Linux's comm */
	enum task_state state;
	struct mm_struct *mm;
	int cpu; /* the CPU it runs on */
	uint64_t cpus_allowed; /* affinity mask, CPUs 0..63 */

	/* kernel stack and saved kernel context */
	struct page *stack_page;
	uintptr_t stack_top; /* 16-aligned; the user trap_frame sits just below */
	uintptr_t kernel_sp; /* saved by __switch_to_asm while not running */
	uintptr_t waiter_sp; /* the runner's context, resumed when it exits */

	/* user state the CPU does not keep in the trap frame */
	uint64_t fsbase, gsbase; /* arch_prctl(ARCH_SET_FS/GS) */
	uintptr_t clear_child_tid; /* set_tid_address */
	uintptr_t start_brk; /* brk: end of the loaded image; never moves */

	int exit_code; /* wait status: (status << 8), or the signal number */
	struct file *files[NR_OPEN];
	uint64_t nr_syscalls;
};

/* The struct trap_frame holding @t's user registers (top of its kernel stack). */
static inline struct trap_frame *task_pt_regs(struct task_struct *t)
{
	return (struct trap_frame *)t->stack_top - 1;
}

/* The task running on this CPU, NULL in the console's own kernel context. */
static inline struct task_struct *get_current(void)
{
	return this_cpu_ptr()->current_task;
}
#define current get_current()

/* Linux's wait-status decoding, for the console's verdict. */
#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s) & 0x7f)

/*
 * Register the fault and exception routing with arch/x86_64/traps.c and
 * the task pseudo-files. Once, at boot, after the pseudo-file registry.
 */
void task_init(void);

/*
 * Run the static ELF @image (@size bytes) as a new process named after
 * @path, with @argv (NULL-terminated) and an empty environment, on this
 * CPU, in the foreground: returns when it has exited or was killed, with
 * every page, page table, kernel stack and file it used freed again.
 * Returns 0 and the Linux wait status in *@wstatus, or -errno if it could
 * not be started (-ENOEXEC: not a loadable ELF, -ENOMEM, -E2BIG, ...).
 */
int run_program(const char *path, const void *image, size_t size, char *const argv[],
		int *wstatus);

/* End the current task with wait status @wstatus. Interrupts may be on or off. */
__attribute__((noreturn)) void do_exit(int wstatus);

/* Tasks started since boot, and tasks alive now (for tests and ps). */
extern uint64_t nr_tasks_started;
int nr_tasks_alive(void);

#endif
