/*
 * /proc/interrupts in Linux's shape, for the interrupts flushlab has: the
 * local timer (LOC), reschedule IPIs (RES), cross-call IPIs (CAL) and
 * shootdown requests served (TLB) per CPU, then ERR (vectors with no
 * handler, arch/x86_64/traps.c) and SPU (the LAPIC's spurious vector), as
 * totals. No device interrupts:
 * the 8259s and IOAPICs are masked (arch/x86_64/irqchip.c).
 */
#include "arch/x86_64/traps.h"
#include "kernel/pseudofs.h"
#include "smp/smp.h"
#include "smp/tlb_ledger.h"

static void row(struct seq_buf *s, const char *name, const char *what, uint64_t (*count)(int cpu))
{
	int cpu;

	seq_printf(s, "%5s:", name);
	for_each_online_cpu (cpu)
		seq_printf(s, " %10lu", count(cpu));
	seq_printf(s, "   %s\n", what);
}

static uint64_t loc(int cpu)
{
	return READ_ONCE(per_cpu(cpu)->timer_ticks);
}

static uint64_t cal(int cpu)
{
	return READ_ONCE(per_cpu(cpu)->call_ipis_received);
}

static uint64_t res(int cpu)
{
	return READ_ONCE(per_cpu(cpu)->resched_ipis_received);
}

static uint64_t tlb(int cpu)
{
	return READ_ONCE(tlb_ledger[cpu].c.remote_flush_received);
}

static int interrupts_show(struct seq_buf *s, void *data)
{
	int cpu;

	seq_printf(s, "      ");
	for_each_online_cpu (cpu) /* "CPUn" right-aligned over its 10-wide column */
		seq_printf(s, " %*s%d", 10 - (cpu >= 100 ? 3 : cpu >= 10 ? 2 : 1), "CPU", cpu);
	seq_printf(s, "\n");
	row(s, "LOC", "Local timer interrupts", loc);
	row(s, "RES", "Rescheduling interrupts", res);
	row(s, "CAL", "Function call interrupts", cal);
	row(s, "TLB", "TLB shootdowns", tlb);
	seq_printf(s, "%5s: %10lu\n", "ERR", READ_ONCE(nr_unexpected_irqs));
	seq_printf(s, "%5s: %10lu\n", "SPU", READ_ONCE(nr_spurious_irqs));
	return 0;
}

DEFINE_PSEUDO_FILE(interrupts_file, "/proc/interrupts", interrupts_show, NULL, 0444);
