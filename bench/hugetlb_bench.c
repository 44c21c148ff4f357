/*
 * `bench hugetlb`: the headline experiment of the seed's cover letter, on
 * this boot's CPUs. For each HVO flush strategy, with hugetlb_optimize_vmemmap
 * 0 and 1: grow the 2 MiB pool to N pages and shrink it back to 0, after a
 * warm-up, `reps` times; report the median, min and max time of each, the
 * ratio HVO-on / HVO-off, and what each grow sent (shootdown requests, ICR
 * writes, and interrupts the other CPUs took)
 * and saved (KiB of vmemmap per page). Counts are exact under any
 * accelerator; times are whatever clock accel= says.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/cpufeature.h"
#include "bench/bench.h"
#include "kernel/shell.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/page_alloc.h"
#include "mm/tlbflush.h"

#define MAX_REPS 32
#define NR_STRATEGIES 4

struct run_stats {
	struct bench_stats grow, shrink; /* cycles */
	unsigned long got; /* the fewest pages any grow reached */
	uint64_t remote_flushes, ipis, received; /* per grow, last rep */
	uint64_t shrink_remote_flushes, shrink_ipis;
	long saved_kib; /* vmemmap freed per page, KiB */
};

static uint64_t grow_cycles[MAX_REPS], shrink_cycles[MAX_REPS];

/* One timed pool resize; its ledger delta in *d. */
static uint64_t timed_resize(unsigned long n, struct tlb_ledger_totals *d)
{
	struct tlb_ledger_totals before;
	uint64_t t0;

	tlb_ledger_totals(&before);
	t0 = rdtsc_ordered();
	set_max_huge_pages(&default_hstate, n);
	t0 = rdtsc_ordered() - t0;
	tlb_ledger_totals(d);
	tlb_ledger_delta(d, &before);
	return t0;
}

/* Grow and shrink @reps times after a warm-up; false if a grow fell short of @n. */
static bool run_case(unsigned long n, unsigned int reps, struct run_stats *st)
{
	struct tlb_ledger_totals d;
	unsigned long memmap0, memmap1;

	timed_resize(n, &d); /* warm-up: first touch, shared tail page, PMD splits */
	st->got = default_hstate.nr_huge_pages;
	timed_resize(0, &d);
	memmap0 = memmap1 = nr_pages_by_purpose(PURPOSE_VMEMMAP);
	for (unsigned int r = 0; r < reps && st->got == n; r++) {
		grow_cycles[r] = timed_resize(n, &d);
		st->got = MIN(st->got, default_hstate.nr_huge_pages);
		st->remote_flushes = d.remote_flush;
		st->ipis = d.ipis;
		st->received = d.remote_flush_received;
		memmap1 = nr_pages_by_purpose(PURPOSE_VMEMMAP);
		shrink_cycles[r] = timed_resize(0, &d);
		st->shrink_remote_flushes = d.remote_flush;
		st->shrink_ipis = d.ipis;
	}
	if (st->got != n) {
		timed_resize(0, &d); /* a short grow ends the case: the pool goes back to 0 */
		return false;
	}
	st->saved_kib = (long)(memmap0 - memmap1) * 4 / (long)n;
	bench_stats(grow_cycles, reps, &st->grow);
	bench_stats(shrink_cycles, reps, &st->shrink);
	return true;
}

static void print_line(const char *strategy, int hvo, unsigned long n, const struct run_stats *st)
{
	bench_line("hugetlb");
	printk("strategy=%s hvo=%d pages=%lu got=%lu reps=%u grow_median_ns=%lu grow_min_ns=%lu "
	       "grow_max_ns=%lu shrink_median_ns=%lu shrink_min_ns=%lu shrink_max_ns=%lu "
	       "grow_remote_flushes=%lu grow_ipis=%lu grow_received=%lu shrink_remote_flushes=%lu "
	       "shrink_ipis=%lu "
	       "saved_kib_per_page=%ld\n",
	       strategy, hvo, n, st->got, st->grow.n, cycles_to_ns(st->grow.median),
	       cycles_to_ns(st->grow.min), cycles_to_ns(st->grow.max),
	       cycles_to_ns(st->shrink.median), cycles_to_ns(st->shrink.min),
	       cycles_to_ns(st->shrink.max), st->remote_flushes, st->ipis, st->received,
	       st->shrink_remote_flushes, st->shrink_ipis, st->saved_kib);
}

