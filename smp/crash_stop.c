/*
 * When one CPU crashes (panic, or a fatal exception: NMI, #MC, #DF, a
 * kernel fault), it alone reports: it stops every other CPU first, with an
 * NMI (Linux's nmi_shootdown_cpus; smp_send_stop on panic), so none goes
 * on running the workload, printing over the report, or spinning for ever
 * for an acknowledgement from the dead CPU; then it takes the console over
 * (kernel/printk.c) and ends the run.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/tsc.h"
#include "kernel/backtrace.h"
#include "kernel/platform.h"
#include "lib/kernel.h"
#include "smp/percpu.h"

#define STOP_ACK_WAIT_MS 1000

static int crash_cpu = -1; /* the first CPU to crash; -1 until one does */
static int cpus_stopped;   /* other CPUs that acknowledged the stop */
static int cpus_asked;
static uint64_t stopped_rip[MAX_CPUS];
static bool stopped[MAX_CPUS];

/* Record where this CPU was, acknowledge, and never run again. */
static __noreturn void stop_this_cpu(uint64_t rip)
{
	int cpu = this_cpu_id();

	stopped_rip[cpu] = rip;
	stopped[cpu] = true;
	__atomic_add_fetch(&cpus_stopped, 1, __ATOMIC_RELEASE);
	for (;;) {
		local_irq_disable();
		halt();
	}
}

/*
 * Why an NMI, and why the targets never return (Intel SDM vol. 3, 11.6.1
 * delivery mode NMI; 6.7.1 "Handling Multiple NMIs"): a fixed-vector IPI
 * waits for IF = 1, and the CPUs that most need stopping spin with
 * interrupts off: a shootdown initiator waiting for the crashed CPU's ack
 * (shootdown.c's ack wait serves nothing, by design), a cross-call wait,
 * a CPU in printk's console lock. An NMI is taken whatever IF says. Each
 * target records where it was, acknowledges with a release increment and
 * halts with interrupts off; it never IRETs, so further NMIs stay blocked
 * and only INIT or a reset wakes it. A CPU already stopped in an NMI
 * handler of its own cannot answer, so the crashing CPU waits for the
 * acks STOP_ACK_WAIT_MS at most, then reports who answered.
 */
void smp_stop_nmi(const struct trap_frame *f)
{
	int owner = __atomic_load_n(&crash_cpu, __ATOMIC_ACQUIRE);

	if (owner >= 0 && owner != this_cpu_id())
		stop_this_cpu(f->rip);
}

static void stop_other_cpus(void)
{
	int me = this_cpu_id(), n = READ_ONCE(nr_cpus_online);
	uint64_t end;

	for (int cpu = 0; cpu < n; cpu++) {
		if (cpu != me && per_cpu(cpu)) {
			lapic_send_nmi(per_cpu(cpu)->apic_id);
			cpus_asked++;
		}
	}
	end = rdtsc() + STOP_ACK_WAIT_MS * tsc_khz;
	while (__atomic_load_n(&cpus_stopped, __ATOMIC_ACQUIRE) < cpus_asked &&
	       (int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}

void crash_enter(void)
{
	int me = this_cpu_id(), first = -1;

	local_irq_disable();
	if (!__atomic_compare_exchange_n(&crash_cpu, &first, me, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		if (first == me) { /* a fault while reporting one: say so and stop at once */
			console_write("\nflushlab: nested crash while reporting one\n", 45);
			machine_exit(EXIT_STATUS_CRASH);
		}
		/* Another CPU crashed first and reports; stop here as its NMI would. */
		stop_this_cpu((uint64_t)__builtin_return_address(0));
	}
	stop_other_cpus();
	console_crash_takeover();
}

void crash_report_stopped(void)
{
	int n = READ_ONCE(nr_cpus_online);

	if (n < 2)
		return;
	printk("flushlab: %d of %d other CPUs stopped (NMI)\n",
	       __atomic_load_n(&cpus_stopped, __ATOMIC_ACQUIRE), cpus_asked);
	for (int cpu = 0; cpu < n; cpu++) {
		uint64_t off = 0;
		const char *sym;

		if (cpu == this_cpu_id())
			continue;
		if (!READ_ONCE(stopped[cpu])) {
			printk("  CPU %d did not answer\n", cpu);
			continue;
		}
		sym = symbolize(stopped_rip[cpu], &off);
		printk("  CPU %d stopped at %s+%#lx\n", cpu, sym ? sym : "?", off);
	}
}
