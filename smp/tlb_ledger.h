/*
 * The shootdown ledger: what every TLB flush cost, counted per CPU (each
 * CPU writes only its own line, always with interrupts off) and summed on
 * demand for /proc/vmstat, the per-CPU table and `time`'s delta line.
 * It sits beside the flush engine, which counts into it; it calls nothing
 * of the engine's. The causes a flush call names (smp/tlbflush.h) are
 * defined here, with their names, because the ledger counts by them.
 */
#ifndef SMP_TLB_LEDGER_H
#define SMP_TLB_LEDGER_H

#include <stdint.h>

#include "smp/percpu.h"

/* Why a flush was made: every flush call names one (smp/tlbflush.h). */
enum flush_cause {
	FLUSH_VMEMMAP_SPLIT,
	FLUSH_VMEMMAP_REMAP,
	FLUSH_VMEMMAP_RESTORE,
	FLUSH_TEST,
	FLUSH_OTHER,
	FLUSH_USER,		 /* user mm: leaves changed, no page table freed */
	FLUSH_USER_FREED_TABLES, /* user mm: page-table pages freed (must reach every CPU in the
				    mask) */
	FLUSH_THP_SPLIT,	 /* user mm: a 2 MiB leaf made not present before its 512 PTEs
				    (mm/huge_memory.c) */
	FLUSH_THP_COLLAPSE,   /* user mm: a page table unlinked before a 2 MiB leaf replaces it */
	FLUSH_DEVMEM_OFFLINE, /* device memory's vmemmap torn down (mm/devdax*.c) */
	FLUSH_HGM_SPLIT,      /* user mm: hugetlb leaves cleared before smaller ones replace them */
	FLUSH_HGM_COLLAPSE,   /* user mm: hugetlb page tables unlinked before one leaf replaces them
			       */
	FLUSH_ZERO_PAGE_BREAK, /* user mm: a write replaced the shared zero page (wp_page_copy) */
	FLUSH_SHMEM_UNMAP,     /* user mm: a file page unmapped by truncate or punch-hole
				  (fs/shmem_mmap.c) */
	/* Process causes (fork, copy-on-write, mremap). */
	FLUSH_FORK_WRPROTECT, /* fork: the parent's private writable leaves made read-only */
	FLUSH_COW,	      /* a write fault copied a shared page: the old leaf cleared first */
	FLUSH_MREMAP_MOVE,    /* mremap moved leaves away from the old range */
	NR_FLUSH_CAUSES
};

const char *flush_cause_name(enum flush_cause cause);

/*
 * The flush ledger summed over every CPU, for benchmarks and `time`
 * (tlb_ledger_totals); one CPU's line is the same struct. Names follow
 * /proc/vmstat's.
 */
struct tlb_ledger_totals {
	uint64_t remote_flush;		/* shootdown requests initiated */
	uint64_t remote_flush_received; /* requests handled by other CPUs */
	uint64_t local_flush_all;	/* full flushes, every CPU */
	uint64_t local_flush_one;	/* INVLPGs, every CPU */
	uint64_t ipis;			/* ICR writes for shootdowns */
	uint64_t wait_cycles;		/* initiators waiting for acknowledgements */
	uint64_t epoch_flushes;		/* full flushes made for TLB epochs */
	uint64_t over_ceiling;	  /* range or list requests sent as full flushes (the ceiling) */
	uint64_t epoch_nudges;	  /* IPIs sent to CPUs whose tick did not come (tlb_epoch_wait) */
	uint64_t lazy_skipped;	  /* lazy CPUs a user flush did not interrupt */
	uint64_t lazy_catchup;	  /* full flushes when a lazy CPU resumed a changed mm */
	uint64_t lazy_leave_ipis; /* lazy CPUs sent back to the kernel root before an mm died */
	uint64_t switch_cr3;	  /* CR3 writes by switch_mm_irqs_off and leave_mm */
	uint64_t switch_flush; /* those that dropped the TLB's non-global entries (no PCID: all) */
	uint64_t
	    early_ack_full;    /* early-ack targets that flushed all: list longer than they copy */
	uint64_t lazy_reached; /* user flushes served by a CPU holding that mm lazily */
	uint64_t late_ack;     /* remote requests that freed tables or broke before make */
	uint64_t by_cause[NR_FLUSH_CAUSES]; /* flush calls by cause */
};

void tlb_ledger_totals(struct tlb_ledger_totals *out);
/* @now -= @before, field by field. */
void tlb_ledger_delta(struct tlb_ledger_totals *now, const struct tlb_ledger_totals *before);

/*
 * One CPU's line: the counters struct tlb_ledger_totals sums
 * (remote_flush = requests this CPU initiated, remote_flush_received =
 * requests it handled for others, ...).
 */
struct tlb_ledger {
	struct tlb_ledger_totals c;
} __attribute__((aligned(64)));

extern struct tlb_ledger tlb_ledger[MAX_CPUS];

/* This CPU's counters. Interrupts must be off while they are updated. */
struct tlb_ledger_totals *tlb_ledger_this(void);

struct seq_buf;
/* The ledger's /proc/vmstat lines (called from mm/mm_procfs.c vmstat_show). */
void tlb_ledger_vmstat(struct seq_buf *s);

/* /sys/kernel/debug/flushlab/tlb_ledger: one row per CPU and a total. */
int tlb_ledger_table_show(struct seq_buf *s, void *data);

/* Hook the ledger line `time` prints into the shell (boot, once). */
void tlb_ledger_time_init(void);

/* Counted local flushes: this CPU only, interrupts off inside. */
void tlb_ledger_flush_one(uintptr_t va);
void tlb_ledger_flush_all(void);

#endif
