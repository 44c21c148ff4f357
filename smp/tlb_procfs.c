/*
 * The shootdown engine's pseudo-files: Linux's
 * /sys/kernel/debug/x86/tlb_single_page_flush_ceiling, and flushlab's own
 * knobs and per-CPU ledger under /sys/kernel/debug/flushlab/; plus the
 * ledger line `time` prints.
 */
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tsc.h"
#include "kernel/procfs.h"
#include "kernel/pseudofs.h"
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "smp/shootdown.h"
#include "smp/smp.h"
#include "smp/tlb_ledger.h"
#include "smp/tlbdemo.h"
#include "smp/tlbflush.h"
#include "smp/tlbflush_priv.h"

static struct tlb_ledger_totals time_before;

/*
 * The flush calls by cause that the command made, the causes with none
 * left out: `tlb: causes user=3 shmem_unmap=1` (nothing printed if none).
 */
static void time_print_causes(const struct tlb_ledger_totals *d)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "tlb: causes");
	bool any = false;

	for (int c = 0; c < NR_FLUSH_CAUSES && n < (int)sizeof(line); c++) {
		if (!d->by_cause[c])
			continue;
		n += snprintf(line + n, sizeof(line) - n, " %s=%lu", flush_cause_name(c),
			      (unsigned long)d->by_cause[c]);
		any = true;
	}
	if (any)
		shell_error("%s\n", line);
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
	time_print_causes(&d);
}

static int ceiling_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%lu\n", READ_ONCE(tlb_single_page_flush_ceiling));
	return 0;
}

/* As Linux's tlbflush_write_file: kstrtol base 0; any error or a negative is -EINVAL. */
static int ceiling_store(const char *buf, size_t len, void *data)
{
	long v;

	if (kstrtol(buf, 0, &v) || v < 0)
		return -EINVAL;
	WRITE_ONCE(tlb_single_page_flush_ceiling, (unsigned long)v);
	return 0;
}

/* `linux broadcast concurrent early_ack [cacheline]`, as Linux shows a choice. */
static int protocol_show(struct seq_buf *s, void *data)
{
	enum shootdown_protocol cur = READ_ONCE(shootdown_protocol);

	for (int p = 0; p < NR_SHOOTDOWN_PROTOCOLS; p++)
		seq_printf(s, p == (int)cur ? "%s[%s]" : "%s%s", p ? " " : "",
			   shootdown_protocol_name(p));
	seq_printf(s, "\n");
	return 0;
}

static int protocol_store(const char *buf, size_t len, void *data)
{
	return shootdown_protocol_set(buf);
}

static int spin_pause_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%d\n", READ_ONCE(shootdown_spin_pause) ? 1 : 0);
	return 0;
}

static int spin_pause_store(const char *buf, size_t len, void *data)
{
	bool v;
	int ret = kstrtobool(buf, &v);

	if (!ret)
		WRITE_ONCE(shootdown_spin_pause, v);
	return ret;
}

/* PCIDs: the boot's decision, then each CPU's slot counters (smp/asid.h). */
static int pcid_show(struct seq_buf *s, void *data)
{
	int cpu;

	seq_printf(s, "pcid: %s\nasids_per_cpu: %d\ninvpcid: %s\n", tlb_pcid_mode,
		   tlb_pcid_on ? TLB_NR_DYN_ASIDS : 0, cpu_features.invpcid ? "yes" : "no");
	if (!tlb_pcid_on)
		return 0;
	seq_printf(s, "cpu hits hits_noflush evictions deferred invpcid_other forgotten\n");
	for_each_online_cpu (cpu) {
		const struct asid_cpu *a = tlb_pcid_state(cpu);

		seq_printf(s, "%d %lu %lu %lu %lu %lu %lu\n", cpu, a->hits, a->hits_noflush,
			   a->evictions, a->deferred, a->other_flushed, a->forgotten);
	}
	return 0;
}

#define FLUSHLAB_DIR "/sys/kernel/debug/flushlab/"

static struct pseudo_file tlb_files[] = {
    {.path = "/sys/kernel/debug/x86/tlb_single_page_flush_ceiling",
     .show = ceiling_show,
     .store = ceiling_store},
    {.path = FLUSHLAB_DIR "shootdown_protocol", .show = protocol_show, .store = protocol_store},
    {.path = FLUSHLAB_DIR "shootdown_spin_pause",
     .show = spin_pause_show,
     .store = spin_pause_store},
    {.path = FLUSHLAB_DIR "tlb_ledger", .show = tlb_ledger_table_show},
    {.path = FLUSHLAB_DIR "pcid", .show = pcid_show},
    {.path = FLUSHLAB_DIR "tlbdemo_local_only",
     .show = tlbdemo_local_only_show,
     .store = tlbdemo_local_only_store},
};

void procfs_tlb_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(tlb_files); i++)
		pseudofs_register(&tlb_files[i]);
	shell_time_hook = tlb_ledger_time_hook;
}
