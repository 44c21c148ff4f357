/*
 * The shootdown ledger's arithmetic and views. Counters are plain per-CPU
 * words written by their own CPU with interrupts off (so never torn by a
 * handler on the same CPU), read by anyone; a sum taken while flushes run
 * is a snapshot, exact once they are done.
 */
#include "smp/tlb_ledger.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/tsc.h"
#include "kernel/pseudofs.h"
#include "kernel/shell.h"
#include "smp/cpumask.h"

struct tlb_ledger tlb_ledger[MAX_CPUS];

#define LEDGER_WORDS (sizeof(struct tlb_ledger_totals) / sizeof(uint64_t))

/* The /proc/vmstat line of each cause is tlb_flush_<name>. */
const char *flush_cause_name(enum flush_cause cause)
{
	static const char *const names[NR_FLUSH_CAUSES] = {
	    "vmemmap_split",   "vmemmap_remap",	 "vmemmap_restore",   "test",
	    "other",	       "user",		 "user_freed_tables", "thp_split",
	    "thp_collapse",    "devmem_offline", "hgm_split",	      "hgm_collapse",
	    "zero_page_break", "shmem_unmap",	 "fork_wrprotect",    "cow",
	    "mremap_move",
	};
	return cause < NR_FLUSH_CAUSES ? names[cause] : "?";
}

struct tlb_ledger_totals *tlb_ledger_this(void)
{
	return &tlb_ledger[this_cpu_id()].c;
}

void tlb_ledger_totals(struct tlb_ledger_totals *sum)
{
	uint64_t *out = (uint64_t *)sum;
	int cpu;

	for (unsigned int i = 0; i < LEDGER_WORDS; i++)
		out[i] = 0;
	for_each_online_cpu (cpu) {
		const volatile uint64_t *in = (const volatile uint64_t *)&tlb_ledger[cpu].c;

		for (unsigned int i = 0; i < LEDGER_WORDS; i++)
			out[i] += in[i];
	}
}

void tlb_ledger_delta(struct tlb_ledger_totals *now, const struct tlb_ledger_totals *before)
{
	uint64_t *pn = (uint64_t *)now;
	const uint64_t *pb = (const uint64_t *)before;

	for (unsigned int i = 0; i < LEDGER_WORDS; i++)
		pn[i] -= pb[i];
}

/* Linux's names for Linux's four counters; flushlab's own beside them. */
void tlb_ledger_vmstat(struct seq_buf *s)
{
	struct tlb_ledger_totals t;

	tlb_ledger_totals(&t);
	seq_printf(s, "nr_tlb_remote_flush %lu\n", t.remote_flush);
	seq_printf(s, "nr_tlb_remote_flush_received %lu\n", t.remote_flush_received);
	seq_printf(s, "nr_tlb_local_flush_all %lu\n", t.local_flush_all);
	seq_printf(s, "nr_tlb_local_flush_one %lu\n", t.local_flush_one);
	seq_printf(s, "tlb_ipis_sent %lu\n", t.ipis);
	seq_printf(s, "tlb_wait_cycles %lu\n", t.wait_cycles);
	seq_printf(s, "tlb_epoch_flushes %lu\n", t.epoch_flushes);
	seq_printf(s, "tlb_flush_over_ceiling %lu\n", t.over_ceiling);
	seq_printf(s, "tlb_flush_early_ack_full %lu\n", t.early_ack_full);
	seq_printf(s, "tlb_epoch_nudges %lu\n", t.epoch_nudges);
	seq_printf(s, "tlb_lazy_skipped %lu\n", t.lazy_skipped);
	seq_printf(s, "tlb_lazy_reached %lu\n", t.lazy_reached);
	seq_printf(s, "tlb_flush_late_ack %lu\n", t.late_ack);
	seq_printf(s, "tlb_lazy_catchup %lu\n", t.lazy_catchup);
	seq_printf(s, "tlb_lazy_leave_ipis %lu\n", t.lazy_leave_ipis);
	seq_printf(s, "tlb_switch_cr3 %lu\n", t.switch_cr3);
	seq_printf(s, "tlb_switch_flush %lu\n", t.switch_flush);
	for (int c = 0; c < NR_FLUSH_CAUSES; c++)
		seq_printf(s, "tlb_flush_%s %lu\n", flush_cause_name(c), t.by_cause[c]);
}

static void table_row(struct seq_buf *s, const char *who, const struct tlb_ledger_totals *l)
{
	seq_printf(s, "%-5s %12lu %12lu %10lu %10lu %10lu %14lu %10lu\n", who, l->remote_flush,
		   l->remote_flush_received, l->local_flush_all, l->local_flush_one, l->ipis,
		   l->wait_cycles, l->epoch_flushes);
}

int tlb_ledger_table_show(struct seq_buf *s, void *data)
{
	struct tlb_ledger_totals sum;
	char name[8];
	int cpu;

	seq_printf(s, "%-5s %12s %12s %10s %10s %10s %14s %10s\n", "cpu", "remote_flush",
		   "received", "local_all", "local_one", "ipis", "wait_cycles", "epoch");
	for_each_online_cpu (cpu) {
		snprintf(name, sizeof(name), "%d", cpu);
		table_row(s, name, &tlb_ledger[cpu].c);
	}
	tlb_ledger_totals(&sum);
	table_row(s, "total", &sum);
	return 0;
}

void tlb_ledger_flush_one(uintptr_t va)
{
	uint64_t flags = local_irq_save();

	local_flush_tlb_one(va);
	tlb_ledger_this()->local_flush_one++;
	local_irq_restore(flags);
}

void tlb_ledger_flush_all(void)
{
	uint64_t flags = local_irq_save();

	local_flush_tlb_all();
	tlb_ledger_this()->local_flush_all++;
	local_irq_restore(flags);
}

/* ---- the line `time` prints: the ledger's delta over one command ---- */

static struct tlb_ledger_totals time_before;

/*
 * `time`'s second ledger line: the command's flush calls by cause
 * (/proc/vmstat's tlb_flush_CAUSE names), the causes that happened only;
 * no line when there were none.
 */
static void tlb_ledger_time_causes(const struct tlb_ledger_totals *d)
{
	char line[512];
	int n = 0;

	for (int c = 0; c < NR_FLUSH_CAUSES && n < (int)sizeof(line); c++)
		if (d->by_cause[c])
			n += snprintf(line + n, sizeof(line) - n, " %s=%lu", flush_cause_name(c),
				      d->by_cause[c]);
	if (n)
		shell_error("tlb causes:%s\n", line);
}

/* shell_time_hook: snapshot before (phase 0), print the delta after (phase 1). */
static void tlb_ledger_time_hook(int phase)
{
	struct tlb_ledger_totals d;

	if (phase == 0) {
		tlb_ledger_totals(&time_before);
		return;
	}
	tlb_ledger_totals(&d);
	tlb_ledger_delta(&d, &time_before);
	shell_error("tlb: remote_flush=%lu received=%lu ipis=%lu local_all=%lu local_one=%lu "
		    "wait_us=%lu epoch_flushes=%lu over_ceiling=%lu\n",
		    d.remote_flush, d.remote_flush_received, d.ipis, d.local_flush_all,
		    d.local_flush_one, cycles_to_ns(d.wait_cycles) / 1000, d.epoch_flushes,
		    d.over_ceiling);
	tlb_ledger_time_causes(&d);
}

void tlb_ledger_time_init(void)
{
	shell_time_hook = tlb_ledger_time_hook;
}
