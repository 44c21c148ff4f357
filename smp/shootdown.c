/*
 * The shootdown protocols (table in shootdown.h). One global lock admits
 * one initiator at a time; a request lives in per-target copies (Linux's
 * per-CPU csd) or in one shared cache line, announced on
 * TLB_SHOOTDOWN_VECTOR. Every protocol's argument for real hardware is
 * written before its code; what a target does with a request, and the
 * flush itself, are in shootdown_target.c.
 */
#include "smp/shootdown.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/tsc.h"
#include "kernel/spinlock.h"
#include "kernel/trace.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "smp/shootdown_priv.h"
#include "smp/percpu.h"
#include "smp/poll.h"
#include "smp/tlb_ledger.h"

/*
 * What every protocol below relies on, for real hardware:
 *
 * - Kernel mappings are global (G=1): they survive CR3 writes, so a full
 *   flush is INVPCID type 2 or a CR4.PGE toggle (tlb.c), never a CR3 write.
 *   INVLPG drops the entry for its address whether global or not, and the
 *   paging-structure caches for it (SDM vol. 3, 4.10.4.1).
 * - Ordering: the caller's PTE stores come before shootdown() in program
 *   order; x86 (TSO) makes stores visible in order, and every request is
 *   published by a later store (or LOCKed RMW), so a target that sees the
 *   request also sees the PTEs; the ICR write that announces it is an
 *   uncached store, not made visible before earlier stores (x2APIC: lapic.c
 *   puts MFENCE; LFENCE before the WRMSR). A target's walks after its INVLPG or
 *   full flush therefore read the new PTEs.
 * - A target acknowledges with a release store or LOCKed RMW; the initiator
 *   reads acks with acquire loads, so when it returns every target has at
 *   least read the request (early ack) or finished its flush (late ack).
 * - Deadlock freedom: one lock for all initiators, taken with interrupts
 *   off; a CPU spinning for it serves requests aimed at itself (and its
 *   cross-calls: smp_serve_pending), so the holder's targets all make
 *   progress whether their interrupts are on (the IPI) or off (the poll).
 *   The holder is never a target. Every other irqs-off wait loop polls
 *   too (tlb_epoch_wait, and cross_call.c's wait). The holder's own wait
 *   for acks is the one loop that serves nothing: a cross-call function
 *   run there could start a shootdown and spin forever on the lock this
 *   CPU holds; and it needs not serve, since every ack it waits for comes
 *   from a target that takes the IPI or polls.
 * - The online set does not change after smp_init (no hotplug), so
 *   "every other online CPU" is fixed and matches the shorthand whenever
 *   every enabled CPU came online.
 */

struct flush_csd flush_csd[MAX_CPUS]; /* by target */
struct flush_line flush_line;
struct shootdown_cpu shootdown_cpu[MAX_CPUS];
static DEFINE_SPINLOCK(shootdown_lock);
static bool vector_installed;
/* For the trace: the running request's protocol and caller; the lock holder's only. */
static enum shootdown_protocol sd_protocol;
static uintptr_t sd_callsite;

enum shootdown_protocol shootdown_protocol = SHOOTDOWN_CACHELINE;
bool shootdown_spin_pause = true;

static const char *const protocol_names[NR_SHOOTDOWN_PROTOCOLS] = {
    "linux", "broadcast", "concurrent", "early_ack", "cacheline",
};

const char *shootdown_protocol_name(enum shootdown_protocol p)
{
	return p < NR_SHOOTDOWN_PROTOCOLS ? protocol_names[p] : "?";
}

int shootdown_protocol_set(const char *name)
{
	int p = sysfs_match_string(protocol_names, NR_SHOOTDOWN_PROTOCOLS, name);

	if (p < 0)
		return p;
	WRITE_ONCE(shootdown_protocol, (enum shootdown_protocol)p);
	return 0;
}

void shootdown_spin(void)
{
	if (READ_ONCE(shootdown_spin_pause))
		cpu_relax();
	else
		barrier();
}

/* A cpumask's first word, for the trace events (CPUs 0-63). */
static uint64_t mask_word(const struct cpumask *mask)
{
	return mask->bits[0];
}

/* ---- the initiator's side ---- */

