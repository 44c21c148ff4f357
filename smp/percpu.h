/*
 * Per-CPU data, the generic side: every online CPU's struct percpu by CPU
 * number, installing one, and which CPUs are online. CPU numbers are
 * dense: 0 is the boot CPU, APs get 1, 2, ... in the order they come
 * online. The struct's layout and how a CPU finds its own (this_cpu_id,
 * this_cpu_ptr: the GS base) are the architecture's, arch/x86_64/percpu.h.
 */
#ifndef SMP_PERCPU_H
#define SMP_PERCPU_H

#include <stdbool.h>

#include "arch/x86_64/percpu.h"
#include "smp/cpumask.h"

/* Every online CPU's struct, by CPU number; NULL past nr_cpus_online. */
extern struct percpu *percpu_ptrs[MAX_CPUS];

static inline struct percpu *per_cpu(int cpu)
{
	return percpu_ptrs[cpu];
}

/* Register @pc as CPU @pc->cpu_id and point this CPU's GS base at it. */
void percpu_install(struct percpu *pc);

/*
 * CPUs that finished bring-up (smp.c adds them, before the online mask
 * bit, smp/cpumask.h); no hotplug, so fixed once smp_init returns.
 */
extern int nr_cpus_online;

/* The same CPUs as a mask: bit N set <=> per_cpu(N) valid. */
extern struct cpumask cpu_online_mask;

#define for_each_online_cpu(cpu) for_each_cpu (cpu, &cpu_online_mask)

/* Enabled CPUs in the MADT (the boot CPU included); 1 without a MADT. */
int smp_cpus_expected(void);
/* smp_init only, once, before any AP starts: the count the MADT gives. */
void smp_set_cpus_expected(int n);

/* Every enabled CPU came online (then "all but self" reaches only online CPUs). */
bool smp_all_enabled_online(void);

#endif
