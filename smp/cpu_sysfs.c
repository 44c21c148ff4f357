/*
 * /sys/devices/system/cpu/: which CPUs exist and are online, and each
 * online CPU's topology (which core and package it is in, which CPUs
 * share them), in the files and formats Linux gives (drivers/base/cpu.c,
 * drivers/base/topology.c), which glibc's get_nprocs and hwloc read.
 * The core and package of a CPU come from its APIC ID
 * (arch/x86_64/topology.c).
 */
#include "arch/x86_64/topology.h"
#include "kernel/pseudofs.h"
#include "lib/kernel.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "smp/smp.h"

#define CPU_DIR "/sys/devices/system/cpu"

static struct cpu_topo topo_of(int cpu)
{
	return apic_topology(per_cpu(cpu)->apic_id);
}

/* CPU ids Linux calls possible and present: every enabled CPU of the MADT. */
static int nr_cpu_ids(void)
{
	return smp_cpus_expected();
}

static int cpu_range_show(struct seq_buf *s, void *data)
{
	seq_printf(s, nr_cpu_ids() > 1 ? "0-%d\n" : "0\n", nr_cpu_ids() - 1);
	return 0;
}

static int online_show(struct seq_buf *s, void *data)
{
	seq_bitmap_list(s, cpu_online_mask.bits, MAX_CPUS);
	seq_puts(s, "\n");
	return 0;
}

DEFINE_PSEUDO_FILE(cpu_possible, CPU_DIR "/possible", cpu_range_show, NULL, 0444);
DEFINE_PSEUDO_FILE(cpu_present, CPU_DIR "/present", cpu_range_show, NULL, 0444);
DEFINE_PSEUDO_FILE(cpu_online, CPU_DIR "/online", online_show, NULL, 0444);

/* ---- cpuN: an instance per online CPU; its data is its percpu ---- */

static void *cpu_lookup(void *parent, const char *name)
{
	unsigned int cpu;
	char canon[16];

	if (strncmp(name, "cpu", 3) || kstrtouint(name + 3, 10, &cpu) || cpu >= MAX_CPUS)
		return NULL;
	snprintf(canon, sizeof(canon), "cpu%u", cpu); /* "cpu01" names none */
	if (strcmp(canon, name) || !cpumask_test_cpu((int)cpu, &cpu_online_mask))
		return NULL;
	return per_cpu((int)cpu);
}

static void cpu_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	char name[16];
	int cpu;

	for_each_online_cpu (cpu) {
		snprintf(name, sizeof(name), "cpu%d", cpu);
		emit(name, ctx);
	}
}

static const struct pseudo_dir_ops cpu_dirs = {.lookup = cpu_lookup, .iterate = cpu_iterate};

static int cpu_of(void *data)
{
	return ((struct percpu *)data)->cpu_id;
}

static int core_id_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%u\n", topo_of(cpu_of(data)).core_id);
	return 0;
}

static int package_id_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%u\n", topo_of(cpu_of(data)).package_id);
	return 0;
}

static int die_id_show(struct seq_buf *s, void *data)
{
	seq_puts(s, "0\n"); /* one die per package: leaf 0x1F's die level is not read */
	return 0;
}

/* The online CPUs sharing @cpu's package, and its core too if @same_core. */
static void siblings(int cpu, bool same_core, struct cpumask *out)
{
	struct cpu_topo me = topo_of(cpu), t;
	int other;

	cpumask_clear(out);
	for_each_online_cpu (other) {
		t = topo_of(other);
		if (t.package_id == me.package_id && (!same_core || t.core_id == me.core_id))
			cpumask_set_cpu(other, out);
	}
}

#define SIBLINGS_SHOW(name, same_core, list)                                                       \
	static int name(struct seq_buf *s, void *data)                                             \
	{                                                                                          \
		struct cpumask m;                                                                  \
                                                                                                   \
		siblings(cpu_of(data), same_core, &m);                                             \
		if (list)                                                                          \
			seq_bitmap_list(s, m.bits, nr_cpu_ids());                                  \
		else                                                                               \
			seq_bitmap(s, m.bits, nr_cpu_ids());                                       \
		seq_puts(s, "\n");                                                                 \
		return 0;                                                                          \
	}
SIBLINGS_SHOW(core_mask_show, true, false)
SIBLINGS_SHOW(core_list_show, true, true)
SIBLINGS_SHOW(package_mask_show, false, false)
SIBLINGS_SHOW(package_list_show, false, true)

#define TOPO CPU_DIR "/*/topology/"
DEFINE_PSEUDO_DIR(cpu_dir, CPU_DIR "/*", &cpu_dirs);
DEFINE_PSEUDO_FILE(topo_core_id, TOPO "core_id", core_id_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_package_id, TOPO "physical_package_id", package_id_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_die_id, TOPO "die_id", die_id_show, NULL, 0444);
/* Linux's old names (thread_siblings, core_siblings) and new ones (core_cpus, package_cpus). */
DEFINE_PSEUDO_FILE(topo_thread_siblings, TOPO "thread_siblings", core_mask_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_thread_siblings_list, TOPO "thread_siblings_list", core_list_show, NULL,
		   0444);
DEFINE_PSEUDO_FILE(topo_core_cpus, TOPO "core_cpus", core_mask_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_core_cpus_list, TOPO "core_cpus_list", core_list_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_core_siblings, TOPO "core_siblings", package_mask_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_core_siblings_list, TOPO "core_siblings_list", package_list_show, NULL,
		   0444);
DEFINE_PSEUDO_FILE(topo_package_cpus, TOPO "package_cpus", package_mask_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_package_cpus_list, TOPO "package_cpus_list", package_list_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_die_cpus, TOPO "die_cpus", package_mask_show, NULL, 0444);
DEFINE_PSEUDO_FILE(topo_die_cpus_list, TOPO "die_cpus_list", package_list_show, NULL, 0444);
