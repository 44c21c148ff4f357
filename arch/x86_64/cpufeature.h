/*
 * CPU features flushlab's measurements depend on, read once with CPUID. Code
 * chooses paths at run time from these (TCG lacks PCID, INVPCID, x2APIC and
 * an invariant TSC whatever -cpu says: docs/tcg.md).
 */
#ifndef ARCH_X86_64_CPUFEATURE_H
#define ARCH_X86_64_CPUFEATURE_H

#include <stdbool.h>

struct cpu_features {
	bool gbpages; /* 1 GiB pages (pdpe1gb) */
	bool pge;     /* global pages */
	bool pcid;
	bool invpcid;
	bool x2apic;
	bool invariant_tsc;
	bool nx;
	bool hypervisor;
	bool arat; /* CPUID 6 EAX[2]: the LAPIC timer runs in every C-state */
	bool mce;  /* CPUID 1 EDX[7]: the #MC exception (CR4.MCE) */
	bool mca;  /* CPUID 1 EDX[14]: machine-check banks (MCG_CAP) */
	char vendor[13];
	char hypervisor_vendor[13]; /* CPUID 0x40000000: "TCGTCGTCGTCG", "KVMKVMKVM" */
	char brand[49];
};

extern struct cpu_features cpu_features;

void cpu_features_detect(void);
void cpu_features_report(void);
/* Who runs us, for every result line's accel=: "tcg", "kvm", "metal" or "vm". */
const char *cpu_accel_name(void);
/*
 * The command line said accel=icount (QEMU's -icount: TCG with an
 * instruction-count clock, invisible in CPUID). Believed only under TCG;
 * returns whether it was.
 */
bool cpu_accel_set_icount(void);
/* Turn on what the kernel relies on: CR4.PGE, CR0.WP. */
void cpu_features_enable(void);

#endif
