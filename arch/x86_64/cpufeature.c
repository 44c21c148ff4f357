/*
 * CPUID probing and the boot report. The report says plainly what is absent,
 * because under QEMU TCG several features a reader expects are (docs/tcg.md),
 * and results depend on them (INVPCID for global flushes, for instance).
 */
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "lib/kernel.h"
#include "lib/string.h"

struct cpu_features cpu_features;

static bool bit(uint32_t reg, int n)
{
	return (reg >> n) & 1;
}

static void read_brand(void)
{
	uint32_t a, b, c, d, max_ext, *out = (uint32_t *)cpu_features.brand;

	cpuid(0x80000000, 0, &max_ext, &b, &c, &d);
	if (max_ext < 0x80000004)
		return;
	for (uint32_t leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
		cpuid(leaf, 0, &a, &b, &c, &d);
		*out++ = a;
		*out++ = b;
		*out++ = c;
		*out++ = d;
	}
}

void cpu_features_detect(void)
{
	uint32_t max, a, b, c, d;
	struct cpu_features *f = &cpu_features;

	cpuid(0, 0, &max, &b, &c, &d);
	memcpy(f->vendor, &b, 4);
	memcpy(f->vendor + 4, &d, 4);
	memcpy(f->vendor + 8, &c, 4);
	cpuid(1, 0, &a, &b, &c, &d);
	f->signature = a;
	f->pge = bit(d, 13);
	f->pcid = bit(c, 17);
	f->x2apic = bit(c, 21);
	f->hypervisor = bit(c, 31);
	f->mce = bit(d, 7);
	f->mca = bit(d, 14);
	f->fxsr = bit(d, 24);
	f->xsave = bit(c, 26);
	f->avx = bit(c, 28);
	f->rdrand = bit(c, 30);
	if (max >= 6) {
		cpuid(6, 0, &a, &b, &c, &d);
		f->arat = bit(a, 2);
	}
	if (max >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		f->invpcid = bit(b, 10);
		f->smep = bit(b, 7);
		f->smap = bit(b, 20);
		f->rdseed = bit(b, 18);
	}
	cpuid(0x80000001, 0, &a, &b, &c, &d);
	f->gbpages = bit(d, 26);
	f->nx = bit(d, 20);
	cpuid(0x80000007, 0, &a, &b, &c, &d);
	f->invariant_tsc = bit(d, 8);
	read_brand();
	if (f->hypervisor) {
		cpuid(0x40000000, 0, &a, &b, &c, &d);
		memcpy(f->hypervisor_vendor, &b, 4);
		memcpy(f->hypervisor_vendor + 4, &c, 4);
		memcpy(f->hypervisor_vendor + 8, &d, 4);
	}
}

uint32_t cpu_intel_microcode_rev(void)
{
	uint32_t a, b, c, d;

	wrmsr(MSR_IA32_UCODE_REV, 0);
	cpuid(1, 0, &a, &b, &c, &d); /* the CPU fills the MSR in here */
	return (uint32_t)(rdmsr(MSR_IA32_UCODE_REV) >> 32);
}

static bool tcg_icount;

bool cpu_accel_set_icount(void)
{
	tcg_icount =
	    cpu_features.hypervisor && strcmp(cpu_features.hypervisor_vendor, "TCGTCGTCGTCG") == 0;
	return tcg_icount;
}

const char *cpu_accel_name(void)
{
	const char *hv = cpu_features.hypervisor_vendor;

	if (!cpu_features.hypervisor)
		return "metal";
	if (strcmp(hv, "TCGTCGTCGTCG") == 0)
		return tcg_icount ? "icount" : "tcg";
	if (strncmp(hv, "KVMKVMKVM", 9) == 0)
		return "kvm";
	return "vm";
}

static const char *yes_no(bool v)
{
	return v ? "present" : "absent";
}