/* "1.23" for a / b, in hundredths. */
static void print_ratio(uint64_t a, uint64_t b)
{
	uint64_t r = b ? a * 100 / b : 0;

	printk("  %4lu.%02lux", r / 100, r % 100);
}

static void print_table_row(const char *strategy, const struct run_stats *off,
			    const struct run_stats *on)
{
	printk("%-9s %9lu %9lu %9lu %9lu", strategy, cycles_to_ns(off->grow.median) / 1000,
	       cycles_to_ns(on->grow.median) / 1000, cycles_to_ns(off->shrink.median) / 1000,
	       cycles_to_ns(on->shrink.median) / 1000);
	print_ratio(on->grow.median, off->grow.median);
	print_ratio(on->shrink.median, off->shrink.median);
	printk(" %8lu %8lu %8lu %6ld\n", on->remote_flushes, on->ipis, on->received, on->saved_kib);
}

/*
 * Every strategy with HVO off and on; false (with the error said) at the
 * first case whose pool fell short of @n pages: times of a pool that did
 * not reach n would compare different work, so there is no result.
 */
static bool run_matrix(unsigned long n, unsigned int reps, struct run_stats st[][2])
{
	for (int s = 0; s < NR_STRATEGIES; s++) {
		const char *name = hugetlb_vmemmap_strategies[s];

		hugetlb_vmemmap_set_strategy(name);
		for (int hvo = 0; hvo < 2; hvo++) {
			hugetlb_optimize_vmemmap = hvo;
			if (!run_case(n, reps, &st[s][hvo])) {
				shell_error("bench: hugetlb: strategy=%s hvo=%d: the pool reached %lu "
					    "of %lu pages (out of memory, or fail_page_alloc "
					    "armed); no result\n",
					    name, hvo, st[s][hvo].got, n);
				return false;
			}
			print_line(name, hvo, n, &st[s][hvo]);
		}
	}
	return true;
}

static int bench_hugetlb(struct bench_args *args)
{
	unsigned long n = bench_arg(args, "pages", 2048, 1, 1UL << 20);
	unsigned int reps = bench_arg(args, "reps", 5, 1, MAX_REPS);
	bool saved_hvo = hugetlb_optimize_vmemmap;
	const char *saved = hugetlb_vmemmap_strategy();
	static struct run_stats st[NR_STRATEGIES][2];
	bool done;

	if (bench_args_done(args))
		return 1;
	if (default_hstate.nr_huge_pages) {
		shell_error("bench: hugetlb: the 2 MiB pool must be empty first (echo 0 > "
			    "/proc/sys/vm/nr_hugepages)\n");
		return 1;
	}
	if (n > nr_free_pages() / 512) {
		shell_error("bench: hugetlb: pages=%lu needs %lu MiB, and %lu MiB are free "
			    "(boot with more MEM, or ask for fewer pages)\n",
			    n, n * 2, nr_free_pages() / 256);
		return 1;
	}
	done = run_matrix(n, reps, st);
	hugetlb_optimize_vmemmap = saved_hvo;
	hugetlb_vmemmap_set_strategy(saved);
	if (!done)
		return 1;

	printk("\n%lu x 2 MiB pages, %d CPUs, accel=%s, median of %u (us; ratio = HVO on/off)\n",
	       n, bench_cpus(), cpu_accel_name(), reps);
	printk("%-9s %9s %9s %9s %9s %8s %8s %8s %8s %8s %6s\n", "strategy", "grow-off",
	       "grow-on", "shrk-off", "shrk-on", "grow", "shrink", "flushes", "IPIs", "irqs",
	       "KiB/pg");
	for (int s = 0; s < NR_STRATEGIES; s++)
		print_table_row(hugetlb_vmemmap_strategies[s], &st[s][0], &st[s][1]);
	return 0;
}
DEFINE_BENCH(hugetlb, "[pages=N] [reps=N]", "the headline experiment: pool grow/shrink x HVO",
	     bench_hugetlb);
