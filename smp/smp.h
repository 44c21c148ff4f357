/*
 * SMP bring-up: every processor the MADT lists as enabled is started with
 * INIT-SIPI-SIPI, gets its own stack, GDT/TSS/IST and struct percpu, loads
 * the shared IDT, enables its LAPIC and a periodic timer tick, and idles in
 * `sti; hlt` waiting for IPIs. A CPU that does not answer is reported.
 */
#ifndef SMP_SMP_H
#define SMP_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/cpumask.h"
#include "smp/percpu.h"

#define SMP_TICK_HZ 100 /* LAPIC timer ticks per second on every CPU */

extern int nr_cpus_online;

/*
 * An idle CPU's halt (`sti; hlt`), with interrupts off on entry. Under
 * `noarat` the ticks that arrive while it halts are lost, as a LAPIC timer
 * without ARAT may stop in a deep C-state (argued in smp.c).
 */
void cpu_idle_halt(void);

struct trap_frame;
/* Called on every tick after the EOI, interrupts off (the scheduler's, task/sched.c). */
extern void (*smp_tick_hook)(struct trap_frame *frame);
/* Called on every reschedule IPI after the EOI, interrupts off (task/sched.c). */
extern void (*smp_resched_hook)(struct trap_frame *frame);

/*
 * Linux's smp_send_reschedule: one RESCHEDULE_VECTOR IPI to @cpu (not this
 * one), so that it looks at its run queue now rather than at its next
 * tick. Counted in this CPU's ipis_sent, the target's resched_ipis_received.
 */
void smp_send_reschedule(int cpu);

/*
 * Boot CPU, once, after the memory step and acpi_init: set up the boot
 * CPU's percpu, LAPIC and tick, start every other enabled CPU, and enable
 * interrupts. With no usable MADT the kernel goes on with one CPU.
 */
void smp_init(void);

/* Enabled CPUs in the MADT (the boot CPU included); 1 without a MADT. */
int smp_cpus_expected(void);

/* Every enabled CPU came online (then "all but self" reaches only online CPUs). */
bool smp_all_enabled_online(void);

/*
 * Liveness rule: a CPU that spins with interrupts off calls this on every
 * iteration (cross_call.c): it runs cross-calls and serves a shootdown
 * aimed at this CPU, and catches up with the TLB epoch, the work its
 * held-off IPIs and tick would have done. Callers: the cross-call wait,
 * the shootdown lock spin, tlb_epoch_wait. Exceptions, each argued where
 * it spins: the shootdown initiator's ack wait (shootdown.c), printk's
 * console lock (kernel/printk.c), the boot CPU waiting for an AP to start
 * (smp.c: no other CPU sends requests yet), and hardware-bounded waits
 * (the xAPIC ICR's delivery status, the UART's transmit register).
 */
void smp_serve_pending(void);

/*
 * An idle CPU's halt (`sti; hlt`), with interrupts off on entry. Under
 * `noarat` the ticks that arrive while it halts are lost, as a LAPIC timer
 * without ARAT may stop in a deep C-state (argued in smp.c).
 */
void cpu_idle_halt(void);

struct trap_frame;
/*
 * First thing in the NMI path: if another CPU is crashing, this NMI is its
 * stop request; this CPU records where it was, acknowledges and halts for
 * good (smp/crash_stop.c). Returns otherwise.
 */
void smp_stop_nmi(const struct trap_frame *frame);

#endif
