/* Local TLB invalidation (see tlb.h for what each guarantees). */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tlb.h"
#include "flushlab/layout.h"
#include "lib/kernel.h"

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

bool cpu_pcid_enable(void)
{
	if (read_cr3() & 0xfff) {
		printk("tlb: CR3[11:0] is not 0: CR4.PCIDE left clear (it would #GP)\n");
		return false;
	}
	/*
	 * PCIDE 0 -> 1 invalidates nothing (SDM vol. 3, 4.10.4.1 lists only
	 * PCIDE 1 -> 0): the entries cached so far were tagged PCID 0, which
	 * stays the current PCID (CR3[11:0] = 0), the kernel root's.
	 */
	write_cr4(read_cr4() | X86_CR4_PCIDE);
	return true;
}

void local_flush_tlb_pcid(uint16_t pcid)
{
	invpcid(INVPCID_TYPE_SINGLE_CTXT, pcid, 0);
}

void local_flush_tlb_pcid_one(uint16_t pcid, uintptr_t va)
{
	invpcid(INVPCID_TYPE_INDIV_ADDR, pcid, va);
}

uint64_t local_cr3_root(void)
{
	return read_cr3() &
	       PTE_PFN_MASK; /* CR3 holds the root's address in the same bits as a PTE */
}