void cpu_features_report(void)
{
	const struct cpu_features *f = &cpu_features;

	printk("cpu: %s %s, accel=%s\n", f->vendor, f->brand, cpu_accel_name());
	printk("cpu: 1GiB-pages %s, PGE %s, PCID %s, INVPCID %s\n", yes_no(f->gbpages),
	       yes_no(f->pge), yes_no(f->pcid), yes_no(f->invpcid));
	printk("cpu: x2APIC %s, invariant-TSC %s, NX %s, ARAT %s, MCE %s, MCA %s\n",
	       yes_no(f->x2apic), yes_no(f->invariant_tsc), yes_no(f->nx), yes_no(f->arat),
	       yes_no(f->mce), yes_no(f->mca));
	printk("cpu: RDRAND %s, RDSEED %s\n", yes_no(f->rdrand), yes_no(f->rdseed));
	if (f->noarat)
		printk("cpu: noarat: ARAT treated as absent; idle halts lose their ticks\n");
}

uint8_t x86_smap_enabled;

/*
 * CR4 is written whole, not ORed into the firmware's value (Intel SDM vol.
 * 3, 2.5 "Control Registers"): a bit the firmware left on that we do not
 * manage would change what user code may do behind our back (FSGSBASE
 * would let ring 3 load any GS base, defeating isr.asm's "a negative GS
 * base is the kernel's" test; TSD, UMIP, PKE change what user code sees),
 * and one it left off that we need would leave user SSE undefined. Kept
 * from the firmware: PAE and LA57, which long mode fixes (clearing them
 * is #GP). MCE and PCIDE are added later by their owners (mce.c, tlb.c).
 * - OSFXSR (bit 9): FXSAVE/FXRSTOR save the SSE state, and SSE
 *   instructions do not #UD (SDM 2.5; 13.1). OSXMMEXCPT (bit 10): an
 *   unmasked SIMD floating-point exception is #XM, not #UD.
 * - OSXSAVE (bit 18): XSAVE, XRSTOR and XSETBV are allowed and CPUID
 *   reports OSXSAVE to user code, which then reads XCR0 to learn which
 *   state (AVX, AVX-512) it may use (SDM 13.3). XCR0 is per CPU: fpu.c.
 * - SMEP (bit 20), SMAP (bit 21): SDM 4.6. A supervisor instruction fetch
 *   from a user page faults (no ret2usr); a supervisor data access to a
 *   user page faults unless RFLAGS.AC is set, which uaccess.c does with
 *   STAC/CLAC around each deliberate user access only. Every entry from
 *   ring 3 clears AC (isr.asm CLAC; SYSCALL's FMASK, syscall.c).
 * - PGE (bit 7): global pages for the kernel half.
 */
void cpu_features_enable(bool no_smep, bool no_smap)
{
	const struct cpu_features *f = &cpu_features;
	uint64_t cr4 = read_cr4() & (X86_CR4_PAE | X86_CR4_LA57);

	write_cr0(read_cr0() | X86_CR0_WP); /* read-only pages bind the kernel too */
	if (f->pge)
		cr4 |= X86_CR4_PGE;
	if (f->fxsr)
		cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	if (f->xsave)
		cr4 |= X86_CR4_OSXSAVE;
	if (f->smep && !no_smep)
		cr4 |= X86_CR4_SMEP;
	if (f->smap && !no_smap)
		cr4 |= X86_CR4_SMAP;
	write_cr4(cr4);
	x86_smap_enabled = !!(cr4 & X86_CR4_SMAP);
	fpu_init(); /* XCR0 and the size of a task's FPU state */
	printk("cpu: CR4 %#lx: SMEP %s, SMAP %s, FPU state %s (XCR0 %#lx, %u bytes)\n", cr4,
	       (cr4 & X86_CR4_SMEP) ? "on"
	       : no_smep && f->smep ? "off (nosmep)"
				    : "absent",
	       (cr4 & X86_CR4_SMAP) ? "on"
	       : no_smap && f->smap ? "off (nosmap)"
				    : "absent",
	       fpu_xfeatures ? "XSAVE" : "FXSAVE", fpu_xfeatures, fpu_state_size);
}
