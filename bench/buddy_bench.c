/*
 * `bench buddy`: what one allocate+free pair costs in the buddy allocator,
 * for order 0 (a page-table page, a vmemmap page) and order 9 (a 2 MiB
 * hugetlb page). Each sample is one pair timed with the TSC; the table and
 * "# bench" lines give median, min and max in cycles and ns.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "bench/bench.h"
#include "mm/page_alloc.h"

#define MAX_SAMPLES 4096

static uint64_t samples[MAX_SAMPLES];

/* Returns the number of samples taken (fewer if memory ran out). */
static unsigned int measure(unsigned int order, unsigned int iters)
{
	for (unsigned int i = 0; i < iters; i++) {
		uint64_t t0 = rdtsc_ordered();
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

		if (!page)
			return i;
		__free_pages(page, order);
		samples[i] = rdtsc_ordered() - t0;
	}
	return iters;
}

static int bench_buddy(struct bench_args *args)
{
	unsigned int iters = bench_arg(args, "iters", 1000, 1, MAX_SAMPLES);
	unsigned int orders[] = {0, 9};
	struct bench_stats st;

	if (bench_args_done(args))
		return 1;
	printk("%-6s %8s %14s %14s %14s %12s\n", "order", "samples", "median cycles", "min cycles",
	       "max cycles", "median ns");
	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		measure(orders[i], 16); /* warm up: free lists and caches */
		bench_stats(samples, measure(orders[i], iters), &st);
		printk("%-6u %8u %14lu %14lu %14lu %12lu\n", orders[i], st.n, st.median, st.min,
		       st.max, cycles_to_ns(st.median));
		bench_line("buddy");
		printk("order=%u iters=%u median_cycles=%lu min_cycles=%lu max_cycles=%lu "
		       "median_ns=%lu\n",
		       orders[i], st.n, st.median, st.min, st.max, cycles_to_ns(st.median));
	}
	return 0;
}
DEFINE_BENCH(buddy, "[iters=N]", "allocate+free cost, order 0 and 9", bench_buddy);
