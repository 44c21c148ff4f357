/*
 * The shootdown engine from inside: every protocol makes remote CPUs see a
 * remap once the flush returns, its counters are exact (requests, ICR
 * writes, receptions, INVLPGs), the ceiling switches at 33/34 pages, TLB
 * epochs pass with no IPI, initiators on every CPU at once make progress,
 * requests that free tables or break before make are never acked early,
 * and the stale-TLB demonstration never sees a stale value after a shootdown.
 */
#include "arch/x86_64/cpu.h"
#include "flushlab/layout.h"
#include "arch/x86_64/tsc.h"
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "smp/cross_call.h"
#include "smp/shootdown.h"
#include "smp/smp.h"
#include "smp/tlb_ledger.h"
#include "bench/tlbdemo.h"

#define NEEDS_TWO_CPUS(t)                                                                          \
	do {                                                                                       \
		if (nr_cpus_online < 2)                                                            \
			KTEST_SKIP(t, "needs more than one CPU");                                  \
	} while (0)

/* Beside the demo's (+16 GiB) and the bench's (+32 GiB); unused by other tests. */
#define TEST_VA (SCRATCH_BASE + 17 * GiB)
#define TEST_PAGES 80 /* unmapped pages past TEST_VA, flushed for counting */

enum flush_form { FORM_RANGE, FORM_PAGES, FORM_ALL, NR_FORMS };

static uint64_t seen[MAX_CPUS];
static uintptr_t vas[TEST_PAGES];

static void read_test_va(void *info)
{
	seen[this_cpu_id()] = *(volatile uint64_t *)TEST_VA;
}

/* Every online CPU reads TEST_VA; returns how many did not see @want. */
static int cpus_not_seeing(uint64_t want)
{
	int cpu, wrong = 0;

	on_each_cpu(read_test_va, NULL, true);
	for_each_online_cpu (cpu)
		wrong += seen[cpu] != want;
	return wrong;
}

static void flush_test_va(enum flush_form form)
{
	uintptr_t va = TEST_VA;

	if (form == FORM_RANGE)
		flush_tlb_kernel_range(TEST_VA, TEST_VA + PAGE_SIZE, FLUSH_TEST);
	else if (form == FORM_PAGES)
		flush_tlb_kernel_pages(&va, 1, FLUSH_TEST);
	else
		flush_tlb_all(FLUSH_TEST);
}

/* Remap between frames holding 1 and 2, under each protocol and form. */
static void check_protocols(struct ktest *t, uint64_t pa[2])
{
	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++) {
		shootdown_protocol = (enum shootdown_protocol)p;
		for (int f = 0; f < NR_FORMS; f++) {
			for (int i = 0; i < 10; i++) {
				int cur = i & 1;

				KEXPECT_EQ(t, 0, cpus_not_seeing(cur + 1)); /* loads every TLB */
				arch_mmu_remap_4k(TEST_VA, pa[!cur], MMU_GLOBAL);
				flush_test_va((enum flush_form)f);
				if (cpus_not_seeing(!cur + 1))
					ktest_fail(t, __FILE__, __LINE__,
						   "protocol %s form %d: stale",
						   shootdown_protocol_name(p), f);
			}
		}
	}
}

static void every_protocol_invalidates_remote_tlbs(struct ktest *t)
{
	enum shootdown_protocol saved = shootdown_protocol;
	struct page *f[2];
	uint64_t pa[2];

	NEEDS_TWO_CPUS(t);
	f[0] = alloc_page(GFP_KERNEL);
	f[1] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < 2 && f[0] && f[1]; i++) {
		*(volatile uint64_t *)page_address(f[i]) = i + 1;
		pa[i] = PFN_PHYS(page_to_pfn(f[i]));
	}
	if (f[0] && f[1] && arch_mmu_map(TEST_VA, pa[0], PG_LEVEL_4K, MMU_GLOBAL) == 0) {
		check_protocols(t, pa);
		arch_mmu_unmap(TEST_VA, PG_LEVEL_4K);
		flush_tlb_kernel_range(TEST_VA, TEST_VA + PAGE_SIZE, FLUSH_TEST);
	} else {
		ktest_fail(t, __FILE__, __LINE__, "could not map two test frames");
	}
	shootdown_protocol = saved;
	for (int i = 0; i < 2; i++)
		if (f[i])
			__free_page(f[i]);
}

