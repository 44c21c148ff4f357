/*
 * The flush API: what mm/ calls after changing page tables, kernel ones and
 * user ones. It lives here beside its engine because the engine implements
 * it. Every call names its cause, so the ledger can say what each flush was
 * for. Whether a call becomes INVLPGs or a full flush, and how other CPUs
 * are told, is the engine's business, not the caller's.
 *
 * The engine, who calls whom (files in smp/ unless a folder is named; an
 * arrow is a call):
 *
 *   mm/, task/, bench/: change PTEs, then call this API
 *      |
 *      v
 *   tlbflush.c   kernel ranges, page lists, all; TLB epochs      at the side:
 *   tlb_mm.c     user mms: mm_cpumask targets, lazy TLB,          tlb_ledger.[ch]
 *                switch_mm_irqs_off, PCIDs (asid.c decides)         counts every flush
 *      |                                                            per CPU and cause,
 *      v                                                            names the causes
 *   shootdown.c  the initiator: one lock, the protocols             (/proc/vmstat)
 *      |         (table in shootdown.h), IPIs via lapic.c         kernel/trace.h
 *      v   TLB_SHOOTDOWN_VECTOR, or a poll                          trace events,
 *   shootdown_target.c  a target serves a request and flushes;      rings in trace/
 *      |         asks tlb_mm.c what a user request means here     tlb_procfs.c
 *      |         (tlb_mm_plan: the loaded mm, PCIDs)                knobs and views
 *      v
 *   arch/x86_64/tlb.c  INVLPG, INVPCID, CR3 and CR4 flushes of this CPU
 *
 *   poll.[ch]    the seam: the tick (smp.c), irqs-off waits (cross_call.c,
 *                the shootdown lock, tlb_epoch_wait) and lock spinners
 *                call up into the engine here and nowhere else
 *   cross_call.c runs a function on other CPUs: epoch nudges, sending
 *                lazy CPUs away before an mm dies
 *   asid.c, pcid_rules.c  PCID decisions in plain C (host-tested)
 *   percpu.[ch]  every CPU's struct and the online mask; this CPU's own
 *                through the GS base: arch/x86_64/percpu.[ch]
 *   tlbdemo.c    the teaching demo, on top: it calls this API and sets the
 *                engine's local-only flag; the engine never calls it
 *
 * One circle remains, by design: a CPU that waits with interrupts off must
 * do what the others' IPIs ask of it, or two CPUs wait for each other for
 * ever; so cross_call.c, shootdown.c and tlbflush.c call poll.c, which
 * calls the target handler and the epoch code back; and the target asks
 * tlb_mm.c, which initiates through shootdown.c (as Linux's flush_tlb_func
 * reads cpu_tlbstate).
 */
#ifndef SMP_TLBFLUSH_H
#define SMP_TLBFLUSH_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/poll.h"	    /* tlb_wait_poll, for lock spinners */
#include "smp/tlb_ledger.h" /* enum flush_cause, the ledger's totals */

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
 * A deliberate fault, for teaching only (tlbdemo.c's tlbdemo_local_only
 * knob sets it; nothing else may): while @ctx_id is an mm's ctx_id, every
 * flush_tlb_mm_range* of that mm that frees no page tables reaches this
 * CPU only, the forgotten shootdown. A table-freeing flush still reaches
 * every CPU (paging-structure caches must never hold a freed table). 0,
 * the default, disarms. The flush path reads the flag; it calls no demo code.
 */
void tlb_mm_set_local_only(uint64_t ctx_id);
uint64_t tlb_mm_local_only(void);

/* Pages above which a range flush becomes a full flush (Linux's default 33). */
extern unsigned long tlb_single_page_flush_ceiling;

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
