/*
 * CPU features flushlab's measurements depend on, read once with CPUID. Code
 * chooses paths at run time from these (TCG lacks PCID, INVPCID, x2APIC and
 * an invariant TSC whatever -cpu says: docs/tcg.md).
 */
#ifndef ARCH_X86_64_CPUFEATURE_H
#define ARCH_X86_64_CPUFEATURE_H

#include <stdbool.h>
#include <stdint.h>

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
	/*
	 * The command line's `noarat`: arat cleared, and an idle halt loses
	 * its ticks (smp.c cpu_idle_halt), as a timer without ARAT may in a
	 * deep C-state: the no-ARAT paths, testable under TCG.
	 */
	bool noarat;
	bool mce;	    /* CPUID 1 EDX[7]: the #MC exception (CR4.MCE) */
	bool mca;	    /* CPUID 1 EDX[14]: machine-check banks (MCG_CAP) */
	bool fxsr;	    /* CPUID 1 EDX[24]: FXSAVE/FXRSTOR (every x86-64 CPU) */
	bool xsave;	    /* CPUID 1 ECX[26]: XSAVE/XRSTOR and XCR0 */
	bool avx;	    /* CPUID 1 ECX[28] */
	bool smep;	    /* CPUID 7 EBX[7]: supervisor-mode execution prevention */
	bool smap;	    /* CPUID 7 EBX[20]: supervisor-mode access prevention */
	bool rdrand;	    /* CPUID 1 ECX[30]: the RDRAND instruction */
	bool rdseed;	    /* CPUID 7 EBX[18]: the RDSEED instruction */
	uint32_t signature; /* CPUID 1 EAX: family, model, stepping */
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
/*
 * The boot CPU's microcode revision, Intel's way (Linux's
 * intel_get_microcode_revision): write 0 to IA32_BIOS_SIGN_ID, CPUID 1,
 * read the MSR's high half. Intel CPUs only (the MSR is Intel's).
 */
uint32_t cpu_intel_microcode_rev(void);
/*
 * The boot CPU's CR0 and CR4, set from what CPUID offers rather than kept
 * from the firmware: CR0.WP, CR4.PGE, OSFXSR, OSXMMEXCPT, OSXSAVE (and
 * XCR0, arch/x86_64/fpu.c), SMEP, SMAP. The APs copy this CR4 (smp.c) and
 * set their own XCR0 (fpu_init_cpu). @no_smap, @no_smep: the command
 * line's nosmap / nosmep, as Linux's.
 */
void cpu_features_enable(bool no_smep, bool no_smap);

/*
 * 1 once CR4.SMAP is set (on every CPU alike): the entry stubs (isr.asm)
 * and uaccess.c issue CLAC/STAC only then, since both are #UD without SMAP.
 */
extern uint8_t x86_smap_enabled;

#endif
