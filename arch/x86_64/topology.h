/*
 * A CPU's core and package from its APIC ID and CPUID leaf 0xB
 * (arch/x86_64/topology.c), as Linux's topology_core_id and
 * topology_physical_package_id give them.
 */
#ifndef ARCH_X86_64_TOPOLOGY_H
#define ARCH_X86_64_TOPOLOGY_H

#include <stdint.h>

struct cpu_topo {
	uint32_t core_id, package_id;
};

struct cpu_topo apic_topology(uint32_t apic_id);

#endif
