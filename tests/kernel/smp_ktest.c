/*
 * SMP from inside: every CPU the MADT enables is online with a distinct,
 * matching this_cpu_id, cross-calls reach each target exactly once (waiting
 * or not, and from every CPU at once without deadlock), IPI counts are
 * exact, and every CPU's timer ticks. Cases needing two CPUs skip at -smp 1.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/tsc.h"
#include "kernel/ktest.h"
#include "kernel/platform.h"
#include "lib/string.h"
#include "smp/cross_call.h"
#include "smp/smp.h"

#define NEEDS_TWO_CPUS(t)                                                                          \
	do {                                                                                       \
		if (nr_cpus_online < 2)                                                            \
			KTEST_SKIP(t, "needs more than one CPU");                                  \
	} while (0)

static unsigned int hits[MAX_CPUS];
static uint32_t seen_apic[MAX_CPUS];
static int seen_cpu_ptr_id[MAX_CPUS];

static void reset_hits(void)
{
	memset(hits, 0, sizeof(hits));
	memset(seen_apic, 0xff, sizeof(seen_apic));
}

/* Runs on each target: who am I, by every means there is. */
static void record_identity(void *info)
{
	int cpu = this_cpu_id();

	__atomic_add_fetch(&hits[cpu], 1, __ATOMIC_RELAXED);
	seen_apic[cpu] = lapic_id();
	seen_cpu_ptr_id[cpu] = this_cpu_ptr()->cpu_id;
}

static bool madt_enables(uint32_t apic_id)
{
	for (int i = 0; i < acpi_madt.nr_lapics; i++)
		if (acpi_madt.lapics[i].apic_id == apic_id)
			return acpi_madt.lapics[i].flags & ACPI_MADT_ENABLED;
	return false;
}

static void all_madt_cpus_online(struct ktest *t)
{
	int cpu;

	KEXPECT_EQ(t, smp_cpus_expected(), nr_cpus_online);
	KEXPECT_EQ(t, nr_cpus_online, cpumask_weight(&cpu_online_mask));
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		KASSERT_TRUE(t, cpumask_test_cpu(cpu, &cpu_online_mask)); /* dense numbering */
		KASSERT_TRUE(t, per_cpu(cpu) != NULL);
		KEXPECT_EQ(t, cpu, per_cpu(cpu)->cpu_id);
		KEXPECT_TRUE(t, madt_enables(per_cpu(cpu)->apic_id));
		for (int other = 0; other < cpu; other++)
			KEXPECT_TRUE(t, per_cpu(other)->apic_id != per_cpu(cpu)->apic_id);
	}
	KEXPECT_EQ(t, 0, this_cpu_id()); /* the console runs on the boot CPU */
}

static void this_cpu_id_is_distinct_and_matches(struct ktest *t)
{
	int cpu;

	reset_hits();
	on_each_cpu(record_identity, NULL, true);
	for_each_online_cpu (cpu) {
		KEXPECT_EQ(t, 1, hits[cpu]);
		KEXPECT_EQ(t, per_cpu(cpu)->apic_id, seen_apic[cpu]);
		KEXPECT_EQ(t, cpu, seen_cpu_ptr_id[cpu]);
	}
}

static void square_of_cpu(void *info)
{
	long *results = info;
	int cpu = this_cpu_id();

	results[cpu] = (long)cpu * cpu + 1;
	__atomic_add_fetch(&hits[cpu], 1, __ATOMIC_RELAXED);
}

static void call_many_reaches_each_once_with_values(struct ktest *t)
{
	static long results[MAX_CPUS];
	int cpu;

	NEEDS_TWO_CPUS(t);
	reset_hits();
	memset(results, 0, sizeof(results));
	smp_call_function_many(&cpu_online_mask, square_of_cpu, results, true);
	KEXPECT_EQ(t, 0, hits[0]); /* not the caller */
	KEXPECT_EQ(t, 0, results[0]);
	for (cpu = 1; cpu < nr_cpus_online; cpu++) {
		KEXPECT_EQ(t, 1, hits[cpu]);
		KEXPECT_EQ(t, (long)cpu * cpu + 1, results[cpu]);
	}
}

static void call_single_returns_value(struct ktest *t)
{
	static long results[MAX_CPUS];

	memset(results, 0, sizeof(results));
	for (int cpu = 0; cpu < nr_cpus_online; cpu++) {
		KEXPECT_EQ(t, 0, smp_call_function_single(cpu, square_of_cpu, results, true));
		KEXPECT_EQ(t, (long)cpu * cpu + 1, results[cpu]);
	}
	KEXPECT_EQ(t, -22, smp_call_function_single(nr_cpus_online, square_of_cpu, results, true));
}

static unsigned int gate_open, gate_passed;

