/*
 * PCIDs as per-CPU dynamic ASIDs (Linux's scheme, arch/x86/mm/tlb.c): each
 * CPU keeps TLB_NR_DYN_ASIDS slots saying which address space (by ctx_id,
 * never reused) each hardware PCID last held and up to which tlb_gen its
 * entries are known current. Pure C, no hardware: every decision lives
 * here and is tested on the host (tests/host/asid_test.c); smp/tlb_mm.c
 * and smp/shootdown_target.c carry it out with CR3 writes and INVPCID.
 */
#ifndef SMP_ASID_H
#define SMP_ASID_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Slots per CPU (Linux's TLB_NR_DYN_ASIDS): each is one more address space
 * whose entries survive a switch away. PCID 0 is the kernel's root (no mm:
 * a CPU that left every user mm); slot N uses PCID N + 1.
 */
#define TLB_NR_DYN_ASIDS 6
#define ASID_NONE TLB_NR_DYN_ASIDS /* "loaded": the kernel's root, PCID 0 */
#define CR3_NOFLUSH (1ULL << 63)   /* MOV to CR3 with CR4.PCIDE=1: keep that PCID's entries */
#define CR3_PCID_MASK 0xfffULL

struct asid_slot {
	uint64_t ctx_id;  /* 0: empty (no mm has ctx_id 0) */
	uint64_t tlb_gen; /* every change up to this generation is in the TLB under this PCID */
};

/* One CPU's state; only that CPU reads or writes it, with interrupts off. */
struct asid_cpu {
	struct asid_slot slots[TLB_NR_DYN_ASIDS];
	unsigned int loaded;	  /* the slot in CR3, or ASID_NONE */
	unsigned int next_victim; /* round robin over the slots */
	/* counters (the debugfs file, tests) */
	uint64_t hits;		/* switches that found the mm's slot */
	uint64_t hits_noflush;	/* ... and kept its entries (CR3 bit 63 set) */
	uint64_t evictions;	/* switches that took another mm's slot */
	uint64_t deferred;	/* flushes for a PCID not in CR3, left to its next load */
	uint64_t other_flushed; /* ... done at once with INVPCID instead */
	uint64_t forgotten;	/* slots emptied by a kernel range flush without INVPCID */
};

/* What switch_mm must write: the slot's PCID and whether CR3 may keep its entries. */
struct asid_switch {
	unsigned int asid;
	bool need_flush;
};

/* What to do with a user-mm flush on this CPU (asid_plan_flush). */
enum asid_action {
	ASID_NOTHING,	   /* no PCID holds entries of that mm older than the flush */
	ASID_FLUSH_LOADED, /* the mm is in CR3: INVLPG / reload CR3, as without PCID */
	ASID_FLUSH_OTHER,  /* INVPCID on the slot's PCID now (type 0 per page, 1 for all) */
	ASID_DEFERRED,	   /* no INVPCID: the slot's generation is behind; its next load flushes */
};

struct asid_plan {
	enum asid_action action;
	unsigned int asid; /* the slot, for FLUSH_LOADED and FLUSH_OTHER */
};

void asid_cpu_init(struct asid_cpu *c);
/* The hardware PCID of @asid (slot, or ASID_NONE for the kernel's root). */
uint16_t asid_pcid(unsigned int asid);
/*
 * The CR3 value for @root_pa under @asid: the PCID in bits 11:0 and, when
 * the entries may stay, bit 63. Only with CR4.PCIDE=1 (without PCID the
 * caller writes the bare root: bit 63 is reserved there).
 */
uint64_t asid_cr3(uint64_t root_pa, unsigned int asid, bool need_flush);
/*
 * Switching to the mm @ctx_id whose tlb_gen the caller read (after setting
 * its mm_cpumask bit) is @tlb_gen: its slot if it has one, flushing only if
 * the slot is behind; else the next victim's slot, flushed. Records the mm
 * in the slot as current up to @tlb_gen: the CR3 write makes it so.
 */
struct asid_switch asid_switch_mm(struct asid_cpu *c, uint64_t ctx_id, uint64_t tlb_gen);
/* Switching to the kernel's root: PCID 0, always flushed (it holds no mm's entries). */
struct asid_switch asid_switch_kernel(struct asid_cpu *c);
/*
 * A flush of the mm @ctx_id reached this CPU, asking for generation
 * @new_gen (the mm's tlb_gen after the initiator's bump); @full, or a
 * range. The mm in CR3 is the loaded slot's (none: the kernel's root).
 */
struct asid_plan asid_plan_flush(struct asid_cpu *c, uint64_t ctx_id, uint64_t new_gen, bool full,
				 bool have_invpcid);
/*
 * The plan was carried out (FLUSH_LOADED or FLUSH_OTHER): advance the
 * slot's generation where that is safe: after a full flush to @new_gen;
 * after a range only if it was the very next generation (Linux's rule: an
 * older range may have been skipped).
 */
void asid_flush_done(struct asid_cpu *c, unsigned int asid, uint64_t new_gen, bool full);
/*
 * A kernel range flush (INVLPG) ran here: it dropped global entries under
 * every PCID but the paging-structure caches (and non-global entries) of
 * the current PCID only (SDM vol. 3, 4.10.4.1, INVLPG). Every other
 * occupied slot is returned in @flush (a bit per slot) for INVPCID type 1
 * when @have_invpcid; without it the slots are emptied, so their next load
 * flushes. Returns the number of slots concerned.
 */
int asid_kernel_range_flushed(struct asid_cpu *c, bool have_invpcid, uint32_t *flush);

/* ---- may PCIDs be turned on at all (smp/pcid_rules.c, Linux's setup_pcid) ---- */

/* What the boot CPU says about itself, for pcid_decide. */
struct pcid_cpu {
	bool pcid, pge;	    /* CPUID 1 ECX[17], EDX[13] */
	bool intel;	    /* vendor GenuineIntel */
	uint32_t signature; /* CPUID 1 EAX: family, model, stepping */
	uint32_t microcode; /* IA32_BIOS_SIGN_ID[63:32]; read only where it matters (below) */
};

enum pcid_verdict {
	PCID_ON,
	PCID_ABSENT,		 /* CPUID has no PCID */
	PCID_OFF_NOPCID,	 /* the command line said nopcid */
	PCID_OFF_INVLPG_ERRATUM, /* ADL063/RPL042 with microcode older than the fix */
	PCID_OFF_NO_PGE,	 /* no global pages: a full flush would miss other PCIDs */
};

/* CPUID leaf 1 EAX decoded as Linux's x86_family() / x86_model(). */
unsigned int x86_family(uint32_t sig);
unsigned int x86_model(uint32_t sig);
/*
 * The first microcode revision that fixes the INVLPG-misses-global-entries
 * erratum on @cpu's model, or 0 if the model does not have it (then the
 * microcode need not be read at all).
 */
uint32_t pcid_invlpg_erratum_fixed_rev(const struct pcid_cpu *cpu);
enum pcid_verdict pcid_decide(const struct pcid_cpu *cpu, bool nopcid);

#endif
