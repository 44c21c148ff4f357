/*
 * smp/pcid_rules.c on the host: whether PCIDs are turned on, fed the CPUID
 * signature, vendor, PCID/PGE bits and microcode revision of real parts
 * (Linux's setup_pcid and invlpg_miss_ids are the reference): the
 * Alder/Raptor Lake INVLPG erratum keeps PCID off below each model's fixed
 * microcode and not at or above it; other models and vendors are not
 * affected; no PGE keeps it off; nopcid and absent win over everything.
 */
#include <stdint.h>

#include "host_test.h"
#include "smp/asid.h"

/* CPUID 1 EAX for family 6, @model, @stepping (extended model in 19:16). */
static uint32_t sig6(unsigned int model, unsigned int stepping)
{
	return ((model >> 4) << 16) | (6u << 8) | ((model & 0xf) << 4) | stepping;
}

static struct pcid_cpu intel(uint32_t sig, uint32_t ucode)
{
	return (struct pcid_cpu){
	    .pcid = true, .pge = true, .intel = true, .signature = sig, .microcode = ucode};
}

HOST_TEST(signature_decodes_as_linux)
{
	EXPECT_EQ(6, x86_family(0x000906a3)); /* Alder Lake P: model 0x9a, stepping 3 */
	EXPECT_EQ(0x9a, x86_model(0x000906a3));
	EXPECT_EQ(0x97, x86_model(sig6(0x97, 2)));
	EXPECT_EQ(0x19, x86_family(0x00a20f12)); /* AMD Zen 3: 0xf + extended 0xa */
	EXPECT_EQ(0x21, x86_model(0x00a20f12));
	EXPECT_EQ(5, x86_model(0x00000552)); /* family 5: no extended model */
}

HOST_TEST(invlpg_erratum_needs_the_fixed_microcode)
{
	static const struct {
		unsigned int model;
		uint32_t fixed;
	} parts[] = {{0x97, 0x2e},  {0x9a, 0x42c},  {0xbe, 0x11},
		     {0xb7, 0x118}, {0xba, 0x4117}, {0xbf, 0x2e}};

	for (unsigned int i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		struct pcid_cpu old = intel(sig6(parts[i].model, 2), parts[i].fixed - 1);
		struct pcid_cpu fixed = intel(sig6(parts[i].model, 2), parts[i].fixed);
		struct pcid_cpu newer = intel(sig6(parts[i].model, 0), parts[i].fixed + 0x100);

		EXPECT_EQ(parts[i].fixed, pcid_invlpg_erratum_fixed_rev(&old));
		EXPECT_EQ(PCID_OFF_INVLPG_ERRATUM, pcid_decide(&old, false));
		EXPECT_EQ(PCID_ON, pcid_decide(&fixed, false));
		EXPECT_EQ(PCID_ON, pcid_decide(&newer, false));
	}
	/* Microcode 0 (never read, or a hypervisor that reports none): off. */
	struct pcid_cpu zero = intel(sig6(0xb7, 1), 0);
	EXPECT_EQ(PCID_OFF_INVLPG_ERRATUM, pcid_decide(&zero, false));
}

HOST_TEST(other_parts_do_not_have_the_erratum)
{
	struct pcid_cpu skylake = intel(sig6(0x55, 4), 0), meteor = intel(sig6(0xaa, 4), 0);
	struct pcid_cpu amd = intel(sig6(0x97, 2), 0);
	struct pcid_cpu fam15 = intel(0x00000f97, 0); /* family 15 model 0x9: not 6 */

	amd.intel = false; /* the same signature on another vendor */
	EXPECT_EQ(0, pcid_invlpg_erratum_fixed_rev(&skylake));
	EXPECT_EQ(PCID_ON, pcid_decide(&skylake, false));
	EXPECT_EQ(PCID_ON, pcid_decide(&meteor, false));
	EXPECT_EQ(0, pcid_invlpg_erratum_fixed_rev(&amd));
	EXPECT_EQ(PCID_ON, pcid_decide(&amd, false));
	EXPECT_EQ(0, pcid_invlpg_erratum_fixed_rev(&fam15));
}

HOST_TEST(no_pge_keeps_pcid_off)
{
	struct pcid_cpu c = intel(sig6(0x55, 4), 0);

	c.pge = false;
	EXPECT_EQ(PCID_OFF_NO_PGE, pcid_decide(&c, false));
	c = intel(sig6(0x97, 2), 0x2e); /* fixed microcode does not make up for PGE */
	c.pge = false;
	EXPECT_EQ(PCID_OFF_NO_PGE, pcid_decide(&c, false));
}

HOST_TEST(absent_and_nopcid_come_first)
{
	struct pcid_cpu c = intel(sig6(0x97, 2), 0);

	EXPECT_EQ(PCID_OFF_NOPCID, pcid_decide(&c, true)); /* before the erratum, as Linux */
	c.pcid = false;
	EXPECT_EQ(PCID_ABSENT, pcid_decide(&c, true));
	c.pge = false;
	EXPECT_EQ(PCID_ABSENT, pcid_decide(&c, false));
}

HOST_TEST_MAIN("pcid")
