/*
 * The TSC as flushlab's clock: its rate found once at boot (CPUID, the
 * hypervisor, the ACPI PM timer or the PIT: tsc.c), then every time in the
 * kernel is TSC cycles converted with tsc_khz. Under TCG the TSC is host
 * time (docs/tcg.md), which is what "emulator time" means in results.
 */
#ifndef ARCH_X86_64_TSC_H
#define ARCH_X86_64_TSC_H

#include <stdint.h>

extern uint64_t tsc_khz;
extern uint64_t kernel_entry_tsc; /* written by entry.asm */

extern const char *tsc_source; /* "cpuid-15h", "cpuid-16h", "cpuid-40000010h", "pm-timer", "pit" */

/* Boot CPU, once, after acpi_init (the PM timer's port comes from the FADT). */
void tsc_calibrate(void);
uint64_t cycles_to_ns(uint64_t cycles);

#endif
