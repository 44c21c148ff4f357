/*
 * The TSC as flushlab's clock: calibrated once against the PIT, then every
 * time in the kernel is TSC cycles converted with tsc_khz. Under TCG the TSC
 * is host time (docs/tcg.md), which is what "emulator time" means in results.
 */
#ifndef ARCH_X86_64_TSC_H
#define ARCH_X86_64_TSC_H

#include <stdint.h>

extern uint64_t tsc_khz;
extern uint64_t kernel_entry_tsc; /* written by entry.asm */

/* Measure the TSC against the PIT; returns the source used ("PIT", ...). */
const char *tsc_calibrate(void);
uint64_t cycles_to_ns(uint64_t cycles);

#endif