static uint64_t expected_ipis(enum shootdown_protocol p)
{
	if (p == SHOOTDOWN_LINUX || !smp_all_enabled_online())
		return nr_cpus_online - 1;
	return 1;
}

static void counters_are_exact(struct ktest *t)
{
	enum shootdown_protocol saved = shootdown_protocol;
	struct tlb_ledger_totals before, d;
	uint64_t one_before[MAX_CPUS];
	int cpu;

	NEEDS_TWO_CPUS(t);
	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++) {
		shootdown_protocol = (enum shootdown_protocol)p;
		for_each_online_cpu (cpu)
			one_before[cpu] = tlb_ledger[cpu].c.local_flush_one;
		tlb_ledger_totals(&before);
		flush_tlb_kernel_range(TEST_VA, TEST_VA + PAGE_SIZE, FLUSH_TEST);
		tlb_ledger_totals(&d);
		tlb_ledger_delta(&d, &before);
		KEXPECT_EQ(t, 1, d.remote_flush);
		KEXPECT_EQ(t, nr_cpus_online - 1, d.remote_flush_received);
		KEXPECT_EQ(t, expected_ipis(p), d.ipis);
		KEXPECT_EQ(t, 1, d.by_cause[FLUSH_TEST]);
		KEXPECT_EQ(t, 0, d.local_flush_all);
		for_each_online_cpu (cpu)
			KEXPECT_EQ(t, 1, tlb_ledger[cpu].c.local_flush_one - one_before[cpu]);
	}
	shootdown_protocol = saved;
}

/* Flush @pages pages (range or list form); expect @one INVLPGs and @all full flushes per CPU. */
static void check_ceiling(struct ktest *t, unsigned long pages, bool list, uint64_t one,
			  uint64_t all)
{
	uint64_t one_before[MAX_CPUS], all_before[MAX_CPUS];
	int cpu;

	for_each_online_cpu (cpu) {
		one_before[cpu] = tlb_ledger[cpu].c.local_flush_one;
		all_before[cpu] = tlb_ledger[cpu].c.local_flush_all;
	}
	if (list)
		flush_tlb_kernel_pages(vas, pages, FLUSH_TEST);
	else
		flush_tlb_kernel_range(TEST_VA, TEST_VA + pages * PAGE_SIZE, FLUSH_TEST);
	for_each_online_cpu (cpu) {
		KEXPECT_EQ(t, one, tlb_ledger[cpu].c.local_flush_one - one_before[cpu]);
		KEXPECT_EQ(t, all, tlb_ledger[cpu].c.local_flush_all - all_before[cpu]);
	}
}

static void ceiling_switches_between_invlpg_and_full(struct ktest *t)
{
	unsigned long saved = tlb_single_page_flush_ceiling;

	for (int i = 0; i < TEST_PAGES; i++)
		vas[i] = TEST_VA + i * PAGE_SIZE;
	tlb_single_page_flush_ceiling = 33;
	for (int list = 0; list < 2; list++) {
		check_ceiling(t, 33, list, 33, 0);
		check_ceiling(t, 34, list, 0, 1);
	}
	tlb_single_page_flush_ceiling = 0; /* Linux: 0 means always a full flush */
	check_ceiling(t, 1, false, 0, 1);
	tlb_single_page_flush_ceiling = saved;
}

/*
 * An early-ack target copies at most EARLY_ACK_MAX_PAGES addresses; a
 * longer list, though under the ceiling, becomes a full flush there, and
 * only the target can count it (early_ack_full). Other protocols list.
 */
