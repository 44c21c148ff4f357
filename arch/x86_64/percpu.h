/*
 * The per-CPU area's layout and how a CPU finds its own: MSR_GS_BASE points
 * at this CPU's struct percpu, so this_cpu_id() and this_cpu_ptr() are one
 * %gs-relative load each. The layout is the architecture's because the
 * entry code reads fields at fixed offsets (syscall.asm, asserted in
 * syscall.c). The generic side, every CPU's struct by number and MAX_CPUS,
 * is smp/percpu.h.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#include <stdint.h>

#include "kernel/platform.h" /* this_cpu_id(), implemented in percpu.c */

struct cpu_tables;
struct task_struct;

struct percpu {
	struct percpu *self; /* offset 0: %gs:0 yields the struct's address */
	int cpu_id;	     /* offset 8 */
	uint32_t apic_id;
	/*
	 * User entry (arch/x86_64/syscall.asm reads these at fixed offsets,
	 * asserted in arch/x86_64/syscall.c): the running task, the top of its
	 * kernel stack (SYSCALL does not switch stacks; TSS.rsp0 holds the same
	 * value for interrupts) and a scratch slot for the user RSP.
	 */
	struct task_struct *current_task; /* offset 16: `current` (task/task.h) */
	uintptr_t top_of_stack;		  /* offset 24 */
	uintptr_t user_rsp_scratch;	  /* offset 32 */
	uintptr_t stack_top;		  /* the boot CPU's is its entry stack */
	struct cpu_tables *tables;	  /* GDT, TSS, IST stacks */
	/* counters: written only by their own CPU, read by anyone */
	uint64_t timer_ticks;		/* LAPIC timer interrupts handled */
	uint64_t ipis_sent;		/* every IPI this CPU wrote to its ICR */
	uint64_t call_ipis_received;	/* CALL_FUNCTION_VECTOR interrupts */
	uint64_t calls_handled;		/* cross-call functions run for others */
	uint64_t resched_ipis_received; /* RESCHEDULE_VECTOR interrupts (/proc/interrupts RES) */
} __attribute__((aligned(64)));

/* This CPU's struct; valid once percpu_install ran on it. */
struct percpu *this_cpu_ptr(void);

/*
 * percpu_install's half here (smp/percpu.c calls it): set @pc->self and
 * point this CPU's GS base at @pc. Interrupts off, once per CPU.
 */
void arch_percpu_install(struct percpu *pc);

/* The boot CPU's struct, statically allocated. */
extern struct percpu boot_percpu;

#endif