static void send_unicast(const struct cpumask *targets)
{
	struct tlb_ledger_totals *l = tlb_ledger_this();
	int cpu;

	for_each_cpu (cpu, targets) {
		trace_ipi_send_cpu(cpu, sd_callsite, (uintptr_t)shootdown_handle_pending);
		lapic_send_ipi(per_cpu(cpu)->apic_id, TLB_SHOOTDOWN_VECTOR);
		l->ipis++;
	}
}

/*
 * The all-excluding-self shorthand reaches every enabled CPU, online or
 * not; a CPU that failed to start was sent INIT again and ignores fixed
 * IPIs, but to stay exact we use it only when every enabled CPU is online
 * and targeted, and fall back to unicast otherwise.
 */
static void send_broadcast(const struct cpumask *targets, int n)
{
	if (!smp_all_enabled_online() || n != READ_ONCE(nr_cpus_online) - 1) {
		send_unicast(targets);
		return;
	}
	trace_ipi_send_cpumask(mask_word(targets), sd_callsite,
			       (uintptr_t)shootdown_handle_pending);
	lapic_send_ipi_allbutself(TLB_SHOOTDOWN_VECTOR);
	tlb_ledger_this()->ipis++;
}

/* Fill each target's own copy; the armed store (after the copy, TSO) publishes it. */
static void csd_publish(const struct flush_req *req, const struct cpumask *targets, bool early_ack)
{
	int cpu, self = this_cpu_id();

	for_each_cpu (cpu, targets) {
		flush_csd[cpu].req = *req;
		flush_csd[cpu].req.initiator = self;
		flush_csd[cpu].early_ack = early_ack;
		__atomic_store_n(&flush_csd[cpu].armed, 1, __ATOMIC_RELEASE);
	}
	trace_shootdown_publish(sd_protocol, mask_word(targets), req_pages(req));
}

static void csd_wait(const struct cpumask *targets)
{
	uint64_t t0 = rdtsc();
	int cpu;

	for_each_cpu (cpu, targets)
		while (__atomic_load_n(&flush_csd[cpu].armed, __ATOMIC_ACQUIRE))
			shootdown_spin();
	tlb_ledger_this()->wait_cycles += rdtsc() - t0;
}

/*
 * linux: flush here, then one IPI per target, each target with its own
 * request copy in its own line (no false sharing between targets), then
 * wait for every target to have flushed. The initiator's own TLB is clean
 * before anyone is told; each target acks only after its INVLPGs or full
 * flush completed, so at return no CPU holds a dropped translation: the
 * caller may free the old frames. The simplest correct protocol, with
 * N-1 ICR writes (xAPIC physical mode) and a serial local flush.
 */
static void shootdown_linux(const struct flush_req *req, const struct cpumask *targets, int n)
{
	flush_req_local(req);
	csd_publish(req, targets, false);
	send_unicast(targets);
	csd_wait(targets);
}

/*
 * broadcast: as linux, but one ICR write with the all-excluding-self
 * shorthand announces all N-1 copies; then wait for N-1 completions. Same
 * argument: every target acks after its flush. Valid only when every
 * other online CPU is a target (kernel flushes always are) and every
 * enabled CPU is online; otherwise unicast.
 */
static void shootdown_broadcast(const struct flush_req *req, const struct cpumask *targets, int n)
{
	flush_req_local(req);
	csd_publish(req, targets, false);
	send_broadcast(targets, n);
	csd_wait(targets);
}

/*
 * concurrent: send first, flush here while the targets flush, then wait.
 * Nothing on this CPU uses the range between the send and its own flush
 * (interrupts are off, and the caller is inside the flush call), and the
 * return still waits for both, so the guarantee at return is linux's.
 */
static void shootdown_concurrent(const struct flush_req *req, const struct cpumask *targets, int n)
{
	csd_publish(req, targets, false);
	send_broadcast(targets, n);
	flush_req_local(req);
	csd_wait(targets);
}

