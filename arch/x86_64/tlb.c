/* Local TLB invalidation (see tlb.h for what each guarantees). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tlb.h"

void local_flush_tlb_one(uintptr_t va)
{
	invlpg(va);
}

void local_flush_tlb_all(void)
{
	uint64_t cr4, flags;

	if (cpu_features.invpcid) {
		invpcid(INVPCID_TYPE_ALL_INCL_GLOBAL, 0, 0);
		return;
	}
	flags = local_irq_save(); /* CR4 must not change between the two writes */
	cr4 = read_cr4();
	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3()); /* no global entries exist without PGE */
	}
	local_irq_restore(flags);
}

void local_flush_tlb_nonglobal(void)
{
	write_cr3(read_cr3());
}

uint64_t local_cr3_root(void)
{
	return read_cr3() & 0x000ffffffffff000ULL;
}
