/*
 * Shared by the flush API's two halves in smp/: tlbflush.c (kernel
 * mappings, epochs) and tlb_mm.c (user address spaces).
 */
#ifndef SMP_TLBFLUSH_PRIV_H
#define SMP_TLBFLUSH_PRIV_H

#include <stdbool.h>

#include "smp/tlbflush.h"

/* Count one flush call under @cause in this CPU's ledger line. */
void tlb_count_call(enum flush_cause cause);
/* More pages than tlb_single_page_flush_ceiling: flush everything instead (and count it). */
bool tlb_over_ceiling(unsigned long pages);

#endif
