/*
 * Shared by the flush API's two halves in smp/: tlbflush.c (kernel
 * mappings, epochs) and tlb_mm.c (user address spaces).
 */
#ifndef SMP_TLBFLUSH_PRIV_H
#define SMP_TLBFLUSH_PRIV_H

#include <stdbool.h>

#include "smp/asid.h"
#include "smp/tlbflush.h"

struct flush_req;

/* PCIDs in use (tlb_pcid_init found them and no `nopcid`). */
extern bool tlb_pcid_on;
extern const char *tlb_pcid_mode; /* "on", "absent", "off (why)" */
/*
 * Shootdown target, interrupts off: what user request @req means on this
 * CPU. True if something must be flushed: the mm in CR3 (FLUSH_LOADED;
 * always so without PCID, when CR3's root is req->cr3) or, with INVPCID,
 * another PCID that holds it (FLUSH_OTHER); afterwards tlb_mm_flush_done.
 */
bool tlb_mm_plan(const struct flush_req *req, struct asid_plan *plan);
void tlb_mm_flush_done(const struct flush_req *req, const struct asid_plan *plan);
/* After a kernel range flush (INVLPG) on this CPU: the other PCIDs (smp/asid.h). */
void tlb_pcid_kernel_range_flushed(void);
/* One CPU's slots and counters, for the debugfs file. */
const struct asid_cpu *tlb_pcid_state(int cpu);

/*
 * TLB epochs (tlbflush.c), interrupts off: flush if this CPU is behind the
 * epoch. Called by the polling seam (smp/poll.c: the tick, irqs-off wait
 * loops) and the epoch nudge; nothing else.
 */
void tlb_epoch_tick(void);

/* Count one flush call under @cause in this CPU's ledger line. */
void tlb_count_call(enum flush_cause cause);
/* More pages than tlb_single_page_flush_ceiling: flush everything instead (and count it). */
bool tlb_over_ceiling(unsigned long pages);

#endif
