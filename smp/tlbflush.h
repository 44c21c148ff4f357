/*
 * The flush API: what mm/ calls after changing page tables, kernel ones and
 * user ones. It lives here beside its engine (smp/tlbflush.c, tlb_mm.c,
 * shootdown*.c) because the engine implements it. Every call names its cause,
 * so the ledger can say what each flush was for. Whether a call becomes
 * INVLPGs or a full flush, and how other CPUs are told, is the engine's
 * business, not the caller's.
 */
#ifndef SMP_TLBFLUSH_H
#define SMP_TLBFLUSH_H

#include <stdbool.h>
#include <stdint.h>

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
	FLUSH_SHMEM_UNMAP,    /* user mm: a file page unmapped by truncate or punch-hole
				 (fs/shmem_mmap.c) */
	NR_FLUSH_CAUSES
};

const char *flush_cause_name(enum flush_cause cause);

/* Every CPU drops translations of [start, end) (kernel addresses, global ones too). */
void flush_tlb_kernel_range(uintptr_t start, uintptr_t end, enum flush_cause cause);
/*
 * The same, for a caller that unlinked kernel page-table pages in the
 * range and frees them on return: every CPU has flushed (not only read the
 * request) when this returns, whatever the shootdown protocol.
 */
void flush_tlb_kernel_range_freed_tables(uintptr_t start, uintptr_t end, enum flush_cause cause);
/* Every CPU drops every translation, global ones included. */
void flush_tlb_all(enum flush_cause cause);
/*
 * The batched form: every CPU drops the translations of the @nr 4 KiB pages
 * at @vas (one request carrying the list: INVLPG each, or a full flush
 * when @nr exceeds tlb_single_page_flush_ceiling).
 */
void flush_tlb_kernel_pages(const uintptr_t *vas, unsigned long nr, enum flush_cause cause);

struct mm_struct;

/*
 * Flush [start, end) of @mm (one INVLPG per 1 << @stride_shift bytes, or a
 * CR3 reload above the ceiling) on the CPUs that have @mm loaded: this one
 * if it does, and a shootdown to the others in mm_cpumask(@mm) only.
 * @freed_tables: the caller unlinked page-table pages and will free them
 * on return, so every target flushes before this returns (no early ack).
 * Call after the PTE changes, before freeing what they referenced.
 */
void flush_tlb_mm_range(struct mm_struct *mm, uintptr_t start, uintptr_t end,
			unsigned int stride_shift, bool freed_tables);
/* What the caller of flush_tlb_mm_range_cause does once it returns (@how). */
#define TLB_FREED_TABLES 0x1u /* frees page-table pages: lazy CPUs too, late ack */
#define TLB_BBM 0x2u /* links an entry of another page size (break-before-make): late ack */
/*
 * The same, counted in the ledger under @cause (the THP and HGM split and
 * collapse flushes), with @how saying what the caller does next: with
 * either flag every target has flushed when this returns.
 */
void flush_tlb_mm_range_cause(struct mm_struct *mm, uintptr_t start, uintptr_t end,
			      unsigned int stride_shift, unsigned int how, enum flush_cause cause);

/*
 * Context switch (Linux's switch_mm_irqs_off), interrupts off. @next is
 * the user mm to run, or NULL for a kernel thread or idle: then, with
 * lazy_tlb on, this CPU keeps the mm it has loaded (lazy TLB: no CR3
 * write, and flushes that free no page tables skip it) and catches up
 * when it next switches into that mm; a switch into another mm writes CR3.
 * @prev is the mm the previous task used (unused: the CPU's loaded mm
 * is what counts, as in Linux). mmput sends lazy CPUs away itself.
 */
void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next);
/*
 * Boot CPU, once, before the APs start (they copy its CR4): turn on PCIDs
 * where CPUID has them, the command line lacks `nopcid`, PGE is there and
 * INVLPG does not miss global entries (Linux's rules: smp/pcid_rules.c),
 * and print which (`tlb: PCID on, N ASIDs per CPU` or `tlb: PCID absent,
 * ...`, `tlb: PCID off ...` with the reason).
 */
void tlb_pcid_init(bool nopcid);
/* Load the kernel's root now, dropping any (lazy) user mm (Linux's leave_mm). */
void leave_mm(void);
/* The user mm this CPU has loaded, lazily or not (NULL: the kernel's root). */
struct mm_struct *this_cpu_loaded_mm(void);
/* Is this CPU holding its loaded mm lazily? */
bool this_cpu_tlb_lazy(void);
/* Before an mm is freed: every CPU still holding it (lazily) loads the kernel root. */
void mm_leave_lazy_cpus(struct mm_struct *mm);
/* Lazy TLB on (default) or off: /sys/kernel/debug/flushlab/lazy_tlb later. */
extern bool lazy_tlb;

/*
 * One turn of a wait loop for a lock another CPU may hold while it
 * flushes: with interrupts off, serve shootdowns aimed at this CPU.
 */
void tlb_wait_poll(void);

/* Pages above which a range flush becomes a full flush (Linux's default 33). */
extern unsigned long tlb_single_page_flush_ceiling;

/*
 * The flush ledger summed over every CPU, for benchmarks and `time`
 * (the per-CPU counters live in smp/). Names follow /proc/vmstat's.
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
