/*
 * /proc/cpuinfo in Linux's shape: one block per CPU with "processor : N" and
 * the fields a reader of Linux's file looks for first (hwloc's x86 parser:
 * vendor_id, cpu family, model, model name, stepping; physical id and core
 * id where sysfs has no topology), in Linux's order, for every online CPU
 * (the feature flags are the boot CPU's: every CPU here is the same model);
 * and /sys/kernel/debug/x86/tsc_calibration: where "cpu MHz" came from.
 */
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/topology.h"
#include "arch/x86_64/tsc.h"
#include "kernel/pseudofs.h"
#include "lib/kernel.h"
#include "smp/smp.h"

/* cpuinfo's topology lines: Linux's physical id, siblings, core id, cpu cores. */
struct cpu_topology {
	uint32_t core_id, package_id;
	int siblings; /* online CPUs in the package */
	int cores;    /* cores among them */
};

static struct cpu_topo topo_of(int cpu)
{
	return apic_topology(per_cpu(cpu)->apic_id);
}

/* Is @cpu the lowest online CPU of its core (so each core is counted once)? */
static bool first_of_core(int cpu, struct cpu_topo me)
{
	struct cpu_topo o;
	int other;

	for_each_online_cpu (other) {
		if (other >= cpu)
			break;
		o = topo_of(other);
		if (o.package_id == me.package_id && o.core_id == me.core_id)
			return false;
	}
	return true;
}

static void cpu_topology(int cpu, struct cpu_topology *t)
{
	struct cpu_topo me = topo_of(cpu), o;
	int other;

	t->core_id = me.core_id;
	t->package_id = me.package_id;
	t->siblings = t->cores = 0;
	for_each_online_cpu (other) {
		o = topo_of(other);
		if (o.package_id != me.package_id)
			continue;
		t->siblings++;
		t->cores += first_of_core(other, o);
	}
}

/* Linux's x86_family and x86_model: the extended fields count from family 15 and 6. */
static unsigned int x86_family(uint32_t sig)
{
	unsigned int family = (sig >> 8) & 0xf;

	return family == 0xf ? family + ((sig >> 20) & 0xff) : family;
}

static unsigned int x86_model(uint32_t sig)
{
	unsigned int model = (sig >> 4) & 0xf;

	return x86_family(sig) >= 6 ? model + (((sig >> 16) & 0xf) << 4) : model;
}

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
		struct cpu_topology t;

		cpu_topology(cpu, &t);
		seq_printf(s, "processor\t: %d\n", cpu);
		seq_printf(s, "vendor_id\t: %s\n", f->vendor);
		seq_printf(s, "cpu family\t: %u\nmodel\t\t: %u\n", x86_family(f->signature),
			   x86_model(f->signature));
		seq_printf(s, "model name\t: %s\n", f->brand);
		seq_printf(s, "stepping\t: %u\n", f->signature & 0xf);
		seq_printf(s, "cpu MHz\t\t: %lu.%03lu\n", tsc_khz / 1000, tsc_khz % 1000);
		seq_printf(s,
			   "physical id\t: %u\nsiblings\t: %d\ncore id\t\t: %u\ncpu cores\t: %d\n",
			   t.package_id, t.siblings, t.core_id, t.cores);
		seq_printf(s, "apicid\t\t: %u\ninitial apicid\t: %u\n", per_cpu(cpu)->apic_id,
			   per_cpu(cpu)->apic_id);
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
