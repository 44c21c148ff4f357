/*
 * This CPU's TLB, and nothing else: the primitives the shootdown engine is
 * built from. Global entries (the kernel's) survive a CR3 write, so a full
 * flush here means "global ones too".
 */
#ifndef ARCH_X86_64_TLB_H
#define ARCH_X86_64_TLB_H

#include <stdint.h>

/* INVLPG: the entry for @va, global or not, and the paging-structure caches. */
void local_flush_tlb_one(uintptr_t va);
/*
 * Every entry, global ones included: INVPCID type 2 where the CPU has it,
 * else a CR4.PGE toggle (SDM vol. 3, 4.10.4.1: writing CR4 with PGE changed
 * invalidates all TLB entries including global ones, and all
 * paging-structure caches).
 */
void local_flush_tlb_all(void);
/*
 * Every non-global entry (user mappings): reload CR3. With CR4.PCIDE=0 a
 * MOV to CR3 invalidates all TLB entries except global ones, and all
 * paging-structure caches (SDM vol. 3, 4.10.4.1). flushlab leaves PCID off.
 */
void local_flush_tlb_nonglobal(void);
/* The physical address of the root this CPU walks (CR3 without flag bits). */
uint64_t local_cr3_root(void);

#endif