static void early_ack_long_list_is_counted(struct ktest *t)
{
	enum shootdown_protocol saved = shootdown_protocol;
	unsigned long saved_ceiling = tlb_single_page_flush_ceiling;
	unsigned int remote = nr_cpus_online - 1;

	NEEDS_TWO_CPUS(t);
	for (int i = 0; i < TEST_PAGES; i++)
		vas[i] = TEST_VA + i * PAGE_SIZE;
	tlb_single_page_flush_ceiling = TEST_PAGES;
	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++) {
		bool early = p == SHOOTDOWN_EARLY_ACK || p == SHOOTDOWN_CACHELINE;
		struct tlb_ledger_totals a, b, c;

		shootdown_protocol = (enum shootdown_protocol)p;
		tlb_ledger_totals(&a);
		flush_tlb_kernel_pages(vas, EARLY_ACK_MAX_PAGES, FLUSH_TEST);
		tlb_ledger_totals(&b);
		flush_tlb_kernel_pages(vas, EARLY_ACK_MAX_PAGES + 1, FLUSH_TEST);
		tlb_ledger_totals(&c);
		KEXPECT_EQ(t, 0, b.early_ack_full - a.early_ack_full);
		KEXPECT_EQ(t, 0, b.local_flush_all - a.local_flush_all);
		KEXPECT_EQ(t, early ? remote : 0, c.early_ack_full - b.early_ack_full);
		KEXPECT_EQ(t, early ? remote : 0, c.local_flush_all - b.local_flush_all);
		KEXPECT_EQ(t, 0, c.over_ceiling - b.over_ceiling);
	}
	shootdown_protocol = saved;
	tlb_single_page_flush_ceiling = saved_ceiling;
}

/*
 * A request that frees page tables or breaks before make must not be
 * released by an early ack: shootdown_req_check refuses exactly those
 * pairs (the engine BUGs on a refusal: tests/scripts/crash-early-ack-
 * table-free.fl), and shootdown() runs them late-ack, which shows as no
 * early_ack_full on the targets for a list longer than an early-ack
 * target copies, under the early-ack protocols too.
 */
static void table_frees_and_bbm_ack_late(struct ktest *t)
{
	enum shootdown_protocol saved = shootdown_protocol;
	unsigned long saved_ceiling = tlb_single_page_flush_ceiling;
	unsigned int remote = nr_cpus_online - 1;

	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++) {
		bool early = shootdown_protocol_acks_early((enum shootdown_protocol)p);
		struct flush_req plain = {.full = true},
				 tables = {.full = true, .frees_tables = true},
				 bbm = {.full = true, .bbm = true};

		KEXPECT_EQ(t, p == SHOOTDOWN_EARLY_ACK || p == SHOOTDOWN_CACHELINE, early);
		KEXPECT_EQ(t, 0, shootdown_req_check(&plain, (enum shootdown_protocol)p));
		KEXPECT_EQ(t, early ? -EINVAL : 0, shootdown_req_check(&tables, p));
		KEXPECT_EQ(t, early ? -EINVAL : 0, shootdown_req_check(&bbm, p));
	}
	KEXPECT_EQ(t, -EINVAL, shootdown_req_check(&(struct flush_req){0}, NR_SHOOTDOWN_PROTOCOLS));
	NEEDS_TWO_CPUS(t);
	for (int i = 0; i < TEST_PAGES; i++)
		vas[i] = TEST_VA + i * PAGE_SIZE;
	tlb_single_page_flush_ceiling = TEST_PAGES;
	for (int p = SHOOTDOWN_EARLY_ACK; p <= SHOOTDOWN_CACHELINE; p++) {
		struct flush_req req = {
		    .vas = vas, .nr = EARLY_ACK_MAX_PAGES + 1, .cause = FLUSH_TEST};
		struct tlb_ledger_totals a, b, c;

		shootdown_protocol = (enum shootdown_protocol)p;
		tlb_ledger_totals(&a);
		shootdown(&req); /* early ack: each target flushes all */
		tlb_ledger_totals(&b);
		req.frees_tables = true;
		shootdown(&req); /* late ack: each target flushes the list */
		req.frees_tables = false;
		req.bbm = true;
		shootdown(&req);
		tlb_ledger_totals(&c);
		KEXPECT_EQ(t, remote, b.early_ack_full - a.early_ack_full);
		KEXPECT_EQ(t, 0, c.early_ack_full - b.early_ack_full);
		KEXPECT_EQ(t, 2 * remote, c.remote_flush_received - b.remote_flush_received);
	}
	shootdown_protocol = saved;
	tlb_single_page_flush_ceiling = saved_ceiling;
}

