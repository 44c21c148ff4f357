/*
 * Between smp.c (bring-up) and trampoline.c (the low pages the APs start
 * in): the trampoline's data block, which the boot CPU fills per AP.
 */
#ifndef SMP_SMP_PRIV_H
#define SMP_SMP_PRIV_H

#include <stdint.h>

/* Mirrors the data block at the end of smp/trampoline.asm. */
struct __attribute__((packed)) trampoline_data {
	uint16_t gdt_limit; /* +0 */
	uint32_t gdt_base;
	uint16_t pad0;
	uint32_t pm32_offset; /* +8: far pointer to the 32-bit code */
	uint16_t pm32_sel, pad1;
	uint32_t lm64_offset; /* +16: far pointer to the 64-bit code */
	uint16_t lm64_sel, pad2;
	uint64_t cr3;	/* +24: the trampoline's PML4, below 4 GiB */
	uint64_t efer;	/* +32 */
	uint64_t stack; /* +40: per AP */
	uint64_t entry; /* +48: C entry, called with arg in %rdi */
	uint64_t arg;	/* +56: per AP */
};
_Static_assert(sizeof(struct trampoline_data) == 64, "must match trampoline.asm");

/*
 * Copy the trampoline to the low page the memory step reserved
 * (smp_trampoline_phys), patch its addresses and build its page tables from
 * the running kernel's PML4. Returns the data block, or NULL after printing
 * why APs cannot be started.
 */
struct trampoline_data *trampoline_setup(void (*entry)(void *));

#endif
