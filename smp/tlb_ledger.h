/*
 * The shootdown ledger: what every TLB flush cost, counted per CPU (each
 * CPU writes only its own line, always with interrupts off) and summed on
 * demand for /proc/vmstat, the per-CPU table and `time`'s delta line.
 */
#ifndef SMP_TLB_LEDGER_H
#define SMP_TLB_LEDGER_H

#include <stdint.h>

#include "kernel/pseudofs.h"
#include "smp/tlbflush.h"
#include "smp/percpu.h"

/*
 * One CPU's line: the same counters smp/tlbflush.h sums in struct
 * tlb_ledger_totals (remote_flush = requests this CPU initiated,
 * remote_flush_received = requests it handled for others, ...).
 */
struct tlb_ledger {
	struct tlb_ledger_totals c;
} __attribute__((aligned(64)));

extern struct tlb_ledger tlb_ledger[MAX_CPUS];

/* This CPU's counters. Interrupts must be off while they are updated. */
struct tlb_ledger_totals *tlb_ledger_this(void);

/* (tlb_ledger_totals and tlb_ledger_delta are declared in smp/tlbflush.h.) */

/* The ledger's /proc/vmstat lines (called from mm/mm_procfs.c vmstat_show). */
void tlb_ledger_vmstat(struct seq_buf *s);

/* /sys/kernel/debug/flushlab/tlb_ledger: one row per CPU and a total. */
int tlb_ledger_table_show(struct seq_buf *s, void *data);

/* Hook the ledger line `time` prints into the shell (smp/tlb_procfs.c). */
void tlb_ledger_time_init(void);

/* Counted local flushes: this CPU only, interrupts off inside. */
void tlb_ledger_flush_one(uintptr_t va);
void tlb_ledger_flush_all(void);

#endif
