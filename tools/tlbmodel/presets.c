/*
 * The TLB model's presets: real cores' TLB sizes and per-event costs, in one
 * table with their sources. Sizes the vendors publish are cited; what they do
 * not publish (paging-structure-cache sizes, most costs) is marked as an
 * estimate and where it comes from. `TLBMODEL=list` prints this table.
 */
#include "tools/tlbmodel/tlb_model.h"

#include <string.h>

#define B4K TLB_SIZE_BIT(TLB_4K)
#define B2M TLB_SIZE_BIT(TLB_2M)
#define B1G TLB_SIZE_BIT(TLB_1G)

const struct tlb_preset tlb_presets[] = {
    {
	.name = "skylake-sp",
	.core = "Intel Skylake-SP class (Xeon Scalable 1st gen), 2.5 GHz",
	/* Intel 64 and IA-32 Architectures Optimization Reference Manual (248966),
	 * "Skylake microarchitecture", TLB parameters table. */
	.l1d = {{64, 4, B4K}, {32, 4, B2M}, {4, 4, B1G}},
	.l1i = {{128, 8, B4K}, {8, 8, B2M}},
	.stlb = {{1536, 12, B4K | B2M}, {16, 4, B1G}},
	.psc = {4, 4, 32},     /* estimate: Intel publishes no PSC sizes */
	.walk_ns = 12.0,       /* ~30 cycles: STLB miss, PSC hit, PTE in L1/L2 */
	.invlpg_ns = 80.0,     /* ~200 cycles, Hansen (LKML, 2017-12-05) */
	.full_flush_ns = 40.0, /* MOV CR3 ~96 cycles, Molnar (LKML, 2015-06-08) */
	.ipi_ns = 775.0,       /* one remote shootdown, Amit et al. 2020 (Haswell) */
	.ghz = 2.5,
	.sources = "Intel Optimization Reference Manual 248966 (Skylake TLB table); "
		   "PSC sizes: estimate (van Schaik et al., RevAnC, 2017, measure tens of "
		   "PDE entries, a few PDPTE/PML4E); INVLPG: D. Hansen, LKML 2017-12-05; "
		   "MOV CR3: I. Molnar, LKML 2015-06-08; IPI: N. Amit et al., 'Don't "
		   "shoot down TLB shootdowns!', EuroSys 2020",
    },
    {
	.name = "zen4",
	.core = "AMD Zen 4 class (Ryzen 7000 / EPYC 9004), 3.5 GHz",
	/* Software Optimization Guide for the AMD Zen4 Microarchitecture (57647),
	 * "Translation Lookaside Buffer": L1 DTLB 72 fully associative, every
	 * size; L2 DTLB 3072 (4K, 2M; 1G held as 2M pieces: modelled as 1G
	 * entries, an approximation); L1 ITLB 64 fully associative; L2 ITLB 512
	 * 8-way. L2 DTLB ways: 12 assumed (Zen 1-3's guides say 12-way). */
	.l1d = {{72, 72, B4K | B2M | B1G}},
	.l1i = {{64, 64, B4K | B2M | B1G}},
	.stlb = {{3072, 12, B4K | B2M | B1G}},
	.psc = {4, 8, 64}, /* estimate: AMD's page walk cache sizes are not published */
	.walk_ns = 9.0,	   /* ~30 cycles at 3.5 GHz: PWC hit, PTE in cache */
	.invlpg_ns = 60.0, /* estimate: ~200 cycles as Skylake (no published figure) */
	.full_flush_ns = 30.0,
	.ipi_ns = 775.0, /* no Zen figure published: Amit et al.'s Haswell one */
	.ghz = 3.5,
	.sources = "AMD Software Optimization Guide for Zen 4, 57647 (TLB sizes); PWC "
		   "sizes, INVLPG and flush costs: estimates as for skylake-sp; IPI: "
		   "N. Amit et al., EuroSys 2020",
    },
    {
	.name = "tiny",
	.core = "not a real core: the feasibility prototype's small TLB (64 x 4 KiB L1 only)",
	.l1d = {{64, 4, B4K | B2M | B1G}},
	.l1i = {{64, 4, B4K | B2M | B1G}},
	.psc = {0, 0, 0},
	.walk_ns = 12.0,
	.invlpg_ns = 80.0,
	.full_flush_ns = 40.0,
	.ipi_ns = 775.0,
	.ghz = 2.5,
	.sources = "none: shows how a TLB without a second level hides flush cost "
		   "behind capacity misses",
    },
};

const int tlb_nr_presets = sizeof(tlb_presets) / sizeof(tlb_presets[0]);

/* "1" (TLBMODEL=1) is the default preset, the first. */
const struct tlb_preset *tlb_preset_find(const char *name)
{
	if (!strcmp(name, "1"))
		return &tlb_presets[0];
	for (int i = 0; i < tlb_nr_presets; i++)
		if (!strcmp(tlb_presets[i].name, name))
			return &tlb_presets[i];
	return NULL;
}
