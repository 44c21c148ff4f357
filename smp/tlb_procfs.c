/*
 * The shootdown engine's pseudo-files: Linux's
 * /sys/kernel/debug/x86/tlb_single_page_flush_ceiling, and flushlab's own
 * knobs and per-CPU ledger under /sys/kernel/debug/flushlab/.
 */
#include "arch/x86_64/cpufeature.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "smp/shootdown.h"
#include "smp/smp.h"
#include "smp/tlb_ledger.h"
#include "smp/tlbflush.h"
#include "smp/tlbflush_priv.h"

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
static const char *protocol_name(int p)
{
	return shootdown_protocol_name(p);
}

static const struct pseudo_choice protocol_choice = {
    .name = protocol_name, .nr = NR_SHOOTDOWN_PROTOCOLS, .value = (int *)&shootdown_protocol};

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

DEFINE_PSEUDO_FILE(ceiling_file, "/sys/kernel/debug/x86/tlb_single_page_flush_ceiling",
		   ceiling_show, ceiling_store, 0644);
DEFINE_PSEUDO_CHOICE(protocol_file, FLUSHLAB_DIR "shootdown_protocol", &protocol_choice);
DEFINE_PSEUDO_FILE(spin_pause_file, FLUSHLAB_DIR "shootdown_spin_pause", spin_pause_show,
		   spin_pause_store, 0644);
DEFINE_PSEUDO_FILE(ledger_file, FLUSHLAB_DIR "tlb_ledger", tlb_ledger_table_show, NULL, 0444);
DEFINE_PSEUDO_FILE(pcid_file, FLUSHLAB_DIR "pcid", pcid_show, NULL, 0444);