/* Wait for @epoch with interrupts on, at most @ms; true if it passed. */
static bool epoch_passes_within(uint64_t epoch, uint64_t ms)
{
	uint64_t end = rdtsc() + ms * tsc_khz;

	while (!tlb_epoch_passed(epoch)) {
		if ((int64_t)(rdtsc() - end) >= 0)
			return false;
		safe_halt(); /* our tick wakes us at least every 10 ms */
	}
	return true;
}

static void epochs_pass_without_ipis(struct ktest *t)
{
	struct tlb_ledger_totals before, d;
	uint64_t epoch;

	KASSERT_TRUE(t, epoch_passes_within(tlb_epoch_advance(), 2000)); /* nobody behind */
	tlb_ledger_totals(&before);
	epoch = tlb_epoch_advance();
	KEXPECT_TRUE(t, epoch_passes_within(epoch, 2000));
	tlb_epoch_wait(epoch); /* returns at once now */
	tlb_ledger_totals(&d);
	tlb_ledger_delta(&d, &before);
	KEXPECT_EQ(t, 0, d.ipis);
	KEXPECT_EQ(t, 0, d.remote_flush);
	KEXPECT_EQ(t, nr_cpus_online, d.epoch_flushes); /* the caller's and one per tick */
}

#define STORM_FLUSHES 10

/* Runs on every CPU at once (interrupts off): each one an initiator. */
static void flush_storm(void *info)
{
	for (int i = 0; i < STORM_FLUSHES; i++)
		flush_tlb_kernel_range(TEST_VA, TEST_VA + (i % 3 + 1) * PAGE_SIZE, FLUSH_TEST);
}

static void initiators_on_every_cpu_make_progress(struct ktest *t)
{
	enum shootdown_protocol saved = shootdown_protocol;
	struct tlb_ledger_totals before, d;
	uint64_t n = nr_cpus_online;

	NEEDS_TWO_CPUS(t);
	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++) {
		shootdown_protocol = (enum shootdown_protocol)p;
		tlb_ledger_totals(&before);
		on_each_cpu(flush_storm, NULL, true);
		tlb_ledger_totals(&d);
		tlb_ledger_delta(&d, &before);
		KEXPECT_EQ(t, n * STORM_FLUSHES, d.remote_flush);
		KEXPECT_EQ(t, n * STORM_FLUSHES * (n - 1), d.remote_flush_received);
	}
	shootdown_protocol = saved;
}

static void stale_tlb_demo_never_stale_after_shootdown(struct ktest *t)
{
	struct tlbdemo_result r;

	NEEDS_TWO_CPUS(t);
	KASSERT_EQ(t, 0, tlbdemo_run(50, &r));
	printk("    # stale without shootdown: %u/%u\n", r.stale_local, r.trials);
	KASSERT_EQ(t, 0, r.stale_shootdown);
}

static void protocol_knob_takes_names_only(struct ktest *t)
{
	enum shootdown_protocol saved = shootdown_protocol;

	KEXPECT_EQ(t, -EINVAL, shootdown_protocol_set("bogus\n"));
	KEXPECT_EQ(t, -EINVAL, shootdown_protocol_set("linu"));
	KEXPECT_EQ(t, saved, shootdown_protocol);
	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++) {
		KEXPECT_EQ(t, 0, shootdown_protocol_set(shootdown_protocol_name(p)));
		KEXPECT_EQ(t, p, shootdown_protocol);
	}
	shootdown_protocol = saved;
}

static const struct ktest_case shootdown_cases[] = {
    KTEST_CASE(every_protocol_invalidates_remote_tlbs),
    KTEST_CASE(counters_are_exact),
    KTEST_CASE(ceiling_switches_between_invlpg_and_full),
    KTEST_CASE(early_ack_long_list_is_counted),
    KTEST_CASE(table_frees_and_bbm_ack_late),
    KTEST_CASE(epochs_pass_without_ipis),
    KTEST_CASE(initiators_on_every_cpu_make_progress),
    KTEST_CASE(stale_tlb_demo_never_stale_after_shootdown),
    KTEST_CASE(protocol_knob_takes_names_only),
    {},
};
DEFINE_KTEST_SUITE(shootdown, shootdown_cases);
