/*
 * Every CPU's struct percpu by number (per_cpu). Finding this CPU's own is
 * the architecture's business: arch/x86_64/percpu.c.
 */
#include "smp/percpu.h"
#include "lib/kernel.h"

struct percpu *percpu_ptrs[MAX_CPUS];

void percpu_install(struct percpu *pc)
{
	BUG_ON(pc->cpu_id < 0 || pc->cpu_id >= MAX_CPUS);
	percpu_ptrs[pc->cpu_id] = pc;
	arch_percpu_install(pc);
}
