/*
 * This CPU's TLB, and nothing else: the primitives the shootdown engine is
 * built from. Global entries (the kernel's) survive a CR3 write, so a full
 * flush here means "global ones too".
 */
#ifndef ARCH_X86_64_TLB_H
#define ARCH_X86_64_TLB_H

#include <stdbool.h>
#include <stdint.h>

/* INVLPG: the entry for @va, global or not, and the paging-structure caches. */
void local_flush_tlb_one(uintptr_t va);
/*
 * Every entry, global ones included: INVPCID type 2 where the CPU has it,
 * else a CR4.PGE toggle (SDM vol. 3, 4.10.4.1: writing CR4 with PGE changed
 * invalidates all TLB entries including global ones, and all
 * paging-structure caches). Both act on every PCID, not only the current.
 */
void local_flush_tlb_all(void);
/*
 * Every non-global entry (user mappings): reload CR3. With CR4.PCIDE=0 a
 * MOV to CR3 invalidates all TLB entries except global ones, and all
 * paging-structure caches (SDM vol. 3, 4.10.4.1). With CR4.PCIDE=1 the
 * same write (bit 63 clear) does so for the current PCID only: the others
 * are smp/asid.c's business.
 */
void local_flush_tlb_nonglobal(void);
/*
 * PCIDs (Intel SDM vol. 3, 4.10.1; AMD APM vol. 2, 5.5.1). Set CR4.PCIDE
 * on this CPU; the caller checked CPUID.01H:ECX.PCID[17]. The rules for
 * setting it: long mode (EFER.LMA = 1) and CR3[11:0] = 0, else MOV to CR4
 * raises #GP (SDM vol. 3, 2.5 and 4.10.1). Returns false, changing
 * nothing, if CR3[11:0] is not 0 (a caller bug, reported).
 */
bool cpu_pcid_enable(void);
/*
 * With CR4.PCIDE = 1: every non-global entry tagged @pcid and every
 * paging-structure-cache entry for it (INVPCID type 1); or only @va's
 * (type 0; it also empties the paging-structure caches of @pcid: SDM vol.
 * 3, 4.10.4.1). The caller checked CPUID.(EAX=07H,ECX=0):EBX.INVPCID[10].
 */
void local_flush_tlb_pcid(uint16_t pcid);
void local_flush_tlb_pcid_one(uint16_t pcid, uintptr_t va);
/* The physical address of the root this CPU walks (CR3 without flag bits). */
uint64_t local_cr3_root(void);

#endif
