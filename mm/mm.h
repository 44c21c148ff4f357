/*
 * mm's public face for the rest of the kernel, and the small interface mm
 * needs from the architecture (arch/x86_64 implements it).
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdint.h>
#include "mm/efi_memmap.h"

struct mm_totals {
	uint64_t bytes[NR_MEM_CLASSES];
	uint64_t usable_end;
	/* Free frames the firmware ran code from, rewritten at boot; and those still in use. */
	unsigned long fw_code_rewritten, fw_code_kept;
};

extern struct mm_totals mm_totals;
extern unsigned long max_pfn; /* one past the highest usable frame */
/* One page below 1 MiB, reserved at boot for the SMP trampoline (0 if none). */
extern uint64_t smp_trampoline_phys;

struct boot_info;
/* Boot: account memory from the UEFI map, then drop the loader's identity map. */
void boot_memory_init(const struct boot_info *bi);

/* arch: remove the loader's identity map of low memory and flush it. */
void arch_drop_identity_map(void);

#endif
