/*
 * Per-CPU data: one struct percpu per online CPU, found through the GS base
 * (MSR_GS_BASE points at this CPU's struct), so this_cpu_id() and
 * this_cpu_ptr() are one %gs-relative load each. CPU numbers are dense:
 * 0 is the boot CPU, APs get 1, 2, ... in the order they come online.
 */
#ifndef SMP_PERCPU_H
#define SMP_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/platform.h" /* this_cpu_id() */

#define MAX_CPUS 256

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

/* Every online CPU's struct, by CPU number; NULL past nr_cpus_online. */
extern struct percpu *percpu_ptrs[MAX_CPUS];

static inline struct percpu *per_cpu(int cpu)
{
	return percpu_ptrs[cpu];
}

/* This CPU's struct; valid once percpu_install ran on it. */
struct percpu *this_cpu_ptr(void);

/* Register @pc as CPU @pc->cpu_id and point this CPU's GS base at it. */
void percpu_install(struct percpu *pc);

/* The boot CPU's struct, statically allocated. */
extern struct percpu boot_percpu;

#endif
