/*
 * The direct map holds RAM and ACPI tables only, each leaf inside one MTRR
 * memory type (SDM vol. 3 11.11.9), and device registers are reached only
 * through their own uncached ioremap pages. Checked by walking the live
 * page tables against the UEFI memory map and the MTRRs read afresh.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/ioremap.h"
#include "arch/x86_64/lapic.h"
#include "flushlab/layout.h"
#include "flushlab/boot_info.h"
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "mm/efi_memmap.h"
#include "mm/mmu.h"

#define MTRR_MIXED 0xff /* overlapping variable ranges the SDM leaves undefined */

static bool direct_mapped(uint64_t pa, struct mmu_mapping *m)
{
	return arch_mmu_query(DIRECT_MAP_BASE + pa, m) == 0;
}

static int check_range(const struct mem_range *r, void *arg)
{
	struct ktest *t = arg;
	uint64_t last = r->phys + r->size - PAGE_SIZE;
	struct mmu_mapping m;

	if (!r->size)
		return 0;
	if (r->class == MEM_USABLE || r->class == MEM_ACPI) {
		KEXPECT_TRUE(t, direct_mapped(r->phys, &m) && m.pa == r->phys);
		KEXPECT_EQ(t, 0, m.prot & MMU_NOCACHE);
		if (cpu_features.nx)
			KEXPECT_EQ(t, 0, m.prot & MMU_EXEC);
		KEXPECT_TRUE(t, direct_mapped(last, &m) && m.pa == last);
	} else {
		KEXPECT_TRUE(t, !direct_mapped(r->phys, &m));
		KEXPECT_TRUE(t, !direct_mapped(last, &m));
	}
	return 0;
}

static void direct_map_is_ram_and_acpi_only(struct ktest *t)
{
	struct mmu_mapping m;

	efi_memmap_walk(boot_info, check_range, t);
	/* Device windows in the 32-bit PCI hole: the LAPIC, the top page (flash). */
	KEXPECT_TRUE(t, !direct_mapped(acpi_madt.lapic_phys ?: 0xfee00000, &m));
	KEXPECT_TRUE(t, !direct_mapped(0xfffff000, &m));
	KEXPECT_TRUE(t, !direct_mapped(0xfec00000, &m)); /* the usual IOAPIC */
}

static void lapic_mapping_is_uncached(struct ktest *t)
{
	uintptr_t va = lapic_mmio_base();
	struct mmu_mapping m;

	if (lapic_x2apic_mode)
		KTEST_SKIP(t, "x2APIC: the LAPIC is reached through MSRs, not MMIO");
	KASSERT_TRUE(t, va >= IOREMAP_BASE && va < IOREMAP_END);
	KASSERT_EQ(t, 0, arch_mmu_query(va, &m));
	KEXPECT_EQ(t, PG_LEVEL_4K, m.level);
	KEXPECT_EQ(t, acpi_madt.lapic_phys ?: (rdmsr(MSR_IA32_APIC_BASE) & ~0xfffUL), m.pa);
	KEXPECT_TRUE(t, m.prot & MMU_NOCACHE);
	KEXPECT_EQ(t, 0, m.prot & MMU_EXEC);
	KEXPECT_TRUE(t, pat_entry3_is_uc()); /* PCD|PWT selects PAT entry 3 */
}

/* ---- an independent MTRR oracle: the type of one address, by the SDM's rules ---- */

static uint8_t fixed_type(uint64_t pa)
{
	uint32_t msr;
	unsigned int byte;

	if (pa < 0x80000) {
		msr = 0x250, byte = pa >> 16; /* 8 x 64 KiB */
	} else if (pa < 0xc0000) {
		msr = 0x258 + ((pa - 0x80000) >> 17), byte = ((pa - 0x80000) >> 14) & 7;
	} else {
		msr = 0x268 + ((pa - 0xc0000) >> 15), byte = ((pa - 0xc0000) >> 12) & 7;
	}
	return rdmsr(msr) >> (8 * byte);
}

/* SDM vol. 3 11.11.4.1: UC wins; WT beats WB; any other overlap is undefined. */
static uint8_t mtrr_type(uint64_t pa)
{
	uint64_t def = rdmsr(0x2ff), cap = rdmsr(0xfe);
	int type = -1;

	if (!(def & (1 << 11)))
		return 0; /* MTRRs off: UC */
	if ((cap & (1 << 8)) && (def & (1 << 10)) && pa < 0x100000)
		return fixed_type(pa);
	for (unsigned int i = 0; i < (cap & 0xff); i++) {
		uint64_t base = rdmsr(0x200 + 2 * i), mask = rdmsr(0x201 + 2 * i);
		uint64_t am = mask & PTE_PFN_MASK;
		int vt = base & 0xff;

		if (!(mask & (1 << 11)) || (pa & am) != (base & am))
			continue;
		if (type < 0 || type == vt)
			type = vt;
		else if (type == 0 || vt == 0)
			type = 0;
		else if ((type == 4 && vt == 6) || (type == 6 && vt == 4))
			type = 4;
		else
			type = MTRR_MIXED;
	}
	return type < 0 ? (uint8_t)(def & 0xff) : (uint8_t)type;
}

/* Every 4 KiB inside each large leaf of @r has the leaf's first page's type. */
static int check_leaves(const struct mem_range *r, void *arg)
{
	struct ktest *t = arg;
	struct mmu_mapping m;

	if (r->class != MEM_USABLE && r->class != MEM_ACPI)
		return 0;
	for (uint64_t pa = r->phys; pa < r->phys + r->size; pa += PAGE_SIZE) {
		uint64_t start, size;
		uint8_t type;

		if (!direct_mapped(pa, &m) || m.level == PG_LEVEL_4K)
			continue;
		size = pg_level_size(m.level);
		start = m.pa & ~(size - 1);
		type = mtrr_type(start);
		KEXPECT_TRUE(t, type != MTRR_MIXED);
		for (uint64_t p = start; p < start + size; p += PAGE_SIZE) {
			if (mtrr_type(p) != type) {
				ktest_fail(t, __FILE__, __LINE__,
					   "leaf at %#lx mixes MTRR types %u and %u", start, type,
					   mtrr_type(p));
				return 1;
			}
		}
		pa = start + size - PAGE_SIZE;
	}
	return 0;
}

static void direct_map_leaves_keep_one_mtrr_type(struct ktest *t)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!((d >> 12) & 1))
		KTEST_SKIP(t, "no MTRRs in CPUID");
	efi_memmap_walk(boot_info, check_leaves, t);
}

static const struct ktest_case directmap_cases[] = {
    KTEST_CASE(direct_map_is_ram_and_acpi_only),
    KTEST_CASE(lapic_mapping_is_uncached),
    KTEST_CASE(direct_map_leaves_keep_one_mtrr_type),
    {},
};
DEFINE_KTEST_SUITE(directmap, directmap_cases);
