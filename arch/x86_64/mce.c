/*
 * Machine checks: CR4.MCE on every CPU, so a hardware error raises #MC
 * (vector 18) instead of shutting the processor down (with CR4.MCE clear an
 * uncorrected error puts the processor in shutdown: Intel SDM vol. 3, 6.15
 * "Interrupt 18 - Machine-Check Exception"; AMD APM vol. 2, 9.3). Every
 * bank reports (IA32_MCi_CTL all ones, as Linux does); the #MC handler
 * prints IA32_MCG_STATUS and each valid bank and ends the run.
 */
#include "arch/x86_64/mce.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "kernel/platform.h"
#include "lib/kernel.h"
#include "lib/string.h"

#define MSR_IA32_MCG_CAP 0x179
#define MSR_IA32_MCG_STATUS 0x17a
#define MSR_IA32_MCG_CTL 0x17b
#define MSR_IA32_MC0_CTL 0x400 /* bank i: CTL 0x400 + 4i, STATUS +1, ADDR +2, MISC +3 */
#define MCG_CAP_COUNT 0xff
#define MCG_CAP_CTL_P (1ULL << 8)
#define MCI_STATUS_VAL (1ULL << 63)
#define MCI_STATUS_UC (1ULL << 61)
#define MCI_STATUS_MISCV (1ULL << 59)
#define MCI_STATUS_ADDRV (1ULL << 58)

static unsigned int mce_banks(void)
{
	return cpu_features.mca ? rdmsr(MSR_IA32_MCG_CAP) & MCG_CAP_COUNT : 0;
}

static uint64_t bank_msr(unsigned int bank, unsigned int reg)
{
	return rdmsr(MSR_IA32_MC0_CTL + 4 * bank + reg);
}

/* Intel P6 before Nehalem: bank 0's CTL belongs to the BIOS (Linux leaves it alone). */
static bool skip_bank0_ctl(void)
{
	uint32_t a, b, c, d;

	if (strcmp(cpu_features.vendor, "GenuineIntel") != 0)
		return false;
	cpuid(1, 0, &a, &b, &c, &d);
	return ((a >> 8) & 0xf) == 6 && (((a >> 4) & 0xf) | ((a >> 12) & 0xf0)) < 0x1a;
}

/* Errors logged before we enabled reporting (a previous boot's, often). */
static void report_logged(unsigned int banks)
{
	for (unsigned int i = 0; i < banks; i++) {
		uint64_t status = bank_msr(i, 1);

		if (status & MCI_STATUS_VAL)
			printk("mce: CPU %d bank %u: status %#lx logged before boot%s\n",
			       this_cpu_id(), i, status,
			       (status & MCI_STATUS_UC) ? " (uncorrected)" : "");
	}
}

void mcheck_cpu_init(void)
{
	unsigned int banks = mce_banks();

	if (!cpu_features.mce)
		return;
	report_logged(banks);
	if (banks && (rdmsr(MSR_IA32_MCG_CAP) & MCG_CAP_CTL_P))
		wrmsr(MSR_IA32_MCG_CTL, ~0ULL);
	for (unsigned int i = 0; i < banks; i++) {
		if (i > 0 || !skip_bank0_ctl())
			wrmsr(MSR_IA32_MC0_CTL + 4 * i, ~0ULL);
		wrmsr(MSR_IA32_MC0_CTL + 4 * i + 1, 0); /* status */
	}
	write_cr4(read_cr4() | X86_CR4_MCE);
}

void mce_print(void)
{
	unsigned int banks = mce_banks();

	if (!cpu_features.mca) {
		printk("  machine check: no MCA banks in CPUID; nothing more to report\n");
		return;
	}
	printk("  MCG_STATUS: %#lx (RIPV %lu, EIPV %lu, MCIP %lu), %u banks\n",
	       rdmsr(MSR_IA32_MCG_STATUS), rdmsr(MSR_IA32_MCG_STATUS) & 1,
	       (rdmsr(MSR_IA32_MCG_STATUS) >> 1) & 1, (rdmsr(MSR_IA32_MCG_STATUS) >> 2) & 1, banks);
	for (unsigned int i = 0; i < banks; i++) {
		uint64_t status = bank_msr(i, 1);

		if (!(status & MCI_STATUS_VAL))
			continue;
		printk("  bank %u: STATUS %#lx%s ADDR %#lx MISC %#lx\n", i, status,
		       (status & MCI_STATUS_UC) ? " (uncorrected)" : "",
		       (status & MCI_STATUS_ADDRV) ? bank_msr(i, 2) : 0,
		       (status & MCI_STATUS_MISCV) ? bank_msr(i, 3) : 0);
	}
}
