/*
 * Who must flush a user address space: mm_cpumask, kept exact around every
 * CR3 write by switch_mm_irqs_off; flush_tlb_mm_range, which aims the
 * shootdown at that mask only; and lazy TLB, Linux's idea that a CPU going
 * idle keeps the last user mm loaded (no CR3 write) and is not interrupted
 * for flushes it can catch up on later. With PCID (CPUID, no `nopcid` on
 * the command line), each CPU keeps TLB_NR_DYN_ASIDS address spaces'
 * entries across switches (smp/asid.c decides, this file writes CR3);
 * without it every CR3 write flushes all non-global entries.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tlb.h"
#include "kernel/trace.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/mm_types.h"
#include "mm/mmu.h"
#include "smp/asid.h"
#include "smp/cross_call.h"
#include "smp/shootdown.h"
#include "smp/tlb_ledger.h"
#include "smp/tlbflush.h"
#include "smp/tlbflush_priv.h"

bool lazy_tlb = true;
bool tlb_pcid_on;		      /* CR4.PCIDE on every CPU: set once, before the APs start */
const char *tlb_pcid_mode = "absent"; /* pcid_modes[], or "absent" */

/* Linux's cpu_tlbstate: written by its own CPU with interrupts off, except lazy_missed. */
struct cpu_tlbstate {
	struct mm_struct *loaded_mm; /* whose root is in CR3; NULL: the kernel's */
	uint32_t is_lazy;	     /* loaded_mm is kept for nobody: idle or a kernel thread */
	uint32_t lazy_missed;	     /* an initiator skipped us while lazy: flush on resume */
	struct asid_cpu asid;	     /* PCID slots (used only with tlb_pcid_on) */
} __attribute__((aligned(64)));

static struct cpu_tlbstate tlbstate[MAX_CPUS];

/*
 * The teaching fault (tlb_mm_set_local_only): the armed mm's ctx_id, 0 for
 * none. ctx_ids are never reused, so an mm that exits disarms it for good.
 */
static uint64_t local_only_ctx;

void tlb_mm_set_local_only(uint64_t ctx_id)
{
	WRITE_ONCE(local_only_ctx, ctx_id);
}

uint64_t tlb_mm_local_only(void)
{
	return READ_ONCE(local_only_ctx);
}

struct mm_struct *this_cpu_loaded_mm(void)
{
	return tlbstate[this_cpu_id()].loaded_mm;
}

bool this_cpu_tlb_lazy(void)
{
	return tlbstate[this_cpu_id()].is_lazy;
}

/*
 * Which CPUs of mm_cpumask(mm) get the request. Every CPU that can hold a
 * translation of @mm is in the mask: its bit is set (LOCK OR) before its
 * CR3 write and cleared only after it wrote another root.
 *
 * Why reading the mask after the PTE stores finds every CPU that could use
 * an old entry: our LOCK XADD on tlb_gen sits between the PTE stores and
 * the read of the mask, the switcher's LOCK OR between its bit and its CR3
 * write; locked instructions are totally ordered (SDM vol. 3, 9.2.3.8). If
 * the OR comes first we see the bit; else the PTE stores are visible to
 * the switcher before its CR3 load, and all its walks read new entries.
 *
 * Lazy CPUs, Dekker's way: we store lazy_missed = 1, MFENCE, then read
 * is_lazy; a resuming CPU stores is_lazy = 0, MFENCE, then reads
 * lazy_missed. With both fences at least one side sees the other's store:
 * we target it, or it sees lazy_missed and flushes everything before it
 * runs its mm again. A lazy CPU runs no user code and the kernel touches
 * no user address (uaccess runs only on behalf of a task, whose mm is not
 * lazy), so only its speculative walks could use stale entries, and those
 * matter only when tables are freed: hence @freed_tables targets lazy CPUs
 * too (the CVE-2025-22045/37964 rule: a freed page-table page must never
 * be reachable from any CPU's paging-structure caches, lazy or not).
 */
static int pick_targets(struct mm_struct *mm, bool freed_tables, struct cpumask *targets)
{
	int cpu, skipped = 0;

	*targets = *mm_cpumask(mm);
	if (freed_tables)
		return 0;
	for_each_cpu (cpu, mm_cpumask(mm)) {
		struct cpu_tlbstate *ts = &tlbstate[cpu];

		if (!READ_ONCE(ts->is_lazy))
			continue;
		WRITE_ONCE(ts->lazy_missed, 1);
		mfence();
		if (READ_ONCE(ts->is_lazy) && READ_ONCE(ts->loaded_mm) == mm) {
			cpumask_clear_cpu(cpu, targets);
			skipped++;
		}
	}
	return skipped;
}

