/*
 * /proc/cpuinfo in Linux's shape: one block per CPU with "processor : N" and
 * the fields a reader of Linux's file looks for first, for every online CPU
 * (the feature flags are the boot CPU's: every CPU here is the same model);
 * and /sys/kernel/debug/x86/tsc_calibration: where "cpu MHz" came from.
 */
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tsc.h"
#include "kernel/pseudofs.h"
#include "lib/kernel.h"
#include "smp/smp.h"

static void flag(struct seq_buf *s, bool present, const char *name)
{
	if (present)
		seq_printf(s, " %s", name);
}

static int cpuinfo_show(struct seq_buf *s, void *data)
{
	const struct cpu_features *f = &cpu_features;
	int cpu;

	for_each_online_cpu (cpu) {
		seq_printf(s, "processor\t: %d\n", cpu);
		seq_printf(s, "vendor_id\t: %s\n", f->vendor);
		seq_printf(s, "model name\t: %s\n", f->brand);
		seq_printf(s, "cpu MHz\t\t: %lu.%03lu\n", tsc_khz / 1000, tsc_khz % 1000);
		seq_printf(s, "apicid\t\t: %u\n", per_cpu(cpu)->apic_id);
		seq_printf(s, "flags\t\t:");
		flag(s, f->pge, "pge");
		flag(s, f->fxsr, "fxsr");
		flag(s, f->xsave, "xsave");
		flag(s, f->avx, "avx");
		flag(s, f->nx, "nx");
		flag(s, f->gbpages, "pdpe1gb");
		flag(s, f->pcid, "pcid");
		flag(s, f->invpcid, "invpcid");
		flag(s, f->x2apic, "x2apic");
		flag(s, f->invariant_tsc, "constant_tsc nonstop_tsc");
		flag(s, f->hypervisor, "hypervisor");
		flag(s, f->arat, "arat");
		flag(s, f->smep, "smep");
		flag(s, f->smap, "smap");
		seq_printf(s, "\n\n");
	}
	return 0;
}

static int tsc_calibration_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "source: %s\ntsc_khz: %lu\n", tsc_source, tsc_khz);
	return 0;
}

DEFINE_PSEUDO_FILE(cpuinfo_file, "/proc/cpuinfo", cpuinfo_show, NULL, 0444);
DEFINE_PSEUDO_FILE(tsc_calibration_file, "/sys/kernel/debug/x86/tsc_calibration",
		   tsc_calibration_show, NULL, 0444);
