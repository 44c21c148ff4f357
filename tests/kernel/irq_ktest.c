/*
 * Interrupt-path rules that keep every CPU live on real hardware, checked
 * where QEMU TCG can show them: a stray vector is counted and EOI'd so the
 * CPU keeps taking ticks; the 8259s and every IOAPIC pin are masked; #MC is
 * enabled on every CPU; a CPU whose tick stopped still passes TLB epochs.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/irqchip.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/tsc.h"
#include "kernel/ktest.h"
#include "kernel/platform.h"
#include "smp/tlbflush.h"
#include "smp/cross_call.h"
#include "smp/smp.h"

/*
 * Above the timer's priority class (0xec: class 14): if this vector stayed
 * in service for lack of an EOI, the LAPIC would hold back every vector of
 * class 15 and below, the tick included, and the checks below would fail.
 */
#define STRAY_VECTOR 0xf1

/* Spin (interrupts on) until *@p reaches @want or @ms pass; returns the last value. */
static uint64_t wait_for_count(const uint64_t *p, uint64_t want, unsigned int ms)
{
	uint64_t end = rdtsc() + ms * tsc_khz;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < want && (int64_t)(rdtsc() - end) < 0)
		cpu_relax();
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void unexpected_vector_is_eoied_and_counted(struct ktest *t)
{
	uint64_t before = nr_unexpected_irqs, ticks;

	KASSERT_TRUE(t, read_rflags() & X86_RFLAGS_IF);
	lapic_send_ipi(lapic_id(), STRAY_VECTOR);
	KEXPECT_EQ(t, before + 1, wait_for_count(&nr_unexpected_irqs, before + 1, 100));
	KEXPECT_TRUE(t, !lapic_vector_in_service(STRAY_VECTOR));
	/* The second one is delivered only if the first was acknowledged. */
	lapic_send_ipi(lapic_id(), STRAY_VECTOR);
	KEXPECT_EQ(t, before + 2, wait_for_count(&nr_unexpected_irqs, before + 2, 100));
	ticks = this_cpu_ptr()->timer_ticks;
	KEXPECT_TRUE(t, wait_for_count(&this_cpu_ptr()->timer_ticks, ticks + 3, 500) >= ticks + 3);
}

static void legacy_pic_is_masked(struct ktest *t)
{
	KEXPECT_EQ(t, 0xffff, legacy_pic_imr());
}

static void every_ioapic_pin_is_masked(struct ktest *t)
{
	if (!acpi_madt.nr_ioapics)
		KTEST_SKIP(t, "no IOAPIC in the MADT");
	for (int i = 0; i < acpi_madt.nr_ioapics; i++) {
		KEXPECT_TRUE(t, ioapic_nr_pins(i) > 0);
		for (unsigned int pin = 0; pin < ioapic_nr_pins(i); pin++)
			KEXPECT_TRUE(t, ioapic_pin_masked(i, pin));
	}
}

static uint64_t cr4_of[MAX_CPUS];

static void read_cr4_here(void *info)
{
	cr4_of[this_cpu_id()] = read_cr4();
}

static void machine_checks_enabled_on_every_cpu(struct ktest *t)
{
	int cpu;

	if (!cpu_features.mce)
		KTEST_SKIP(t, "no machine-check exception in CPUID");
	on_each_cpu(read_cr4_here, NULL, true);
	for_each_online_cpu (cpu)
		KEXPECT_TRUE(t, cr4_of[cpu] & X86_CR4_MCE);
}

static void stop_tick(void *info)
{
	lapic_timer_stop();
}

static void start_tick(void *info)
{
	lapic_timer_start(SMP_TICK_HZ);
}

static uint64_t epoch_nudges(void)
{
	struct tlb_ledger_totals t;

	tlb_ledger_totals(&t);
	return t.epoch_nudges;
}

/*
 * CPU 1's tick stopped (what a LAPIC timer without ARAT does in a deep
 * C-state): an epoch still passes, because tlb_epoch_wait nudges it. A
 * wait that never returns is the failure (the boot times out).
 */
static void epoch_passes_when_a_tick_stops(struct ktest *t)
{
	uint64_t nudges = epoch_nudges(), t0, ticks, epoch;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs more than one CPU");
	KASSERT_EQ(t, 0, smp_call_function_single(1, stop_tick, NULL, true));
	clock_delay_ms(20); /* a tick already pending at the stop lands now */
	ticks = per_cpu(1)->timer_ticks;
	t0 = rdtsc();
	epoch = tlb_epoch_advance();
	tlb_epoch_wait(epoch);
	KEXPECT_TRUE(t, tlb_epoch_passed(epoch));
	KEXPECT_TRUE(t, epoch_nudges() > nudges);
	KEXPECT_EQ(t, ticks, per_cpu(1)->timer_ticks); /* it was the nudge, not a tick */
	KEXPECT_TRUE(t, cycles_to_ns(rdtsc() - t0) < 1000000000ULL);
	KASSERT_EQ(t, 0, smp_call_function_single(1, start_tick, NULL, true));
	KEXPECT_TRUE(t, wait_for_count(&per_cpu(1)->timer_ticks, ticks + 2, 500) >= ticks + 2);
}

static const struct ktest_case irq_cases[] = {
    KTEST_CASE(unexpected_vector_is_eoied_and_counted),
    KTEST_CASE(legacy_pic_is_masked),
    KTEST_CASE(every_ioapic_pin_is_masked),
    KTEST_CASE(machine_checks_enabled_on_every_cpu),
    KTEST_CASE(epoch_passes_when_a_tick_stops),
    {},
};
DEFINE_KTEST_SUITE(irq, irq_cases);