/* Shootdown targeted at the CPUs holding @mm; the ledger's causes say which kind. */
void flush_tlb_mm_range(struct mm_struct *mm, uintptr_t start, uintptr_t end,
			unsigned int stride_shift, bool freed_tables)
{
	flush_tlb_mm_range_cause(mm, start, end, stride_shift, freed_tables ? TLB_FREED_TABLES : 0,
				 freed_tables ? FLUSH_USER_FREED_TABLES : FLUSH_USER);
}

/*
 * @how: TLB_FREED_TABLES reaches lazy CPUs (pick_targets) and, with
 * TLB_BBM, makes the engine ack late (shootdown_req_check): both callers
 * rely on every target having flushed when this returns.
 */
void flush_tlb_mm_range_cause(struct mm_struct *mm, uintptr_t start, uintptr_t end,
			      unsigned int stride_shift, unsigned int how, enum flush_cause cause)
{
	bool freed_tables = how & TLB_FREED_TABLES;
	struct flush_req req = {.cause = cause,
				.stride_shift = stride_shift,
				.frees_tables = freed_tables,
				.bbm = (how & TLB_BBM) != 0,
				.cr3 = mm->pgd,
				.ctx_id = mm->ctx_id};
	unsigned long pages, step = 1UL << stride_shift;
	struct cpumask targets;
	uint64_t flags;
	int skipped;

	if (end <= start)
		return;
	/* LOCK XADD: see pick_targets; and load_root for the PCID generation check. */
	req.new_tlb_gen = __atomic_add_fetch(&mm->tlb_gen, 1, __ATOMIC_SEQ_CST);
	pages = (ALIGN_UP(end, step) - ALIGN_DOWN(start, step)) / step;
	if (tlb_over_ceiling(pages)) {
		req.full = true;
	} else {
		req.start = start;
		req.end = end;
	}
	skipped = pick_targets(mm, freed_tables, &targets);
	/* The demo's fault, when armed for this mm (a ctx_id is never 0): us only. */
	if (!freed_tables && mm->ctx_id == tlb_mm_local_only()) {
		bool self = cpumask_test_cpu(this_cpu_id(), &targets);

		cpumask_clear(&targets);
		if (self)
			cpumask_set_cpu(this_cpu_id(), &targets);
	}
	flags = local_irq_save();
	tlb_count_call(cause);
	tlb_ledger_this()->lazy_skipped += skipped;
	if (cpumask_weight(&targets) > cpumask_test_cpu(this_cpu_id(), &targets))
		trace_tlb_flush(req.full ? TLB_FLUSH_ALL_PAGES : (long)pages, TLB_REMOTE_SEND_IPI);
	local_irq_restore(flags);
	shootdown_mask(&req, &targets);
}

/* Interrupts off. Resume @mm that this CPU kept lazily: catch up if a flush skipped us. */
static void leave_lazy(struct cpu_tlbstate *ts)
{
	WRITE_ONCE(ts->is_lazy, 0);
	mfence(); /* the Dekker pair of pick_targets */
	if (READ_ONCE(ts->lazy_missed)) {
		/* Read before the flush: every change up to it is then gone from the TLB. */
		uint64_t gen = __atomic_load_n(&ts->loaded_mm->tlb_gen, __ATOMIC_ACQUIRE);

		WRITE_ONCE(ts->lazy_missed, 0);
		/*
		 * CR3 reload, bit 63 clear: every non-global entry and the
		 * paging-structure caches (PCID on: those of the current PCID,
		 * this mm's, SDM vol. 3, 4.10.4.1).
		 */
		local_flush_tlb_nonglobal();
		if (tlb_pcid_on)
			asid_flush_done(&ts->asid, ts->asid.loaded, gen, true);
		trace_tlb_flush(TLB_FLUSH_ALL_PAGES, TLB_FLUSH_ON_TASK_SWITCH);
		tlb_ledger_this()->local_flush_all++;
		tlb_ledger_this()->lazy_catchup++;
	}
}

