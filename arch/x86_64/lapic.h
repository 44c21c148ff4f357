/*
 * The local APIC: each CPU's interrupt controller, its IPI sender and its
 * timer. xAPIC through MMIO (via the direct map), or x2APIC through MSRs
 * when CPUID offers it (QEMU >= 8.1 TCG, not 7.2: docs/tcg.md); the mode is
 * chosen once at boot and every CPU uses the same one.
 */
#ifndef ARCH_X86_64_LAPIC_H
#define ARCH_X86_64_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * flushlab's interrupt vectors. The LAPIC ranks vectors by class (vector/16);
 * all of ours sit in the top classes, the spurious vector at 0xff as the SDM
 * recommends (its low 4 bits must be 1s on older parts).
 */
#define LAPIC_TIMER_VECTOR 0xec
#define TLB_SHOOTDOWN_VECTOR 0xfb /* smp/shootdown.c: its own, so each protocol is exact */
#define CALL_FUNCTION_VECTOR 0xfc
#define RESCHEDULE_VECTOR 0xfd /* smp/smp.c: Linux's reschedule IPI, to an idle CPU */
#define LAPIC_SPURIOUS_VECTOR 0xff

extern bool lapic_x2apic_mode;

/*
 * Boot CPU, once: pick xAPIC or x2APIC (CPUID.1:ECX[21]) and remember the
 * MMIO base @phys (from the MADT) for xAPIC. Must precede every other call.
 */
void lapic_init(uint64_t phys);

/* This CPU: enable its LAPIC (same mode as the boot CPU), spurious 0xff, TPR 0. */
void lapic_enable(void);

uint32_t lapic_id(void);	 /* this CPU's APIC id */
uintptr_t lapic_mmio_base(void); /* the xAPIC registers' virtual address; 0 in x2APIC mode */
void lapic_eoi(void);		 /* end of interrupt: call from every LAPIC interrupt handler */
/* This CPU's LAPIC has @vector in service (its ISR bit): it is owed an EOI. */
bool lapic_vector_in_service(uint8_t vector);

/* Fixed-delivery IPIs: to one CPU, to every CPU but this one (shorthand). */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_ipi_allbutself(uint8_t vector);
/* An NMI (delivery mode NMI: vector 2 whatever the IDT, not blocked by IF). */
void lapic_send_nmi(uint32_t apic_id);

/*
 * The x2APIC ICR write every x2APIC-mode IPI goes through: MFENCE; LFENCE,
 * then WRMSR (lapic.c argues why). Tests set lapic_icr_probe (NULL
 * otherwise) to see each ICR value written through it, on any CPU.
 */
void x2apic_icr_write(uint64_t icr);
extern void (*lapic_icr_probe)(uint64_t icr);

/* AP start-up (Intel SDM vol. 3 10.4.4, MP spec B.4): INIT, then STARTUP at @page. */
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint32_t trampoline_phys);

/*
 * The timer. lapic_timer_calibrate (boot CPU, once, interrupts off) measures
 * the timer's input clock against the TSC; lapic_timer_start then runs this
 * CPU's timer periodically at @hz, raising LAPIC_TIMER_VECTOR.
 */
void lapic_timer_calibrate(void);
void lapic_timer_start(unsigned int hz);
/* Stop this CPU's tick (tests: what a timer lost in a deep C-state looks like). */
void lapic_timer_stop(void);

#endif
