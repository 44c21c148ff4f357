/*
 * `bench devdax`: what a device-dax instance's struct pages cost at each
 * align, in one boot: create (online: build the vmemmap) and destroy
 * (offline) `reps` times, timed, with the frames and page tables the vmemmap
 * took and the flushes each step made. align=4096 gives every struct page a
 * frame of its own; 2 MiB and 1 GiB build compound pages born deduplicated
 * (memmap=dedup) or fully populated (memmap=full), so both can be compared.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "bench/bench.h"
#include "flushlab/layout.h"
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/devmem.h"
#include "smp/tlbflush.h"

#define MAX_REPS 16

static const unsigned long aligns[] = {PAGE_SIZE, PMD_SIZE, PUD_SIZE};
static const char *const memmaps[] = {"dedup", "full", NULL};

struct devdax_row {
	unsigned long align, memmap_pages, pgtable_pages;
	struct bench_stats online, offline,
	    memmap; /* ns; memmap: the vmemmap build inside online */
	uint64_t online_flushes, offline_flushes, offline_shootdowns;
	int err;
};

/* A size with a K/M/G/T suffix (parse_size), else @dflt. */
static uint64_t size_arg(struct bench_args *args, const char *key, uint64_t dflt)
{
	size_t klen = strlen(key);
	unsigned long long v;

	for (int i = 0; i < args->argc; i++) {
		if (strncmp(args->argv[i], key, klen) || args->argv[i][klen] != '=')
			continue;
		args->used[i] = true;
		if (parse_size(args->argv[i] + klen + 1, &v) || !v) {
			shell_error("bench: %s: not a size\n", args->argv[i]);
			args->bad = true;
			return dflt;
		}
		return v;
	}
	return dflt;
}

static uint64_t flush_calls(const struct tlb_ledger_totals *d)
{
	uint64_t n = 0;

	for (int c = 0; c < NR_FLUSH_CAUSES; c++)
		n += d->by_cause[c];
	return n;
}

/* One create + destroy; times in ns into @on/@off. */
static int one_cycle(struct devdax_create *req, struct devdax_row *row, uint64_t *on, uint64_t *off,
		     uint64_t *memmap)
{
	struct tlb_ledger_totals l0, l1;
	struct dev_dax *d;
	uint64_t t0;
	int ret;

	tlb_ledger_totals(&l0);
	t0 = rdtsc_ordered();
	ret = devdax_create(req, &d);
	*on = cycles_to_ns(rdtsc_ordered() - t0);
	tlb_ledger_totals(&l1);
	if (ret)
		return ret;
	tlb_ledger_delta(&l1, &l0);
	row->online_flushes = flush_calls(&l1);
	row->memmap_pages = d->memmap_pages;
	*memmap = d->memmap_ns;
	row->pgtable_pages = d->pgtable_pages;
	tlb_ledger_totals(&l0);
	t0 = rdtsc_ordered();
	ret = devdax_destroy(d->name);
	*off = cycles_to_ns(rdtsc_ordered() - t0);
	tlb_ledger_totals(&l1);
	tlb_ledger_delta(&l1, &l0);
	row->offline_flushes = flush_calls(&l1);
	row->offline_shootdowns = l1.remote_flush;
	return ret;
}

static void run_row(struct devdax_create *req, unsigned int reps, struct devdax_row *row)
{
	uint64_t on[MAX_REPS], off[MAX_REPS], mm[MAX_REPS];

	row->align = req->align;
	row->err = 0;
	for (unsigned int r = 0; r < reps && !row->err; r++)
		row->err = one_cycle(req, row, &on[r], &off[r], &mm[r]);
	if (row->err)
		return;
	bench_stats(on, reps, &row->online);
	bench_stats(off, reps, &row->offline);
	bench_stats(mm, reps, &row->memmap);
}

static void print_line(const struct devdax_row *r, const struct devdax_create *req,
		       unsigned int reps)
{
	bench_line("devdax");
	printk("region=%s size=%lu align=%lu memmap=%s reps=%u memmap_kib=%lu pgtable_kib=%lu "
	       "online_ns=%lu online_ns_min=%lu online_ns_max=%lu offline_ns=%lu "
	       "offline_ns_min=%lu offline_ns_max=%lu memmap_ns=%lu memmap_ns_min=%lu "
	       "memmap_ns_max=%lu vmemmap_flushes=%lu offline_flushes=%lu offline_shootdowns=%lu\n",
	       devmem_regions[req->region].source, req->size, r->align,
	       r->align == 4096 ? "4k" : memmaps[req->memmap], reps, r->memmap_pages * 4,
	       r->pgtable_pages * 4, r->online.median, r->online.min, r->online.max,
	       r->offline.median, r->offline.min, r->offline.max, r->memmap.median, r->memmap.min,
	       r->memmap.max, r->online_flushes, r->offline_flushes, r->offline_shootdowns);
}

static void print_table(const struct devdax_row *rows, int n, uint64_t size)
{
	shell_printf("\ndevice-dax, %lu MiB: struct pages and their cost, medians\n", size >> 20);
	shell_printf("%-10s %14s %12s %12s %12s %12s %8s %8s\n", "align", "memmap KiB",
		     "pgtable KiB", "online ms", "(memmap ms)", "offline ms", "fl on", "fl off");
	for (int i = 0; i < n; i++) {
		const struct devdax_row *r = &rows[i];

		if (r->err)
			continue;
		shell_printf("%-10lu %14lu %12lu %8lu.%03lu %8lu.%03lu %8lu.%03lu %8lu %8lu\n",
			     r->align, r->memmap_pages * 4, r->pgtable_pages * 4,
			     r->online.median / 1000000, r->online.median / 1000 % 1000,
			     r->memmap.median / 1000000, r->memmap.median / 1000 % 1000,
			     r->offline.median / 1000000, r->offline.median / 1000 % 1000,
			     r->online_flushes, r->offline_flushes);
	}
}

static int devdax_bench(struct bench_args *args)
{
	struct devdax_create req = {0};
	unsigned long align = bench_arg(args, "align", 0, 0, PUD_SIZE);
	unsigned int reps = bench_arg(args, "reps", 3, 1, MAX_REPS);
	struct devdax_row rows[ARRAY_SIZE(aligns)];
	int n = 0, failed = 0;

	req.size = size_arg(args, "size", GiB);
	req.region = bench_arg(args, "region", 0, 0, DEVMEM_MAX_REGIONS - 1);
	req.memmap = bench_arg_choice(args, "memmap", memmaps, DAX_MEMMAP_DEDUP);
	if (bench_args_done(args))
		return 1;
	if (req.region >= devmem_nr_regions) {
		shell_error("bench devdax: no region %d (daxctl list)\n", req.region);
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		if (align && align != aligns[i])
			continue;
		req.align = aligns[i];
		run_row(&req, reps, &rows[n]);
		if (rows[n].err) {
			shell_error("bench devdax: align=%lu: %s\n", aligns[i],
				    errstr(-rows[n].err));
			failed++;
		} else {
			print_line(&rows[n], &req, reps);
		}
		n++;
	}
	if (!n) {
		shell_error(
		    "bench devdax: align=%lu: Invalid argument (4096, 2097152 or 1073741824)\n",
		    align);
		return 1;
	}
	print_table(rows, n, req.size);
	return failed != 0;
}
DEFINE_BENCH(devdax, "size=S align=A memmap=dedup|full region=R reps=N",
	     "create and destroy a device-dax instance: memmap cost, online/offline time, flushes",
	     devdax_bench);