/*
 * The CR3 write, with CR4.PCIDE=0, invalidates every non-global TLB entry
 * and every paging-structure cache entry of this CPU (SDM vol. 3,
 * 4.10.4.1): nothing of the old mm survives it, and the kernel's global
 * entries, the same in every root, need not be dropped. The bit for @next
 * is set before the write and the old one cleared after it: the order
 * pick_targets' argument rests on.
 *
 * With CR4.PCIDE=1 the write carries the slot's PCID in bits 11:0 and
 * invalidates the entries and paging-structure caches of that PCID only,
 * or, with bit 63 set, nothing at all (SDM vol. 3, 4.10.4.1; AMD APM vol.
 * 2, 5.5.1; bit 63 is not stored in CR3). Entries of other PCIDs, the old
 * mm's among them, stay but are never used while another PCID is current
 * (SDM vol. 3, 4.10.1: only global entries and those of the current PCID
 * are). Bit 63 is set only when the slot is current up to @next's tlb_gen
 * read here, after our LOCK OR of the mask bit: a flush whose LOCK XADD
 * came before that OR is in the value we read (locked instructions are
 * totally ordered, SDM vol. 3, 9.2.3.8), so the slot being behind it makes
 * us flush; one whose XADD came after it sees our bit and interrupts us
 * (its IPI is taken once our interrupts are on again; if we have switched
 * away by then, smp/asid.c's plan treats that PCID: INVPCID or deferred).
 * Kernel entries are global and survive this write under every PCID.
 */
static void load_root(struct cpu_tlbstate *ts, int cpu, struct mm_struct *next)
{
	struct mm_struct *old = ts->loaded_mm;
	uint64_t cr3 = next ? next->pgd : arch_mmu_kernel_pgd_phys();
	struct asid_switch sw = {ASID_NONE, true};

	if (next)
		cpumask_set_cpu(cpu, mm_cpumask(next));
	WRITE_ONCE(ts->is_lazy, 0);
	WRITE_ONCE(ts->lazy_missed, 0); /* a spurious 1 here would only cost a flush */
	if (tlb_pcid_on) {
		sw = next ? asid_switch_mm(&ts->asid, next->ctx_id,
					   __atomic_load_n(&next->tlb_gen, __ATOMIC_ACQUIRE))
			  : asid_switch_kernel(&ts->asid);
		cr3 = asid_cr3(cr3, sw.asid, sw.need_flush);
	}
	write_cr3(cr3);
	tlb_ledger_this()->switch_cr3++;
	if (sw.need_flush) {
		tlb_ledger_this()->switch_flush++;
		trace_tlb_flush(TLB_FLUSH_ALL_PAGES, TLB_FLUSH_ON_TASK_SWITCH); /* interrupts off */
	}
	WRITE_ONCE(ts->loaded_mm, next);
	if (old)
		cpumask_clear_cpu(cpu, mm_cpumask(old));
}

void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next)
{
	int cpu = this_cpu_id();
	struct cpu_tlbstate *ts = &tlbstate[cpu];

	if (!next && ts->loaded_mm && READ_ONCE(lazy_tlb)) {
		WRITE_ONCE(ts->is_lazy, 1); /* keep it; flushes may skip us from now on */
		return;
	}
	if (next && next == ts->loaded_mm) {
		if (ts->is_lazy)
			leave_lazy(ts);
		return;
	}
	if (next != ts->loaded_mm)
		load_root(ts, cpu, next);
}

void leave_mm(void)
{
	uint64_t flags = local_irq_save();
	int cpu = this_cpu_id();

	if (tlbstate[cpu].loaded_mm)
		load_root(&tlbstate[cpu], cpu, NULL);
	local_irq_restore(flags);
}

static void leave_mm_if(void *info)
{
	struct cpu_tlbstate *ts = &tlbstate[this_cpu_id()];

	if (ts->loaded_mm == info) {
		tlb_ledger_this()->lazy_leave_ipis++;
		load_root(ts, this_cpu_id(), NULL);
	}
}

/*
 * mmput calls this before freeing @mm's tables and root: a CPU that still
 * has the root in CR3 (lazily: no task runs @mm any more) could walk it
 * speculatively at any time, even after a flush, so it must load another
 * root first (Linux keeps the mm alive with mmgrab until lazy CPUs leave;
 * we send them away at once, one cross-call, counted in lazy_leave_ipis).
 * Afterwards the mask is empty and exit_mmap's flush interrupts nobody.
 */
void mm_leave_lazy_cpus(struct mm_struct *mm)
{
	struct cpumask others = *mm_cpumask(mm);
	uint64_t flags = local_irq_save();
	struct cpu_tlbstate *ts = &tlbstate[this_cpu_id()];

	if (ts->loaded_mm == mm)
		load_root(ts, this_cpu_id(), NULL);
	cpumask_clear_cpu(this_cpu_id(), &others);
	local_irq_restore(flags);
	if (cpumask_weight(&others))
		smp_call_function_many(&others, leave_mm_if, mm, true);
}