/* Held at the gate until the caller opens it (1 s at most, so a bug cannot hang us). */
static void wait_at_gate(void *info)
{
	uint64_t end = rdtsc() + 1000 * tsc_khz;

	while (!__atomic_load_n(&gate_open, __ATOMIC_ACQUIRE) && (int64_t)(rdtsc() - end) < 0)
		cpu_relax();
	__atomic_add_fetch(&gate_passed, 1, __ATOMIC_RELEASE);
}

static void no_wait_returns_before_targets_finish(struct ktest *t)
{
	uint64_t end;

	NEEDS_TWO_CPUS(t);
	gate_open = gate_passed = 0;
	smp_call_function_many(&cpu_online_mask, wait_at_gate, NULL, false);
	KEXPECT_EQ(t, 0, __atomic_load_n(&gate_passed, __ATOMIC_ACQUIRE));
	__atomic_store_n(&gate_open, 1, __ATOMIC_RELEASE);
	end = rdtsc() + 2000 * tsc_khz;
	while (__atomic_load_n(&gate_passed, __ATOMIC_ACQUIRE) < (unsigned)nr_cpus_online - 1 &&
	       (int64_t)(rdtsc() - end) < 0)
		cpu_relax();
	KEXPECT_EQ(t, nr_cpus_online - 1, gate_passed);

	/* With wait, every target is through the gate when the call returns. */
	gate_passed = 0;
	smp_call_function_many(&cpu_online_mask, wait_at_gate, NULL, true);
	KEXPECT_EQ(t, nr_cpus_online - 1, gate_passed);
}

static void count_hit(void *info)
{
	__atomic_add_fetch(&hits[this_cpu_id()], 1, __ATOMIC_RELAXED);
}

/* Every CPU, from interrupt context, calls every other one and waits. */
static void call_everyone_else(void *info)
{
	smp_call_function_many(&cpu_online_mask, count_hit, NULL, true);
}

static void calls_from_every_cpu_at_once_complete(struct ktest *t)
{
	int cpu;

	NEEDS_TWO_CPUS(t);
	reset_hits();
	on_each_cpu(call_everyone_else, NULL, true);
	for_each_online_cpu (cpu)
		KEXPECT_EQ(t, nr_cpus_online - 1, hits[cpu]);
}

static void ipi_counts_are_exact(struct ktest *t)
{
	uint64_t sent0 = this_cpu_ptr()->ipis_sent, recv0[MAX_CPUS];
	int cpu, expected_ipis;

	NEEDS_TWO_CPUS(t);
	for_each_online_cpu (cpu)
		recv0[cpu] = per_cpu(cpu)->calls_handled;
	smp_call_function_many(&cpu_online_mask, count_hit, NULL, true);
	/* Everyone else at once is one "all excluding self" IPI. */
	expected_ipis = smp_all_enabled_online() ? 1 : nr_cpus_online - 1;
	KEXPECT_EQ(t, expected_ipis, this_cpu_ptr()->ipis_sent - sent0);
	for (cpu = 1; cpu < nr_cpus_online; cpu++)
		KEXPECT_EQ(t, 1, per_cpu(cpu)->calls_handled - recv0[cpu]);
	KEXPECT_EQ(t, 0, per_cpu(0)->calls_handled - recv0[0]);

	if (nr_cpus_online > 2) { /* a subset: one IPI per target */
		struct cpumask two;

		cpumask_clear(&two);
		cpumask_set_cpu(1, &two);
		cpumask_set_cpu(2, &two);
		sent0 = this_cpu_ptr()->ipis_sent;
		smp_call_function_many(&two, count_hit, NULL, true);
		KEXPECT_EQ(t, nr_cpus_online == 3 ? 1 : 2, this_cpu_ptr()->ipis_sent - sent0);
	}
}

static void timer_ticks_on_every_cpu(struct ktest *t)
{
	static uint64_t before[MAX_CPUS];
	int cpu;

	for_each_online_cpu (cpu)
		before[cpu] = READ_ONCE(per_cpu(cpu)->timer_ticks);
	clock_delay_ms(100); /* about 10 ticks at 100 Hz */
	for_each_online_cpu (cpu) {
		uint64_t n = READ_ONCE(per_cpu(cpu)->timer_ticks) - before[cpu];

		if (n < 2 || n > 50)
			ktest_fail(t, __FILE__, __LINE__, "CPU %d: %lu ticks in 100 ms at %d Hz",
				   cpu, n, SMP_TICK_HZ);
	}
}

static const struct ktest_case smp_cases[] = {
    KTEST_CASE(all_madt_cpus_online),
    KTEST_CASE(this_cpu_id_is_distinct_and_matches),
    KTEST_CASE(call_many_reaches_each_once_with_values),
    KTEST_CASE(call_single_returns_value),
    KTEST_CASE(no_wait_returns_before_targets_finish),
    KTEST_CASE(calls_from_every_cpu_at_once_complete),
    KTEST_CASE(ipi_counts_are_exact),
    KTEST_CASE(timer_ticks_on_every_cpu),
    {},
};
DEFINE_KTEST_SUITE(smp, smp_cases);
