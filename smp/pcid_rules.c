/*
 * Whether PCIDs may be turned on, Linux's rules (arch/x86/mm/init.c,
 * setup_pcid): not where the boot CPU has the INVLPG erratum and its
 * microcode predates the fix, and not without PGE. Pure C over what CPUID
 * and the microcode-revision MSR said, so the host can test every case
 * (tests/host/pcid_test.c); smp/tlb_mm.c reads the hardware and obeys.
 */
#include "smp/asid.h"

/* CPUID leaf 1 EAX: Linux's x86_family() and x86_model(). */
unsigned int x86_family(uint32_t sig)
{
	unsigned int family = (sig >> 8) & 0xf;

	return family == 0xf ? family + ((sig >> 20) & 0xff) : family;
}

unsigned int x86_model(uint32_t sig)
{
	unsigned int family = x86_family(sig), model = (sig >> 4) & 0xf;

	return family >= 6 ? model | ((sig >> 12) & 0xf0) : model;
}

/*
 * Intel's ADL063 / RPL042 (and the Gracemont E-core's): with CR4.PCIDE=1,
 * INVLPG may leave a global TLB entry for the page in place. Our kernel
 * mappings are global and every kernel range flush is INVLPG, so a stale
 * vmemmap or devmap translation would survive its shootdown. Fixed by the
 * microcode revisions below (Linux's invlpg_miss_ids, Intel microcode
 * release 20240312); family 6 only.
 */
static const struct {
	uint8_t model;
	uint32_t fixed_rev;
} invlpg_miss_ids[] = {
    {0x97, 0x2e},   /* Alder Lake (S) */
    {0x9a, 0x42c},  /* Alder Lake L (P) */
    {0xbe, 0x11},   /* Gracemont (Alder Lake N) */
    {0xb7, 0x118},  /* Raptor Lake */
    {0xba, 0x4117}, /* Raptor Lake P */
    {0xbf, 0x2e},   /* Raptor Lake S */
};

uint32_t pcid_invlpg_erratum_fixed_rev(const struct pcid_cpu *cpu)
{
	if (!cpu->intel || x86_family(cpu->signature) != 6)
		return 0;
	for (unsigned int i = 0; i < sizeof(invlpg_miss_ids) / sizeof(invlpg_miss_ids[0]); i++)
		if (x86_model(cpu->signature) == invlpg_miss_ids[i].model)
			return invlpg_miss_ids[i].fixed_rev;
	return 0;
}

/*
 * In Linux's order: absent; nopcid; the erratum with older microcode
 * (Linux: "Incomplete global flushes, disabling PCID"); then PGE, without
 * which a full flush cannot reach other PCIDs: with PCIDE=1 a CR3 write
 * drops only the current PCID's entries (SDM vol. 3, 4.10.4.1), and the
 * CR4.PGE toggle that drops every PCID's (4.10.4.1, MOV to CR4) is not
 * there to make; Linux's "won't work if PCID is on but PGE is not".
 */
enum pcid_verdict pcid_decide(const struct pcid_cpu *cpu, bool nopcid)
{
	uint32_t fixed = pcid_invlpg_erratum_fixed_rev(cpu);

	if (!cpu->pcid)
		return PCID_ABSENT;
	if (nopcid)
		return PCID_OFF_NOPCID;
	if (fixed && cpu->microcode < fixed)
		return PCID_OFF_INVLPG_ERRATUM;
	if (!cpu->pge)
		return PCID_OFF_NO_PGE;
	return PCID_ON;
}
