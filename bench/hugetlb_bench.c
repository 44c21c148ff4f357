/*
 * `bench hugetlb`: the headline experiment of the seed's cover letter, on
 * this boot's CPUs, with its factors kept apart. Grow the 2 MiB pool to N
 * pages and shrink it back to 0, after a warm-up, `reps` times: once with
 * HVO off (the control: no knob matters then), then with HVO on for every
 * flush strategy x struct-page init form (Linux's `full`, and `unshared`),
 * under one restore form. Rows with init=full compare flush strategies
 * alone; rows of one strategy compare init forms alone. Each line reports
 * the median, min and max time, the ratio to HVO off, and what each grow
 * sent (shootdown requests, ICR writes, interrupts the other CPUs took,
 * requests the ceiling made full flushes) and saved (KiB of vmemmap per
 * page). Counts are exact under any accelerator; times are whatever clock
 * accel= says.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tsc.h"
#include "bench/bench.h"
#include "kernel/shell.h"
#include "kernel/tlbmodel.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"

#define MAX_REPS 32
#define NR_STRATEGIES 4
#define NR_INITS 2
#define INIT_BOTH NR_INITS /* init=both: the default */

struct run_stats {
	struct bench_stats grow, shrink; /* cycles */
	unsigned long got;		 /* the fewest pages any grow reached */
	uint64_t remote_flushes, ipis, received, over_ceiling; /* per grow, last rep */
	uint64_t shrink_remote_flushes, shrink_ipis;
	long saved_kib; /* vmemmap freed per page, KiB */
};

/* The matrix: HVO off once, then [init][strategy] with HVO on. */
struct hugetlb_matrix {
	unsigned long pages;
	unsigned int reps;
	int init; /* an index into hugetlb_vmemmap_inits, or INIT_BOTH */
	struct run_stats off, on[NR_INITS][NR_STRATEGIES];
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

/*
 * Grow and shrink @reps times after a warm-up; false if a grow fell short of
 * @n. The timed repetitions are the TLB model's phase @phase (kernel/tlbmodel.h).
 */
static bool run_case(unsigned long n, unsigned int reps, struct run_stats *st, const char *phase)
{
	struct tlb_ledger_totals d;
	unsigned long memmap0, memmap1;

	timed_resize(n, &d); /* warm-up: first touch, shared tail page, PMD splits */
	st->got = default_hstate.nr_huge_pages;
	timed_resize(0, &d);
	memmap0 = memmap1 = nr_pages_by_purpose(PURPOSE_VMEMMAP);
	tlbmodel_phase_begin(phase);
	for (unsigned int r = 0; r < reps && st->got == n; r++) {
		grow_cycles[r] = timed_resize(n, &d);
		st->got = MIN(st->got, default_hstate.nr_huge_pages);
		st->remote_flushes = d.remote_flush;
		st->ipis = d.ipis;
		st->received = d.remote_flush_received;
		st->over_ceiling = d.over_ceiling;
		memmap1 = nr_pages_by_purpose(PURPOSE_VMEMMAP);
		shrink_cycles[r] = timed_resize(0, &d);
		st->shrink_remote_flushes = d.remote_flush;
		st->shrink_ipis = d.ipis;
	}
	tlbmodel_phase_end(phase);
	if (st->got != n) {
		timed_resize(0, &d); /* a short grow ends the case: the pool goes back to 0 */
		return false;
	}
	st->saved_kib = (long)(memmap0 - memmap1) * 4 / (long)n;
	bench_stats(grow_cycles, reps, &st->grow);
	bench_stats(shrink_cycles, reps, &st->shrink);
	return true;
}

static void print_line(const char *strategy, const char *init, int hvo,
		       const struct hugetlb_matrix *m, const struct run_stats *st)
{
	bench_line("hugetlb");
	printk("strategy=%s init=%s restore=%s hvo=%d pages=%lu got=%lu reps=%u "
	       "grow_median_ns=%lu grow_min_ns=%lu grow_max_ns=%lu shrink_median_ns=%lu "
	       "shrink_min_ns=%lu shrink_max_ns=%lu grow_remote_flushes=%lu grow_ipis=%lu "
	       "grow_received=%lu grow_over_ceiling=%lu shrink_remote_flushes=%lu "
	       "shrink_ipis=%lu saved_kib_per_page=%ld\n",
	       strategy, init, hvo ? hugetlb_vmemmap_restore_form() : "none", hvo, m->pages,
	       st->got, st->grow.n, cycles_to_ns(st->grow.median), cycles_to_ns(st->grow.min),
	       cycles_to_ns(st->grow.max), cycles_to_ns(st->shrink.median),
	       cycles_to_ns(st->shrink.min), cycles_to_ns(st->shrink.max), st->remote_flushes,
	       st->ipis, st->received, st->over_ceiling, st->shrink_remote_flushes, st->shrink_ipis,
	       st->saved_kib);
}

/* One case under the current knobs; false (with the error said) if it fell short. */
static bool measure(struct hugetlb_matrix *m, const char *strategy, const char *init, int hvo,
		    struct run_stats *st)
{
	char phase[64];