/* ---- PCID: the boot decision and the shootdown target's side ---- */

/* What pcid_decide needs; the microcode is read only on a model with the erratum. */
static struct pcid_cpu boot_pcid_cpu(void)
{
	struct pcid_cpu cpu = {.pcid = cpu_features.pcid,
			       .pge = cpu_features.pge,
			       .intel = strcmp(cpu_features.vendor, "GenuineIntel") == 0,
			       .signature = cpu_features.signature};

	if (cpu.pcid && pcid_invlpg_erratum_fixed_rev(&cpu))
		cpu.microcode = cpu_intel_microcode_rev();
	return cpu;
}

static const char *const pcid_modes[] = {
    [PCID_ON] = "on",
    [PCID_ABSENT] = "absent",
    [PCID_OFF_NOPCID] = "off (nopcid)",
    [PCID_OFF_INVLPG_ERRATUM] = "off (INVLPG erratum, old microcode)",
    [PCID_OFF_NO_PGE] = "off (no PGE)",
};

/*
 * Linux's setup_pcid, decided by pcid_decide (smp/pcid_rules.c, argued
 * there): PCID stays off where INVLPG may miss global entries under it
 * (ADL063/RPL042 before the microcode fix: our kernel flushes are INVLPG
 * of global entries) and where there is no PGE (a full flush could not
 * reach other PCIDs). Off, the flag goes from cpu_features as well, as
 * Linux clears X86_FEATURE_PCID, so /proc/cpuinfo loses it.
 */
void tlb_pcid_init(bool nopcid)
{
	struct pcid_cpu cpu = boot_pcid_cpu();
	enum pcid_verdict v = pcid_decide(&cpu, nopcid);

	for (int i = 0; i < MAX_CPUS; i++)
		asid_cpu_init(&tlbstate[i].asid);
	if (v == PCID_ON && !cpu_pcid_enable())
		return; /* cpu_pcid_enable said why; the mode stays "absent" */
	tlb_pcid_mode = pcid_modes[v];
	if (v == PCID_OFF_INVLPG_ERRATUM)
		printk("tlb: PCID off: INVLPG may miss global entries on model %#x with microcode "
		       "%#x (ADL063/RPL042, fixed in %#x), CR3 loads flush\n",
		       x86_model(cpu.signature), cpu.microcode,
		       pcid_invlpg_erratum_fixed_rev(&cpu));
	else if (v != PCID_ON)
		printk("tlb: PCID %s, CR3 loads flush\n", tlb_pcid_mode);
	if (v != PCID_ON && v != PCID_ABSENT)
		cpu_features.pcid = false;
	if (v != PCID_ON)
		return;
	tlb_pcid_on = true;
	printk("tlb: PCID on, %d ASIDs per CPU (other PCIDs flushed %s)\n", TLB_NR_DYN_ASIDS,
	       cpu_features.invpcid ? "by INVPCID" : "at their next load");
}

bool tlb_mm_plan(const struct flush_req *req, struct asid_plan *plan)
{
	struct cpu_tlbstate *ts = &tlbstate[this_cpu_id()];

	if (ts->is_lazy && ts->loaded_mm && ts->loaded_mm->pgd == req->cr3)
		tlb_ledger_this()->lazy_reached++; /* what the tests of table-freeing callers see */
	if (!tlb_pcid_on) {
		*plan = (struct asid_plan){ASID_FLUSH_LOADED, ASID_NONE};
		return local_cr3_root() == req->cr3;
	}
	*plan = asid_plan_flush(&tlbstate[this_cpu_id()].asid, req->ctx_id, req->new_tlb_gen,
				req->full, cpu_features.invpcid);
	return plan->action == ASID_FLUSH_LOADED || plan->action == ASID_FLUSH_OTHER;
}

void tlb_mm_flush_done(const struct flush_req *req, const struct asid_plan *plan)
{
	if (tlb_pcid_on)
		asid_flush_done(&tlbstate[this_cpu_id()].asid, plan->asid, req->new_tlb_gen,
				req->full);
}

void tlb_pcid_kernel_range_flushed(void)
{
	uint32_t mask;

	if (!tlb_pcid_on)
		return;
	asid_kernel_range_flushed(&tlbstate[this_cpu_id()].asid, cpu_features.invpcid, &mask);
	for (unsigned int i = 0; i < TLB_NR_DYN_ASIDS; i++)
		if (mask & (1U << i))
			local_flush_tlb_pcid(asid_pcid(i));
}

const struct asid_cpu *tlb_pcid_state(int cpu)
{
	return &tlbstate[cpu].asid;
}
