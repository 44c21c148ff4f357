/*
 * Every CPU's struct percpu by number (per_cpu) and which CPUs are online;
 * smp.c's bring-up fills them in. Finding this CPU's own struct is the
 * architecture's business: arch/x86_64/percpu.c.
 */
#include "smp/percpu.h"
#include "lib/kernel.h"

struct percpu *percpu_ptrs[MAX_CPUS];
struct cpumask cpu_online_mask;
int nr_cpus_online = 1;
static int cpus_expected = 1;

void smp_set_cpus_expected(int n)
{
	cpus_expected = n;
}

int smp_cpus_expected(void)
{
	return cpus_expected;
}

bool smp_all_enabled_online(void)
{
	return READ_ONCE(nr_cpus_online) == cpus_expected;
}

void percpu_install(struct percpu *pc)
{
	BUG_ON(pc->cpu_id < 0 || pc->cpu_id >= MAX_CPUS);
	percpu_ptrs[pc->cpu_id] = pc;
	arch_percpu_install(pc);
}
