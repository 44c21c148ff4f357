/*
 * The flush API (smp/tlbflush.h) on every online CPU: INVLPG per page up to
 * tlb_single_page_flush_ceiling pages (Linux's 33, 0 = always full), a full
 * flush including global entries above it, carried by the shootdown engine
 * (shootdown.c); and TLB epochs, the flush that sends no IPI. User address
 * spaces' flushes are in tlb_mm.c.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tsc.h"
#include "flushlab/layout.h"
#include "kernel/trace.h"
#include "lib/kernel.h"
#include "smp/tlbflush.h"
#include "smp/cross_call.h"
#include "smp/shootdown.h"
#include "smp/poll.h"
#include "smp/tlb_ledger.h"
#include "smp/tlbflush_priv.h"

/*
 * Ten ticks late: the tick is lost, not merely delayed (under TCG with more
 * vCPUs than host cores a tick can be tens of ms late; a nudge there would
 * add IPIs to `deferred`, whose point is sending none).
 */
#define TLB_EPOCH_NUDGE_MS (10 * 1000 / SMP_TICK_HZ)

unsigned long tlb_single_page_flush_ceiling = 33;

/* Count the call under its cause (interrupts off: the ledger rule). */
void tlb_count_call(enum flush_cause cause)
{
	uint64_t flags = local_irq_save();

	tlb_ledger_this()->by_cause[cause < NR_FLUSH_CAUSES ? cause : FLUSH_OTHER]++;
	local_irq_restore(flags);
}

/*
 * Linux's test: more pages than the ceiling (strictly) means a full flush.
 * Each time it says so, the initiator's ledger counts a request that asked
 * for pages and became a full flush, so no result hides that.
 */
bool tlb_over_ceiling(unsigned long pages)
{
	uint64_t flags;

	if (pages <= READ_ONCE(tlb_single_page_flush_ceiling))
		return false;
	flags = local_irq_save();
	tlb_ledger_this()->over_ceiling++;
	local_irq_restore(flags);
	return true;
}

static void kernel_range(uintptr_t start, uintptr_t end, enum flush_cause cause, bool frees_tables)
{
	unsigned long pages;
	struct flush_req req = {.cause = cause, .frees_tables = frees_tables};

	if (end <= start)
		return;
	pages = (ALIGN_UP(end, PAGE_SIZE) - ALIGN_DOWN(start, PAGE_SIZE)) / PAGE_SIZE;
	tlb_count_call(cause);
	if (tlb_over_ceiling(pages) || end - start >= (1UL << 47)) {
		req.full = true;
	} else {
		req.start = start;
		req.end = end;
	}
	shootdown(&req);
}

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end, enum flush_cause cause)
{
	kernel_range(start, end, cause, false);
}

/*
 * The request says it frees tables, so the engine runs a late-ack
 * protocol: every CPU has finished its INVLPGs (each drops every
 * paging-structure-cache entry of its current PCID, SDM vol. 3, 4.10.4.1;
 * kernel tables are shared by every PCID, and tlb_pcid_kernel_range_flushed
 * sees to the others) or its full flush before this returns.
 */
void flush_tlb_kernel_range_freed_tables(uintptr_t start, uintptr_t end, enum flush_cause cause)
{
	kernel_range(start, end, cause, true);
}

void flush_tlb_all(enum flush_cause cause)
{
	struct flush_req req = {.full = true, .cause = cause};

	tlb_count_call(cause);
	shootdown(&req);
}

void flush_tlb_kernel_pages(const uintptr_t *vas, unsigned long nr, enum flush_cause cause)
{
	struct flush_req req = {.cause = cause};

	if (!nr)
		return;
	tlb_count_call(cause);
	if (tlb_over_ceiling(nr) || nr > UINT32_MAX) {
		req.full = true;
	} else {
		req.vas = vas;
		req.nr = nr;
	}
	shootdown(&req);
}

/* ---- TLB epochs ---- */

/*
 * Why an epoch flush covers every change made before advance() (real
 * hardware, global entries and paging-structure caches included):
 * - advance() bumps tlb_epoch with a LOCK XADD after the caller's PTE
 *   stores; a locked instruction drains the store buffer first, so any CPU
 *   that reads epoch E also sees those PTEs in memory.
 * - A CPU publishes E only after it read tlb_epoch >= E (acquire) and then
 *   made a full local flush (INVPCID type 2 or a CR4.PGE toggle: global
 *   entries and paging-structure caches too; MOV to CR4 is serializing).
 *   Every translation it holds afterwards was walked after that read, from
 *   the new PTEs. The publish is a release store after the flush.
 * - tlb_epoch_passed(E) reads every online CPU's published epoch (acquire):
 *   all >= E means every CPU has flushed since the changes; an old frame
 *   may then be reused. A CPU that comes online later starts with an empty
 *   TLB (it is not online yet at boot-time advances, and there is no
 *   hotplug afterwards).
 */