/*
 * early_ack: as concurrent, but a target acks as soon as it has copied the
 * request, before flushing. The initiator may then return, and the caller
 * reuse the old frames, while a target still holds stale entries. Safe
 * when, and only when:
 *  - the target cannot use them: it is in the handler (or the irqs-off
 *    poll) with interrupts off and returns to the interrupted code only
 *    after its flush; the handler touches nothing in the flushed range; NMI
 *    handlers touch nothing in a range mm/ flushes either (an NMI that did
 *    could read a reused frame through the stale entry: a wrong struct
 *    page, or a write into someone else's memory);
 *  - no page-table page was freed by the change: a stale paging-structure
 *    cache entry would let the target's (speculative) walks read a reused
 *    frame as a page table and cache garbage translations, possibly to
 *    device memory, before its flush (why Linux and Amit's RFC keep async
 *    flushes to "no page tables freed"); a caller that frees one says so
 *    (req->frees_tables) and gets a late-ack protocol (protocol_for);
 *  - the caller does not link a new entry of another page size as soon
 *    as we return (break-before-make, req->bbm): a target that has not
 *    flushed yet may still hold the old 2 MiB or 1 GiB translation while
 *    its speculative walks cache the new smaller ones, two sizes for one
 *    address (SDM vol. 3, 4.10.2.3: undefined; AMD erratum 383: a machine
 *    check); those callers get a late-ack protocol too;
 *  - the request (and list) was copied before the ack, so the initiator
 *    may reuse it. Speculative loads through the stale entry in the window
 *    read ordinary RAM and are never retired.
 */
static void shootdown_early_ack(const struct flush_req *req, const struct cpumask *targets, int n)
{
	csd_publish(req, targets, true);
	send_broadcast(targets, n);
	flush_req_local(req);
	csd_wait(targets);
}

/*
 * cacheline: concurrent + early ack, with the whole request and its ack
 * counter in one 64-byte line and no per-target copies: the initiator
 * writes one line, each target misses on it once to read and once to
 * decrement. Publication: req and pending are stored before gen (TSO), a
 * target loads gen with acquire, then reads the request. The line is
 * rewritten only after pending reached 0, i.e. after every target read it.
 * The early-ack conditions above apply unchanged.
 *
 * A targeted request (shootdown_mask) reaches only some CPUs, but any CPU
 * that polls would serve a new gen. So before publishing, the initiator
 * marks gen as already seen for every online non-target. Those fields are
 * otherwise written only by their own CPU in serve_line, before its
 * release decrement of pending; the previous initiator saw pending reach 0
 * (acquire) before dropping shootdown_lock, and we took the lock after it,
 * so no such write is still in flight when we overwrite them.
 *
 * The default: on hardware the IPI round trip dominates, and this one
 * overlaps the local flush with it, releases the initiator at the targets'
 * entry rather than their exit, and moves the fewest cache lines (Amit et
 * al. 2020: 1436 -> 923 ns for one remote on Haswell); it is correct for
 * for every request that neither frees tables nor breaks before make
 * (the conditions argued for early_ack); the others run as concurrent.
 */
static void shootdown_cacheline(const struct flush_req *req, const struct cpumask *targets, int n)
{
	int self = this_cpu_id();
	uint32_t gen = flush_line.gen + 1;
	uint64_t t0;

	int cpu;

	flush_line.req = *req;
	flush_line.req.initiator = self;
	flush_line.pending = n;
	shootdown_cpu[self].line_gen_seen = gen; /* not ours to serve */
	if (n != READ_ONCE(nr_cpus_online) - 1)
		for_each_online_cpu (cpu)
			if (!cpumask_test_cpu(cpu, targets))
				shootdown_cpu[cpu].line_gen_seen = gen; /* not theirs either */
	__atomic_store_n(&flush_line.gen, gen, __ATOMIC_RELEASE);
	trace_shootdown_publish(sd_protocol, mask_word(targets), req_pages(req));
	send_broadcast(targets, n);
	flush_req_local(req);
	t0 = rdtsc();
	while (__atomic_load_n(&flush_line.pending, __ATOMIC_ACQUIRE))
		shootdown_spin();
	tlb_ledger_this()->wait_cycles += rdtsc() - t0;
}

typedef void (*protocol_fn)(const struct flush_req *, const struct cpumask *, int);

static const protocol_fn protocols[NR_SHOOTDOWN_PROTOCOLS] = {
    shootdown_linux,	 shootdown_broadcast, shootdown_concurrent,
    shootdown_early_ack, shootdown_cacheline,
};

bool shootdown_protocol_acks_early(enum shootdown_protocol p)
{
	return p == SHOOTDOWN_EARLY_ACK || p == SHOOTDOWN_CACHELINE;
}

int shootdown_req_check(const struct flush_req *req, enum shootdown_protocol p)
{
	if (p >= NR_SHOOTDOWN_PROTOCOLS)
		return -EINVAL;
	if ((req->frees_tables || req->bbm) && shootdown_protocol_acks_early(p))
		return -EINVAL;
	return 0;
}

