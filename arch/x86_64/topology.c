/*
 * Where a CPU sits, from its APIC ID split by CPUID leaf 0xB's shift widths
 * (Intel SDM vol. 3A, 10.12.8.1 "Hierarchical Mapping of CPUID Extended
 * Topology Leaf"), as Linux's topology_ext code does.
 */
#include "arch/x86_64/topology.h"
#include "arch/x86_64/cpu.h"

/* Leaf 0xB's levels: the SMT level's shift (type 1) and the core level's (type 2). */
static void read_leaf_0xb(unsigned int *smt, unsigned int *pkg)
{
	uint32_t a, b, c, d;

	for (uint32_t sub = 0; sub < 8; sub++) {
		cpuid(0xb, sub, &a, &b, &c, &d);
		if (((c >> 8) & 0xff) == 0) /* level type 0: past the last level */
			break;
		if (((c >> 8) & 0xff) == 1)
			*smt = a & 0x1f;
		if (((c >> 8) & 0xff) == 2)
			*pkg = a & 0x1f;
	}
}

/*
 * APIC-ID bits below the core (threads) and below the package. Leaf 0xB
 * sub-leaf 0 (type 1, SMT) gives the first, the core-type sub-leaf the
 * second. Without leaf 0xB every CPU is one core of one package.
 */
static void topology_shifts(unsigned int *smt, unsigned int *pkg)
{
	static unsigned int smt_shift, pkg_shift, known; /* the same on every CPU: read once */
	uint32_t b, c, d, max;

	if (__atomic_load_n(&known, __ATOMIC_ACQUIRE)) {
		*smt = smt_shift;
		*pkg = pkg_shift;
		return;
	}
	*smt = 0;
	*pkg = 32;
	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0xb)
		read_leaf_0xb(smt, pkg);
	smt_shift = *smt;
	pkg_shift = *pkg;
	__atomic_store_n(&known, 1, __ATOMIC_RELEASE);
}

struct cpu_topo apic_topology(uint32_t apic_id)
{
	unsigned int smt, pkg;

	topology_shifts(&smt, &pkg);
	return (struct cpu_topo){
	    .core_id = pkg >= 32 ? apic_id >> smt : (apic_id & ((1U << pkg) - 1)) >> smt,
	    .package_id = pkg >= 32 ? 0 : apic_id >> pkg,
	};
}
