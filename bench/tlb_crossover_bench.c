/*
 * `bench tlb_crossover`: the experiment Linux's tlb_single_page_flush_ceiling
 * (33) rests on. A working set of @ws 4 KiB pages (non-global, like user
 * memory) is touched; then N of its pages are flushed, either by N INVLPGs
 * or by one full non-global flush (a CR3 reload, as flush_tlb_mm_range does
 * above the ceiling), and the whole working set is touched again. The time
 * is TCG's and says little; the point is the TLB model's phase lines
 * (`crossover-wsW-nN-invlpg|full`, TLBMODEL=PRESET): the walks each way
 * cost, from which tools/tlbmodel_crossover.py finds the N where one full
 * flush gets cheaper than N INVLPGs. Local flushes only: no IPI.
 */
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/tsc.h"
#include "bench/bench.h"
#include "flushlab/layout.h"
#include "kernel/tlbmodel.h"
#include "lib/errno.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"

/* 17 GiB into the scratch region: tlbdemo uses 16, bench shootdown 32. */
#define XOVER_VA (SCRATCH_BASE + 17 * GiB)
#define MAX_WS 4096

static struct page *pages[MAX_WS];
static const unsigned int counts[] = {1, 2, 4, 8, 12, 16, 24, 33, 48, 64, 96, 128, 256};

static void touch(unsigned long ws)
{
	for (unsigned long i = 0; i < ws; i++)
		(void)*(volatile uint64_t *)(XOVER_VA + i * PAGE_SIZE);
}

static void one_case(unsigned long ws, unsigned long n, bool full, unsigned int reps)
{
	char phase[48];
	uint64_t t0, flags;

	snprintf(phase, sizeof(phase), "crossover-ws%lu-n%lu-%s", ws, n, full ? "full" : "invlpg");
	flags = local_irq_save(); /* one CPU's TLB, nothing else running on it */
	touch(ws);
	tlbmodel_phase_begin(phase);
	t0 = rdtsc_ordered();
	for (unsigned int r = 0; r < reps; r++) {
		if (full)
			local_flush_tlb_nonglobal();
		else
			for (unsigned long i = 0; i < n; i++)
				local_flush_tlb_one(XOVER_VA + i * PAGE_SIZE);
		touch(ws);
	}
	t0 = rdtsc_ordered() - t0;
	tlbmodel_phase_end(phase);
	local_irq_restore(flags);
	bench_line("tlb_crossover");
	printk("ws=%lu n=%lu mode=%s reps=%u ns_per_rep=%lu\n", ws, n, full ? "full" : "invlpg",
	       reps, cycles_to_ns(t0) / reps);
}

static void unmap(unsigned long ws)
{
	for (unsigned long i = 0; i < ws; i++) {
		arch_mmu_unmap(XOVER_VA + i * PAGE_SIZE, PG_LEVEL_4K);
		__free_page(pages[i]);
	}
	local_flush_tlb_all(); /* no other CPU touched the range: a local flush suffices */
}

static int map(unsigned long ws)
{
	for (unsigned long i = 0; i < ws; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[i] ||
		    arch_mmu_map(XOVER_VA + i * PAGE_SIZE, PFN_PHYS(page_to_pfn(pages[i])),
				 PG_LEVEL_4K, MMU_WRITE)) {
			if (pages[i])
				__free_page(pages[i]);
			unmap(i);
			return -ENOMEM;
		}
	}
	return 0;
}

static int run(struct bench_args *args)
{
	unsigned long ws = bench_arg(args, "ws", 64, 1, MAX_WS);
	unsigned long max = bench_arg(args, "max", 128, 1, 4096);
	unsigned int reps = (unsigned int)bench_arg(args, "reps", 8, 1, 1000);

	if (bench_args_done(args))
		return 1;
	if (map(ws)) {
		printk("bench: tlb_crossover: ws=%lu: out of memory\n", ws);
		return 1;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(counts) && counts[i] <= max && counts[i] <= ws;
	     i++) {
		one_case(ws, counts[i], false, reps);
		one_case(ws, counts[i], true, reps);
	}
	unmap(ws);
	return 0;
}
DEFINE_BENCH(tlb_crossover, "[ws=64] [max=128] [reps=8]",
	     "N INVLPGs vs one full flush over a working set (for the TLB model)", run);
