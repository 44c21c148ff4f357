/*
 * CPUID probing and the boot report. The report says plainly what is absent,
 * because under QEMU TCG several features a reader expects are (docs/tcg.md),
 * and results depend on them (INVPCID for global flushes, for instance).
 */
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/cpu.h"
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
	if (max >= 6) {
		cpuid(6, 0, &a, &b, &c, &d);
		f->arat = bit(a, 2);
	}
	if (max >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		f->invpcid = bit(b, 10);
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
}

void cpu_features_enable(void)
{
	write_cr0(read_cr0() | X86_CR0_WP); /* read-only pages bind the kernel too */
	if (cpu_features.pge)
		write_cr4(read_cr4() | X86_CR4_PGE);
}
