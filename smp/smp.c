/*
 * Bring-up of the application processors (APs), one at a time, the way the
 * Intel SDM (vol. 3 10.4.4) and the MP spec (B.4) describe: INIT, 10 ms,
 * STARTUP, 200 us, STARTUP, 200 us, then wait for the AP to report online.
 * The boot CPU (BSP) is CPU 0; APs are numbered densely as they come up.
 */
#include "smp/smp.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/mce.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/tsc.h"
#include "flushlab/boot_info.h"
#include "kernel/trace.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "smp/cross_call.h"
#include "smp/poll.h"
#include "smp_priv.h"

#define AP_START_TIMEOUT_MS 2000 /* generous: TCG with many vCPUs on few host cores */
#define AP_STACK_SIZE (16 * KiB)

extern char boot_stack_top[]; /* arch/x86_64/entry.asm */

static struct trampoline_data *trampoline_data;
static struct {
	uint64_t cr0, cr3, cr4;
} bsp_state; /* what every AP copies */

static void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * tsc_khz / 1000;

	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}

void (*smp_tick_hook)(struct trap_frame *frame);

static bool idle_halted[MAX_CPUS]; /* `noarat` only: in cpu_idle_halt's HLT */

/*
 * The tick's timer without ARAT (Intel SDM vol. 3, 11.5.4 "APIC Timer":
 * CPUID 6 EAX[2] says the timer keeps counting in deep C-states; without
 * it, it may stop there, and on some AMD parts in C1E, which HLT can
 * enter: Linux's AMD E400 handling). So on such a CPU nothing may count
 * on a halted CPU's own tick to end a wait: task/sched.c
 * sched_idle_halt keeps the boot CPU polling while a kernel thread sleeps,
 * and any CPU's tick wakes expired sleepers on every CPU
 * (task/kthread.c). `noarat` makes TCG behave so: ticks that arrive while
 * a CPU halts in idle are lost (their work is not done), as if the timer
 * had stopped; the first other interrupt wakes the CPU and its ticks
 * count again.
 */
void cpu_idle_halt(void)
{
	int cpu = this_cpu_id();

	if (!cpu_features.noarat) {
		safe_halt();
		return;
	}
	WRITE_ONCE(idle_halted[cpu], true);
	safe_halt();
	WRITE_ONCE(idle_halted[cpu], false);
}

/*
 * The periodic tick. Kept tiny: a TLB epoch flush when this CPU is behind,
 * then the scheduler's hook, after the EOI because it may switch tasks.
 */
static void lapic_timer_interrupt(struct trap_frame *frame)
{
	if (READ_ONCE(idle_halted[this_cpu_id()])) { /* `noarat`: a tick a stopped timer lost */
		lapic_eoi();
		return;
	}
	trace_hardirq_enter(); /* only to the EOI: the hook below may switch tasks */
	trace_local_timer_entry(LAPIC_TIMER_VECTOR);
	this_cpu_ptr()->timer_ticks++;
	smp_poll_tick(); /* the engine's share: smp/poll.h */
	trace_local_timer_exit(LAPIC_TIMER_VECTOR);
	trace_hardirq_exit();
	lapic_eoi();
	if (smp_tick_hook)
		smp_tick_hook(frame);
}

void (*smp_resched_hook)(struct trap_frame *frame);

/*
 * The reschedule IPI carries no data: the run queue (task/sched.c) says
 * what to do. The hook runs after the EOI, as the tick's does, because it
 * may switch tasks and a vector left in service would block the others.
 */
static void reschedule_interrupt(struct trap_frame *frame)
{
	WRITE_ONCE(idle_halted[this_cpu_id()], false); /* awake: ticks count (`noarat`) */
	this_cpu_ptr()->resched_ipis_received++;
	lapic_eoi();
	if (smp_resched_hook)
		smp_resched_hook(frame);
}

void smp_send_reschedule(int cpu)
{
	uint64_t flags = local_irq_save(); /* ipis_sent: also bumped from interrupts */

	lapic_send_ipi(per_cpu(cpu)->apic_id, RESCHEDULE_VECTOR);
	this_cpu_ptr()->ipis_sent++;
	local_irq_restore(flags);
}

