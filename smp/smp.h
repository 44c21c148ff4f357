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
#include "smp/poll.h" /* SMP_TICK_HZ */

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

#endif
