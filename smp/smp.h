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

struct trap_frame;
/* Called on every tick after the EOI, interrupts off (the scheduler's, task/sched.c). */
extern void (*smp_tick_hook)(struct trap_frame *frame);

/*
 * Boot CPU, once, after the memory step: parse the MADT, set up the boot
 * CPU's percpu, LAPIC and tick, start every other enabled CPU, and enable
 * interrupts. With no usable MADT the kernel goes on with one CPU.
 */
void smp_init(void);

/* Enabled CPUs in the MADT (the boot CPU included); 1 without a MADT. */
int smp_cpus_expected(void);

/* Every enabled CPU came online (then "all but self" reaches only online CPUs). */
bool smp_all_enabled_online(void);

#endif
