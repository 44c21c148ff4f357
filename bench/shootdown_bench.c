/*
 * `bench shootdown`: what one flush_tlb_kernel_range costs its initiator
 * on every online CPU, for 1, 8, 33, 34 and 512 pages (33 is Linux's
 * ceiling, 34 the first full flush), under each shootdown protocol; with
 * the IPIs and acknowledgements per operation from the ledger delta.
 */
#include "arch/x86_64/cpu.h"
#include "flushlab/layout.h"
#include "arch/x86_64/tsc.h"
#include "bench/bench.h"
#include "smp/tlbflush.h"
#include "smp/shootdown.h"

#define MAX_SAMPLES 4096
/* Never mapped: the flush costs the same, and no large page makes TCG's INVLPG a full flush. */
#define BENCH_VA (SCRATCH_BASE + 32 * GiB)

static uint64_t samples[MAX_SAMPLES];
static const unsigned int page_counts[] = {1, 8, 33, 34, 512};

static void measure(unsigned long pages, unsigned int iters, struct bench_stats *st,
		    struct tlb_ledger_totals *d)
{
	struct tlb_ledger_totals before;
	uintptr_t end = BENCH_VA + pages * 4096;

	for (int i = 0; i < 4; i++) /* warm up: lines, soft-TLB, the handler's code */
		flush_tlb_kernel_range(BENCH_VA, end, FLUSH_TEST);
	tlb_ledger_totals(&before);
	for (unsigned int i = 0; i < iters; i++) {
		uint64_t t0 = rdtsc_ordered();

		flush_tlb_kernel_range(BENCH_VA, end, FLUSH_TEST);
		samples[i] = rdtsc_ordered() - t0;
	}
	tlb_ledger_totals(d);
	tlb_ledger_delta(d, &before);
	bench_stats(samples, iters, st);
}

/* @count / @iters with two decimals, into @buf. */
static const char *per_op(char *buf, size_t size, uint64_t count, unsigned int iters)
{
	uint64_t x100 = count * 100 / iters;

	snprintf(buf, size, "%lu.%02lu", x100 / 100, x100 % 100);
	return buf;
}

static void report(enum shootdown_protocol p, unsigned int pages, unsigned int iters, bool pause,
		   const struct bench_stats *st, const struct tlb_ledger_totals *d)
{
	char ipis[24], acks[24];

	per_op(ipis, sizeof(ipis), d->ipis, iters);
	per_op(acks, sizeof(acks), d->remote_flush_received, iters);
	printk("%-11s %5u %12lu %12lu %12lu %10lu %7s %7s\n", shootdown_protocol_name(p), pages,
	       st->median, st->min, st->max, cycles_to_ns(st->median), ipis, acks);
	bench_line("shootdown");
	printk("protocol=%s pages=%u pause=%d iters=%u median_cycles=%lu min_cycles=%lu "
	       "max_cycles=%lu median_ns=%lu min_ns=%lu max_ns=%lu ipis=%s acks=%s "
	       "requests=%lu local_one=%lu local_all=%lu\n",
	       shootdown_protocol_name(p), pages, pause, iters, st->median, st->min, st->max,
	       cycles_to_ns(st->median), cycles_to_ns(st->min), cycles_to_ns(st->max), ipis, acks,
	       d->remote_flush, d->local_flush_one, d->local_flush_all);
}

static int bench_shootdown(struct bench_args *args)
{
	enum shootdown_protocol saved = shootdown_protocol;
	bool saved_pause = shootdown_spin_pause;
	unsigned int iters = bench_arg(args, "iters", 200, 1, MAX_SAMPLES);
	bool pause = bench_arg(args, "pause", saved_pause, 0, 1);
	struct tlb_ledger_totals d;
	struct bench_stats st;

	if (bench_args_done(args))
		return 1;
	WRITE_ONCE(shootdown_spin_pause, pause);
	printk("%-11s %5s %12s %12s %12s %10s %7s %7s\n", "protocol", "pages", "median cyc",
	       "min cyc", "max cyc", "median ns", "ipis/op", "acks/op");
	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++) {
		WRITE_ONCE(shootdown_protocol, (enum shootdown_protocol)p);
		for (unsigned int i = 0; i < ARRAY_SIZE(page_counts); i++) {
			measure(page_counts[i], iters, &st, &d);
			report(p, page_counts[i], iters, pause, &st, &d);
		}
	}
	WRITE_ONCE(shootdown_protocol, saved);
	WRITE_ONCE(shootdown_spin_pause, saved_pause);
	return 0;
}
DEFINE_BENCH(shootdown, "[iters=N] [pause=0|1]",
	     "initiator cost of a kernel-range shootdown, per protocol and page count",
	     bench_shootdown);
