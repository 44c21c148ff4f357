/*
 * The flush API mm/ calls after changing kernel page tables. Every call
 * names its cause, so the ledger can say what each flush was for. Whether a
 * call becomes INVLPGs or a full flush, and how other CPUs are told, is the
 * shootdown engine's business (smp/), not the caller's.
 */
#ifndef MM_TLBFLUSH_H
#define MM_TLBFLUSH_H

#include <stdbool.h>
#include <stdint.h>

enum flush_cause {
	FLUSH_VMEMMAP_SPLIT,
	FLUSH_VMEMMAP_REMAP,
	FLUSH_VMEMMAP_RESTORE,
	FLUSH_TEST,
	FLUSH_OTHER,
	FLUSH_DEVMEM_OFFLINE, /* device memory's vmemmap torn down (mm/devdax*.c) */
	NR_FLUSH_CAUSES
};

const char *flush_cause_name(enum flush_cause cause);

/* Every CPU drops translations of [start, end) (kernel addresses, global ones too). */
void flush_tlb_kernel_range(uintptr_t start, uintptr_t end, enum flush_cause cause);
/* Every CPU drops every translation, global ones included. */
void flush_tlb_all(enum flush_cause cause);
/*
 * The batched form: every CPU drops the translations of the @nr 4 KiB pages
 * at @vas (one request carrying the list: INVLPG each, or a full flush
 * when @nr exceeds tlb_single_page_flush_ceiling).
 */
void flush_tlb_kernel_pages(const uintptr_t *vas, unsigned long nr, enum flush_cause cause);

/* Pages above which a range flush becomes a full flush (Linux's default 33). */
extern unsigned long tlb_single_page_flush_ceiling;

/*
 * The flush ledger summed over every CPU, for benchmarks and `time`
 * (the per-CPU counters live in smp/). Names follow /proc/vmstat's.
 */
struct tlb_ledger_totals {
	uint64_t remote_flush; /* shootdown requests initiated */
	uint64_t remote_flush_received; /* requests handled by other CPUs */
	uint64_t local_flush_all; /* full flushes, every CPU */
	uint64_t local_flush_one; /* INVLPGs, every CPU */
	uint64_t ipis; /* ICR writes for shootdowns */
	uint64_t wait_cycles; /* initiators waiting for acknowledgements */
	uint64_t epoch_flushes; /* full flushes made for TLB epochs */
	uint64_t over_ceiling; /* range or list requests sent as full flushes (the ceiling) */
	uint64_t by_cause[NR_FLUSH_CAUSES]; /* flush calls by cause */
};

void tlb_ledger_totals(struct tlb_ledger_totals *out);
/* @now -= @before, field by field. */
void tlb_ledger_delta(struct tlb_ledger_totals *now, const struct tlb_ledger_totals *before);

/*
 * TLB epochs: a flush without IPIs. tlb_epoch_advance() asks every CPU for
 * a full local flush (global entries too) and returns the epoch to wait
 * for; each CPU does it at its next timer tick (or at once if it is the
 * caller). tlb_epoch_passed() says whether all online CPUs have flushed
 * since; tlb_epoch_wait() waits for that, sending nothing.
 */
uint64_t tlb_epoch_advance(void);
bool tlb_epoch_passed(uint64_t epoch);
void tlb_epoch_wait(uint64_t epoch);

#endif