static uint64_t tlb_epoch;

struct tlb_epoch_cpu {
	uint64_t flushed; /* the epoch this CPU last flushed for; written by it only */
} __attribute__((aligned(64)));

static struct tlb_epoch_cpu tlb_epoch_cpu[MAX_CPUS];

/* Interrupts off. Flush for the current epoch if this CPU is behind. */
static void epoch_catch_up(uint64_t epoch)
{
	struct tlb_epoch_cpu *me = &tlb_epoch_cpu[this_cpu_id()];
	struct tlb_ledger_totals *l = tlb_ledger_this();

	if (me->flushed >= epoch)
		return;
	tlb_ledger_flush_all();
	trace_tlb_flush(TLB_FLUSH_ALL_PAGES, TLB_EPOCH_FLUSH); /* interrupts off */
	l->epoch_flushes++;
	__atomic_store_n(&me->flushed, epoch, __ATOMIC_RELEASE);
}

uint64_t tlb_epoch_advance(void)
{
	uint64_t flags = local_irq_save();
	uint64_t epoch = __atomic_add_fetch(&tlb_epoch, 1, __ATOMIC_SEQ_CST);

	epoch_catch_up(epoch);
	local_irq_restore(flags);
	return epoch;
}

/* From the tick and irqs-off waits (smp/poll.c), interrupts off: 100 Hz, no IPI involved. */
void tlb_epoch_tick(void)
{
	struct tlb_epoch_cpu *me = &tlb_epoch_cpu[this_cpu_id()];

	if (me->flushed < READ_ONCE(tlb_epoch))
		epoch_catch_up(__atomic_load_n(&tlb_epoch, __ATOMIC_ACQUIRE));
}

bool tlb_epoch_passed(uint64_t epoch)
{
	int cpu;

	for_each_online_cpu (cpu)
		if (__atomic_load_n(&tlb_epoch_cpu[cpu].flushed, __ATOMIC_ACQUIRE) < epoch)
			return false;
	return true;
}

/*
 * Send a nudge to every online CPU still behind @epoch: a no-wait
 * cross-call that runs the tick's catch-up. For CPUs whose tick did not
 * come: a LAPIC timer stopped in a deep C-state, interrupts off too long.
 */
static void epoch_nudge_func(void *info)
{
	tlb_epoch_tick();
}

static void tlb_epoch_nudge(uint64_t epoch)
{
	struct cpumask late;
	uint64_t flags;
	int cpu;

	cpumask_clear(&late);
	for_each_online_cpu (cpu)
		if (cpu != this_cpu_id() &&
		    __atomic_load_n(&tlb_epoch_cpu[cpu].flushed, __ATOMIC_ACQUIRE) < epoch)
			cpumask_set_cpu(cpu, &late);
	flags = local_irq_save();
	tlb_ledger_this()->epoch_nudges += cpumask_weight(&late);
	local_irq_restore(flags);
	smp_call_function_many(&late, epoch_nudge_func, NULL, false);
}

/*
 * Wait for every CPU's tick, nudging the late ones. Liveness on hardware:
 * - Without ARAT (CPUID 6 EAX[2]) the LAPIC timer may stop in C-states
 *   deeper than C1 (Intel SDM vol. 3, 11.5.4 "APIC Timer"), and on some
 *   AMD parts in C1E, which HLT can enter (Linux's AMD E400 erratum
 *   handling): an idle CPU may then never tick, and the epoch never pass.
 *   So a CPU still behind after TLB_EPOCH_NUDGE_MS gets an IPI (IPIs wake
 *   a CPU from every C-state) that does the tick's work, counted as
 *   tlb_epoch_nudges. With ticks working this never fires.
 * - This CPU halts between checks only when its own tick is certain to
 *   wake it (interrupts on and ARAT); otherwise it spins, and with
 *   interrupts off it serves the others (smp_serve_pending), as every
 *   irqs-off loop must.
 */
void tlb_epoch_wait(uint64_t epoch)
{
	bool irqs_on = read_rflags() & X86_RFLAGS_IF;
	uint64_t nudge_at = rdtsc() + TLB_EPOCH_NUDGE_MS * tsc_khz;

	while (!tlb_epoch_passed(epoch)) {
		if ((int64_t)(rdtsc() - nudge_at) >= 0) {
			tlb_epoch_nudge(epoch);
			nudge_at = rdtsc() + TLB_EPOCH_NUDGE_MS * tsc_khz;
		}
		if (irqs_on && cpu_features.arat) {
			safe_halt();
		} else {
			if (!irqs_on)
				smp_serve_pending();
			shootdown_spin();
		}
	}
}