	snprintf(phase, sizeof(phase), hvo ? "hugetlb-%s-%s" : "hugetlb-off", strategy, init);
	hugetlb_optimize_vmemmap = hvo;
	if (!run_case(m->pages, m->reps, st, phase)) {
		/* Times of a pool that did not reach n would compare different work. */
		shell_error("bench: hugetlb: strategy=%s init=%s hvo=%d: the pool reached %lu of "
			    "%lu pages (out of memory, or fail_page_alloc armed); no result\n",
			    strategy, init, hvo, st->got, m->pages);
		return false;
	}
	print_line(strategy, init, hvo, m, st);
	return true;
}

static bool init_selected(const struct hugetlb_matrix *m, int i)
{
	return m->init == INIT_BOTH || m->init == i;
}

/* The control, then every init x strategy with HVO on; false at the first short case. */
static bool run_matrix(struct hugetlb_matrix *m)
{
	if (!measure(m, "none", "none", 0, &m->off))
		return false;
	for (int i = 0; i < NR_INITS; i++) {
		if (!init_selected(m, i))
			continue;
		hugetlb_vmemmap_set_init(hugetlb_vmemmap_inits[i]);
		for (int s = 0; s < NR_STRATEGIES; s++) {
			hugetlb_vmemmap_set_strategy(hugetlb_vmemmap_strategies[s]);
			if (!measure(m, hugetlb_vmemmap_strategies[s], hugetlb_vmemmap_inits[i], 1,
				     &m->on[i][s]))
				return false;
		}
	}
	return true;
}

/* "1.23x" for a / b, in hundredths. */
static void print_ratio(uint64_t a, uint64_t b)
{
	uint64_t r = b ? a * 100 / b : 0;

	printk("  %4lu.%02lux", r / 100, r % 100);
}

static void print_table(const struct hugetlb_matrix *m)
{
	const struct run_stats *off = &m->off;

	printk("\n%lu x 2 MiB pages, %d CPUs, accel=%s, median of %u, restore=%s "
	       "(us; ratio = HVO on / HVO off)\n",
	       m->pages, bench_cpus(), cpu_accel_name(), m->reps, hugetlb_vmemmap_restore_form());
	printk("HVO off: grow %lu us [%lu-%lu], shrink %lu us [%lu-%lu]\n",
	       cycles_to_ns(off->grow.median) / 1000, cycles_to_ns(off->grow.min) / 1000,
	       cycles_to_ns(off->grow.max) / 1000, cycles_to_ns(off->shrink.median) / 1000,
	       cycles_to_ns(off->shrink.min) / 1000, cycles_to_ns(off->shrink.max) / 1000);
	printk("%-9s %-9s %9s %9s %8s %8s %8s %8s %8s %6s %6s\n", "strategy", "init", "grow-on",
	       "shrk-on", "grow", "shrink", "flushes", "IPIs", "irqs", "full", "KiB/pg");
	for (int i = 0; i < NR_INITS; i++) {
		if (!init_selected(m, i))
			continue;
		for (int s = 0; s < NR_STRATEGIES; s++) {
			const struct run_stats *on = &m->on[i][s];

			printk("%-9s %-9s %9lu %9lu", hugetlb_vmemmap_strategies[s],
			       hugetlb_vmemmap_inits[i], cycles_to_ns(on->grow.median) / 1000,
			       cycles_to_ns(on->shrink.median) / 1000);
			print_ratio(on->grow.median, off->grow.median);
			print_ratio(on->shrink.median, off->shrink.median);
			printk(" %8lu %8lu %8lu %6lu %6ld\n", on->remote_flushes, on->ipis,
			       on->received, on->over_ceiling, on->saved_kib);
		}
	}
	printk("(full: shootdowns per grow that listed more pages than the ceiling, %lu, and "
	       "became full flushes)\n",
	       tlb_single_page_flush_ceiling);
}

/* Refuse what cannot give a result: a pool in use, or not enough memory. */
static bool can_run(unsigned long n)
{
	if (default_hstate.nr_huge_pages) {
		shell_error("bench: hugetlb: the 2 MiB pool must be empty first (echo 0 > "
			    "/proc/sys/vm/nr_hugepages)\n");
		return false;
	}
	if (n > nr_free_pages() / 512) {
		shell_error("bench: hugetlb: pages=%lu needs %lu MiB, and %lu MiB are free "
			    "(boot with more MEM, or ask for fewer pages)\n",
			    n, n * 2, nr_free_pages() / 256);
		return false;
	}
	return true;
}

static const char *const init_choices[] = {"full", "unshared", "both", NULL};

static int bench_hugetlb(struct bench_args *args)
{
	static struct hugetlb_matrix m;
	bool saved_hvo = hugetlb_optimize_vmemmap, done;
	const char *saved_strategy = hugetlb_vmemmap_strategy();
	const char *saved_init = hugetlb_vmemmap_init_form();
	const char *saved_restore = hugetlb_vmemmap_restore_form();
	int restore;

	m.pages = bench_arg(args, "pages", 2048, 1, 1UL << 20);
	m.reps = bench_arg(args, "reps", 5, 1, MAX_REPS);
	m.init = bench_arg_choice(args, "init", init_choices, INIT_BOTH);
	restore = bench_arg_choice(args, "restore", hugetlb_vmemmap_restores, -1);
	if (bench_args_done(args) || !can_run(m.pages))
		return 1;
	if (restore >= 0)
		hugetlb_vmemmap_set_restore(hugetlb_vmemmap_restores[restore]);
	done = run_matrix(&m);
	if (done)
		print_table(&m);
	hugetlb_optimize_vmemmap = saved_hvo;
	hugetlb_vmemmap_set_strategy(saved_strategy);
	hugetlb_vmemmap_set_init(saved_init);
	hugetlb_vmemmap_set_restore(saved_restore);
	return done ? 0 : 1;
}
DEFINE_BENCH(hugetlb, "[pages=N] [reps=N] [init=full|unshared|both] [restore=copy|dissolve]",
	     "the headline experiment: pool grow/shrink, HVO off vs on, strategy x init",
	     bench_hugetlb);
