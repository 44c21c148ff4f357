/*
 * Where each CPU sits: its core and package, from its APIC ID and CPUID
 * leaf 0xB (arch/x86_64/topology.c, which also has /sys/devices/system/cpu).
 */
#ifndef ARCH_X86_64_TOPOLOGY_H
#define ARCH_X86_64_TOPOLOGY_H

#include <stdint.h>

struct cpu_topology {
	uint32_t core_id, package_id; /* Linux's topology_core_id, topology_physical_package_id */
	int siblings;		      /* online CPUs in the package (cpuinfo's "siblings") */
	int cores;		      /* cores among them (cpuinfo's "cpu cores") */
};

void cpu_topology(int cpu, struct cpu_topology *t);

#endif
