/*
 * The MTRRs, read by the loader so the direct map never puts one large page
 * over two memory types. Intel SDM vol. 3, 11.11.9 "Large Page Size
 * Considerations": if a 2 MiB or 1 GiB page covers ranges the MTRRs give
 * different types, the processor's behaviour is undefined (it may use
 * either type, or machine-check); the OS must map such a range with pages
 * small enough that each lies in one type. AMD APM vol. 2, 7.7 says the same.
 */
#include "loader.h"
#include "arch/x86_64/cpu.h"

#define MSR_MTRRCAP 0xfe
#define MSR_MTRR_PHYSBASE0 0x200 /* PHYSBASEn = 0x200 + 2n, PHYSMASKn = 0x201 + 2n */
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MTRRCAP_VCNT 0xff
#define MTRRCAP_FIX (1ULL << 8)
#define MTRR_DEF_FE (1ULL << 10) /* fixed-range MTRRs enabled */
#define MTRR_DEF_E (1ULL << 11)	 /* MTRRs enabled */
#define MTRR_MASK_VALID (1ULL << 11)
#define MTRR_ADDR_BITS 0x000ffffffffff000ULL
#define FIXED_RANGE_END 0x100000ULL /* the fixed-range MTRRs cover the first MiB */

void mtrr_read(struct mtrr_state *m)
{
	uint32_t a, b, c, d;
	uint64_t cap, def;

	*m = (struct mtrr_state){0};
	cpuid(1, 0, &a, &b, &c, &d);
	if (!((d >> 12) & 1)) /* CPUID.1:EDX.MTRR */
		return;
	cap = rdmsr(MSR_MTRRCAP);
	def = rdmsr(MSR_MTRR_DEF_TYPE);
	if (!(def & MTRR_DEF_E))
		return; /* everything is UC: one type, nothing to split */
	m->enabled = 1;
	m->fixed = (cap & MTRRCAP_FIX) && (def & MTRR_DEF_FE);
	for (unsigned i = 0; i < (cap & MTRRCAP_VCNT) && m->nr_var < MTRR_MAX_VAR; i++) {
		uint64_t mask = rdmsr(MSR_MTRR_PHYSBASE0 + 2 * i + 1);

		if (!(mask & MTRR_MASK_VALID))
			continue;
		m->var[m->nr_var].base = rdmsr(MSR_MTRR_PHYSBASE0 + 2 * i) & MTRR_ADDR_BITS;
		m->var[m->nr_var].mask = mask & MTRR_ADDR_BITS;
		m->nr_var++;
	}
}

/*
 * Does one MTRR memory type hold for all of [pa, pa + size)? @size is a
 * power of two and @pa is aligned to it, so the addresses inside differ
 * only in their low log2(size) bits. A variable MTRR matches an address A
 * when (A & mask) == (base & mask): if its mask has no bit below size, it
 * matches all of the page or none of it; otherwise it matches part of the
 * page exactly when the mask's higher bits agree. With the fixed ranges on,
 * no large page may cover the first MiB (types change every 4 to 64 KiB).
 */
int mtrr_type_uniform(const struct mtrr_state *m, uint64_t pa, uint64_t size)
{
	uint64_t low = size - 1;

	if (!m->enabled || size <= PAGE_SIZE)
		return 1;
	if (m->fixed && pa < FIXED_RANGE_END)
		return 0;
	for (unsigned i = 0; i < m->nr_var; i++) {
		uint64_t mask = m->var[i].mask;

		if ((mask & low) && (pa & mask & ~low) == (m->var[i].base & mask & ~low))
			return 0;
	}
	return 1;
}

/* An upper bound on the places where the type can change, for sizing the page-table pool. */
uint64_t mtrr_boundaries(const struct mtrr_state *m, uint64_t ram_bytes)
{
	uint64_t n = m->fixed ? 1 : 0;

	for (unsigned i = 0; i < m->nr_var; i++) {
		uint64_t mask = m->var[i].mask, lowest = mask & -mask;

		if (((mask + lowest) & mask) == 0) /* the carry runs through all its ones */
			n += 2;			   /* a contiguous mask: one range, two edges */
		else
			n += ram_bytes >> 21; /* a sparse mask: every 2 MiB, at worst */
	}
	return n;
}
