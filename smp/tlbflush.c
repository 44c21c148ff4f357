/*
 * The flush API (mm/tlbflush.h) on every online CPU: INVLPG per page up to
 * tlb_single_page_flush_ceiling pages (Linux's 33, 0 = always full), a full
 * flush including global entries above it, carried by the shootdown engine
 * (shootdown.c); and TLB epochs, the flush that sends no IPI.
 */
#include "arch/x86_64/cpu.h"
#include "mm/mm_types.h"
#include "mm/mmu.h"
#include "lib/kernel.h"
#include "mm/tlbflush.h"
#include "smp/shootdown.h"
#include "smp/smp.h"
#include "smp/tlb_ledger.h"

#define PAGE_4K 4096UL

unsigned long tlb_single_page_flush_ceiling = 33;

const char *flush_cause_name(enum flush_cause cause)
{
	static const char *const names[NR_FLUSH_CAUSES] = {
		"vmemmap_split", "vmemmap_remap",   "vmemmap_restore",	  "test",
		"other",	 "user", "user_freed_tables",
	};
	return cause < NR_FLUSH_CAUSES ? names[cause] : "?";
}

/* Count the call under its cause (interrupts off: the ledger rule). */
static void count_call(enum flush_cause cause)
{
	uint64_t flags = local_irq_save();

	tlb_ledger_this()->by_cause[cause < NR_FLUSH_CAUSES ? cause : FLUSH_OTHER]++;
	local_irq_restore(flags);
}

/* Linux's test: more pages than the ceiling (strictly) means a full flush. */
static bool over_ceiling(unsigned long pages)
{
	return pages > READ_ONCE(tlb_single_page_flush_ceiling);
}

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end, enum flush_cause cause)
{
	unsigned long pages;
	struct flush_req req = { .cause = cause };

	if (end <= start)
		return;
	pages = (ALIGN_UP(end, PAGE_4K) - ALIGN_DOWN(start, PAGE_4K)) / PAGE_4K;
	count_call(cause);
	if (over_ceiling(pages) || end - start >= (1UL << 47)) {
		req.full = true;
	} else {
		req.start = start;
		req.end = end;
	}
	shootdown(&req);
}

void flush_tlb_all(enum flush_cause cause)
{
	struct flush_req req = { .full = true, .cause = cause };

	count_call(cause);
	shootdown(&req);
}

void flush_tlb_kernel_pages(const uintptr_t *vas, unsigned long nr, enum flush_cause cause)
{
	struct flush_req req = { .cause = cause };

	if (!nr)
		return;
	count_call(cause);
	if (over_ceiling(nr)) {
		req.full = true;
	} else {
		req.vas = vas;
		req.nr = nr;
	}
	shootdown(&req);
}

/* ---- user address spaces: flushes aimed by mm_cpumask ---- */

static struct mm_struct *loaded_mm[MAX_CPUS]; /* written by its own CPU, interrupts off */

struct mm_struct *this_cpu_loaded_mm(void)
{
	return loaded_mm[this_cpu_id()];
}

/*
 * Who may hold translations of @mm: exactly the CPUs whose CR3 is its root
 * (PCID off: a CR3 write away flushes every non-global entry, and user
 * entries are never global), and that set is a subset of mm_cpumask at
 * every moment, because a CPU sets its bit before it writes CR3 and clears
 * it only after writing another root.
 *
 * Why reading the mask after the PTE stores finds every CPU that could use
 * an old entry: the initiator's LOCK XADD on tlb_gen sits between its PTE
 * stores and its read of the mask, and the switcher's LOCK OR of its bit
 * sits between its bit store and its CR3 write. Locked instructions are
 * totally ordered (SDM vol. 3, 9.2.3.8). If the switcher's LOCK OR comes
 * first, the initiator sees the bit and targets it. Otherwise it comes
 * after the XADD, so the PTE stores are visible to it before it loads
 * CR3, and every walk it makes on @mm reads the new entries.
 * A targeted CPU that has switched away since skips the request
 * (shootdown.c, req_applies): its CR3 write already flushed.
 */
void flush_tlb_mm_range(struct mm_struct *mm, uintptr_t start, uintptr_t end,
			unsigned int stride_shift, bool freed_tables)
{
	enum flush_cause cause = freed_tables ? FLUSH_USER_FREED_TABLES : FLUSH_USER;
	struct flush_req req = { .cause = cause, .stride_shift = stride_shift,
				 .cr3 = mm->pgd };
	unsigned long pages;

	if (end <= start)
		return;
	__atomic_add_fetch(&mm->tlb_gen, 1, __ATOMIC_SEQ_CST); /* LOCK XADD: see above */
	pages = (ALIGN_UP(end, 1UL << stride_shift) - ALIGN_DOWN(start, 1UL << stride_shift)) >>
		stride_shift;
	count_call(cause);
	if (over_ceiling(pages)) {
		req.full = true;
	} else {
		req.start = start;
		req.end = end;
	}
	shootdown_mask(&req, mm_cpumask(mm), freed_tables);
}

/*
 * The CR3 write below, with CR4.PCIDE=0, invalidates every non-global TLB
 * entry and every paging-structure cache entry of this CPU (SDM vol. 3,
 * 4.10.4.1): nothing of @prev survives it, and the kernel's global
 * entries, shared by every root, need not be dropped. The bit for @next is
 * set (LOCK OR) before the write and the one for @prev cleared after it:
 * the ordering flush_tlb_mm_range's argument rests on.
 */
void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next)
{
	int cpu = this_cpu_id();

	if (prev == next)
		return;
	if (next)
		cpumask_set_cpu(cpu, mm_cpumask(next));
	write_cr3(next ? next->pgd : arch_mmu_kernel_pgd_phys());
	loaded_mm[cpu] = next;
	if (prev)
		cpumask_clear_cpu(cpu, mm_cpumask(prev));
}

void tlb_wait_poll(void)
{
	if (!(read_rflags() & X86_RFLAGS_IF))
		shootdown_handle_pending();
	shootdown_spin();
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

/* From the timer tick (smp.c), interrupts off: 100 Hz, no IPI involved. */
void tlb_epoch_tick(void)
{
	struct tlb_epoch_cpu *me = &tlb_epoch_cpu[this_cpu_id()];

	if (me->flushed < READ_ONCE(tlb_epoch))
		epoch_catch_up(__atomic_load_n(&tlb_epoch, __ATOMIC_ACQUIRE));
}

bool tlb_epoch_passed(uint64_t epoch)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (__atomic_load_n(&tlb_epoch_cpu[cpu].flushed, __ATOMIC_ACQUIRE) < epoch)
			return false;
	return true;
}

/*
 * Wait for every CPU's tick. Interrupts on: halt between ticks (this CPU's
 * own tick wakes it). Interrupts off: spin, serving shootdowns aimed at us
 * so an initiator waiting on this CPU is not stuck.
 */
void tlb_epoch_wait(uint64_t epoch)
{
	bool irqs_on = read_rflags() & X86_RFLAGS_IF;

	while (!tlb_epoch_passed(epoch)) {
		if (irqs_on) {
			safe_halt();
		} else {
			shootdown_handle_pending();
			shootdown_spin();
		}
	}
}