/*
 * Early ack releases the initiator before a target's flush. If the caller
 * then frees a page-table page, a target's paging-structure caches may
 * still point into it and its speculative walks read the reused frame as
 * a table (the bug class of CVE-2025-22045 and CVE-2025-37964); if it
 * links a smaller (or larger) translation where it cleared a leaf, a
 * target may cache the new size beside the old (SDM vol. 3, 4.10.2.3). So
 * such a request falls back to concurrent: the same overlap, but every
 * target acks after its flush (SDM 4.10.5: software must wait for the
 * other processors' invalidations before it relies on them).
 */
static enum shootdown_protocol protocol_for(const struct flush_req *req)
{
	enum shootdown_protocol p = READ_ONCE(shootdown_protocol);

	if ((req->frees_tables || req->bbm) && shootdown_protocol_acks_early(p))
		return SHOOTDOWN_CONCURRENT;
	return p;
}

/* Lock held, interrupts off: run protocol @p; the trace gets its caller and wait. */
static void run_protocol(enum shootdown_protocol p, const struct flush_req *req,
			 const struct cpumask *targets, int n, uintptr_t callsite)
{
	struct tlb_ledger_totals *l = tlb_ledger_this();
	uint64_t waited = l->wait_cycles;

	BUG_ON(shootdown_req_check(req, p)); /* protocol_for picks late ack for these */
	sd_protocol = p;
	sd_callsite = callsite;
	protocols[p](req, targets, n);
	trace_shootdown_done(p, n, l->wait_cycles - waited);
}

/* Interrupts off. Serve requests aimed at us while another initiator holds it. */
static void shootdown_lock_acquire(void)
{
	while (!spin_trylock(&shootdown_lock)) {
		smp_serve_pending();
		shootdown_spin();
	}
	if (unlikely(!vector_installed)) { /* first use: the IDT is shared by all CPUs */
		irq_register(TLB_SHOOTDOWN_VECTOR, tlb_shootdown_interrupt);
		vector_installed = true; /* before any IPI on it is sent */
	}
}

/* Lock held, interrupts off: one request that reaches another CPU. */
static void count_remote(const struct flush_req *req)
{
	struct tlb_ledger_totals *l = tlb_ledger_this();

	l->remote_flush++;
	if (req->frees_tables || req->bbm)
		l->late_ack++; /* what the callers' tests check they asked for */
}

/* Every online CPU, with protocol @p; the check runs first, even with no other CPU. */
static void shootdown_all(const struct flush_req *req, enum shootdown_protocol p,
			  uintptr_t callsite)
{
	uint64_t flags = local_irq_save();
	struct cpumask targets;
	int n;

	BUG_ON(shootdown_req_check(req, p));
	shootdown_lock_acquire();
	targets = cpu_online_mask;
	cpumask_clear_cpu(this_cpu_id(), &targets);
	n = cpumask_weight(&targets);
	if (n == 0) {
		flush_req_local(req);
	} else {
		count_remote(req);
		run_protocol(p, req, &targets, n, callsite);
	}
	spin_unlock(&shootdown_lock);
	local_irq_restore(flags);
}

void shootdown(const struct flush_req *req)
{
	shootdown_all(req, protocol_for(req), (uintptr_t)__builtin_return_address(0));
}

void shootdown_with_protocol(const struct flush_req *req, enum shootdown_protocol p)
{
	shootdown_all(req, p, (uintptr_t)__builtin_return_address(0));
}

void shootdown_mask(const struct flush_req *req, const struct cpumask *mask)
{
	uint64_t flags = local_irq_save();
	int self = this_cpu_id();
	struct cpumask targets;
	int n;

	cpumask_and(&targets, mask, &cpu_online_mask);
	cpumask_clear_cpu(self, &targets);
	n = cpumask_weight(&targets);
	if (n == 0) {
		/* Nobody else to tell: no lock, no IPI, not a remote flush. */
		if (cpumask_test_cpu(self, mask))
			flush_req_local(req);
		local_irq_restore(flags);
		return;
	}
	shootdown_lock_acquire();
	count_remote(req);
	/* Every protocol flushes locally too; req->cr3 makes that a no-op off this mm. */
	run_protocol(protocol_for(req), req, &targets, n, (uintptr_t)__builtin_return_address(0));
	spin_unlock(&shootdown_lock);
	local_irq_restore(flags);
}