/* ---- per-AP memory: struct percpu + GDT/TSS/IST in one block, the stack in another ---- */

struct ap_tables {
	struct percpu pc;
	struct cpu_tables tables;
};

static unsigned int order_for(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/*
 * A zeroed struct ap_tables and a stack for one AP, from the buddy allocator
 * (live since the memory step); NULL if memory ran out. Never freed: CPUs
 * do not go offline.
 */
static struct percpu *ap_memory_alloc(void)
{
	struct page *tp, *sp;
	struct ap_tables *t;

	tp = alloc_pages(GFP_KERNEL | __GFP_ZERO, order_for(sizeof(struct ap_tables)));
	if (!tp)
		return NULL;
	sp = alloc_pages(GFP_KERNEL, order_for(AP_STACK_SIZE));
	if (!sp) {
		__free_pages(tp, order_for(sizeof(struct ap_tables)));
		return NULL;
	}
	t = page_address(tp);
	t->pc.tables = &t->tables;
	t->pc.stack_top = (uintptr_t)page_address(sp) + AP_STACK_SIZE;
	return &t->pc;
}

/* ---- the AP's side ---- */

/*
 * First C code on an AP, on its own stack, still on the trampoline's page
 * tables; leaving them comes first (the argument is in trampoline.c).
 */
static __noreturn void ap_entry(void *arg)
{
	struct percpu *pc = arg;

	write_cr3(bsp_state.cr3);
	gdt_init_cpu(pc->tables); /* reloading %gs zeroes the GS base: percpu after */
	percpu_install(pc);
	idt_load();		  /* exceptions print and end the run, as on the BSP */
	write_cr0(bsp_state.cr0); /* WP, caches on */
	/*
	 * PGE and the rest; flushes the whole TLB. PCIDE too, if the BSP set
	 * it: legal here because we are in long mode and bsp_state.cr3, the
	 * kernel's root read before any task ran, has PCID 0 in bits 11:0
	 * (SDM vol. 3, 4.10.1), which the write above, with PCIDE still 0,
	 * took as plain flag bits (PWT/PCD clear).
	 */
	write_cr4(bsp_state.cr4); /* the value cpu_features_enable built, not the firmware's */
	fpu_init_cpu();		  /* XCR0 is per CPU: the boot CPU's components */
	mcheck_cpu_init();	  /* this CPU's error banks (CR4.MCE came with the BSP's CR4) */
	lapic_enable();
	lapic_timer_start(SMP_TICK_HZ);
	atomic_inc(&nr_cpus_online);
	cpumask_set_cpu(pc->cpu_id, &cpu_online_mask); /* LOCK OR: pc's fields visible first */
	/*
	 * IPIs and ticks wake it; spinning would rob the BSP under TCG. Without
	 * ARAT its tick may stop while it halts (tlbflush.c): IPIs still wake
	 * it, and tlb_epoch_wait nudges it with one when an epoch is pending.
	 */
	for (;;)
		cpu_idle_halt();
}

/* ---- the BSP's side ---- */

/*
 * Spins with interrupts off and serves nothing: during bring-up the CPUs
 * already online halt in ap_entry and send no requests, so none can wait
 * for the boot CPU. Bounded by @timeout_ms.
 */
static bool cpu_came_online(int cpu, uint64_t timeout_ms)
{
	uint64_t end = rdtsc() + timeout_ms * tsc_khz;

	while (!cpumask_test_cpu(cpu, &cpu_online_mask)) {
		if ((int64_t)(rdtsc() - end) >= 0)
			return false;
		cpu_relax(); /* under TCG, PAUSE lets the starting vCPU run */
	}
	return true;
}

/*
 * Start the AP with @apic_id as CPU @cpu on @pc. On timeout it is sent INIT
 * again, which parks it in wait-for-SIPI whatever it was doing, so it cannot
 * wake later on a stack and number handed to the next AP.
 */
static int ap_start(int cpu, uint32_t apic_id, struct percpu *pc)
{
	pc->cpu_id = cpu;
	pc->apic_id = apic_id;
	trampoline_data->stack = pc->stack_top;
	trampoline_data->arg = (uint64_t)pc;
	/* The stores above reach memory before the ICR write that starts the AP (TSO). */
	lapic_send_init(apic_id);
	udelay(10000);
	lapic_send_startup(apic_id, smp_trampoline_phys);
	udelay(200);
	lapic_send_startup(apic_id, smp_trampoline_phys); /* ignored if the first one took */
	udelay(200);
	if (cpu_came_online(cpu, AP_START_TIMEOUT_MS))
		return 0;
	lapic_send_init(apic_id);
	udelay(10000);
	if (cpumask_test_cpu(cpu, &cpu_online_mask)) { /* made it just before the INIT */
		cpumask_clear_cpu(cpu, &cpu_online_mask);
		atomic_dec(&nr_cpus_online);
	}
	return -ETIMEDOUT;
}

/* Start every enabled AP in MADT order; returns how many did not start. */
static int start_aps(uint32_t bsp_apic_id)
{
	struct percpu *pc = NULL;
	int failed = 0;

	for (int i = 0; i < acpi_madt.nr_lapics; i++) {
		const struct acpi_lapic *l = &acpi_madt.lapics[i];

		if (!(l->flags & ACPI_MADT_ENABLED) || l->apic_id == bsp_apic_id)
			continue;
		if (nr_cpus_online == MAX_CPUS || (!pc && !(pc = ap_memory_alloc()))) {
			printk("smp: CPU with APIC id %u not started: %s\n", l->apic_id,
			       nr_cpus_online == MAX_CPUS ? "MAX_CPUS reached" : "no memory");
			failed++;
			continue;
		}
		if (ap_start(nr_cpus_online, l->apic_id, pc) == 0) {
			pc = NULL; /* in use; a failed CPU's memory goes to the next one */
		} else {
			printk("smp: CPU with APIC id %u did not come online within %d ms; "
			       "going on without it\n",
			       l->apic_id, AP_START_TIMEOUT_MS);
			failed++;
		}
	}
	return failed;
}

/* The BSP's percpu, LAPIC, tick and IPI handlers: everything but the APs. */
static void bsp_init(void)
{
	lapic_init(acpi_madt.lapic_phys);
	lapic_enable(); /* sets EXTD: before it, the x2APIC ID MSR raises #GP */
	boot_percpu.cpu_id = 0;
	boot_percpu.apic_id = lapic_id();
	boot_percpu.stack_top = (uintptr_t)boot_stack_top;
	boot_percpu.tables = NULL; /* init/main.c's boot_cpu_tables */
	percpu_install(&boot_percpu);
	cpumask_set_cpu(0, &cpu_online_mask);
	irq_register(LAPIC_TIMER_VECTOR, lapic_timer_interrupt);
	irq_register(RESCHEDULE_VECTOR, reschedule_interrupt);
	cross_call_init();
	lapic_timer_calibrate();
	lapic_timer_start(SMP_TICK_HZ);
	bsp_state.cr0 = read_cr0();
	bsp_state.cr3 = read_cr3();
	bsp_state.cr4 = read_cr4();
}

void smp_init(void)
{
	uint64_t t0 = rdtsc();
	int cpus_expected = MAX(acpi_madt.nr_enabled, 1); /* kmain ran acpi_init */
	int failed = 0;

	smp_set_cpus_expected(cpus_expected);
	bsp_init();
	if (cpus_expected > 1) {
		trampoline_data = trampoline_setup(ap_entry);
		if (trampoline_data)
			failed = start_aps(boot_percpu.apic_id);
		else
			failed = cpus_expected - 1;
	}
	local_irq_enable(); /* the IDT and this CPU's LAPIC are ready */
	printk("smp: %d of %d CPUs online in %lu ms (trampoline at %#lx, tick %d Hz)%s\n",
	       nr_cpus_online, cpus_expected, cycles_to_ns(rdtsc() - t0) / 1000000,
	       smp_trampoline_phys, SMP_TICK_HZ, failed ? "; see the lines above" : "");
}
