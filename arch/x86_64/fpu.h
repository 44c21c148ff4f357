/*
 * User FPU/SIMD state: which components this kernel switches (x87 and SSE
 * always; AVX and AVX-512 where CPUID and XCR0 have them), saved and
 * restored per task on every context switch. The kernel itself is built
 * -mgeneral-regs-only and never touches these registers.
 */
#ifndef ARCH_X86_64_FPU_H
#define ARCH_X86_64_FPU_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Room for one task's state: the XSAVE standard-format area of x87, SSE,
 * AVX and the three AVX-512 components ends at byte 2688 (SDM vol. 1,
 * 13.4 and CPUID leaf 0xD); fpu_init drops AVX-512 if CPUID reports more.
 */
#define FPU_STATE_MAX 3072
#define FPU_STATE_ALIGN 64 /* XSAVE's area alignment (FXSAVE's is 16) */
#define FXSAVE_SIZE 512	   /* the legacy region, and all of an FXSAVE image */

#define XFEATURE_MASK_FP (1ULL << 0)
#define XFEATURE_MASK_SSE (1ULL << 1)
#define XFEATURE_MASK_YMM (1ULL << 2)
#define XFEATURE_MASK_AVX512 (7ULL << 5) /* opmask, ZMM_Hi256, Hi16_ZMM: all or none */

/* XCR0 as set on every CPU (0: no XSAVE, FXSAVE is used); the bytes a save writes. */
extern uint64_t fpu_xfeatures;
extern unsigned int fpu_state_size;
/* The MXCSR bits this CPU implements (FXSAVE's MXCSR_MASK). */
extern uint32_t fpu_mxcsr_mask;

/* Boot CPU, once, after CR4.OSXSAVE: choose the components, set XCR0 here. */
void fpu_init(void);
/* Every AP, after it copied the boot CPU's CR4: the same XCR0 (it is per CPU). */
void fpu_init_cpu(void);

/* A new process's state: every register in its initial state (XRSTOR's init). */
void fpstate_init(void *area);
/* This CPU's user FPU registers to @area / from @area (FPU_STATE_ALIGN-aligned). */
void fpu_save(void *area);
void fpu_restore(const void *area);

/*
 * An image copied from user memory is safe to fpu_restore (no #GP): 0 or
 * -EINVAL. @xstate: the XSAVE header is in it too (else it is FXSAVE only).
 */
int fpstate_check_user(const void *area, bool xstate);
/* Make an FXSAVE-only image a valid XSAVE one: x87 and SSE as given, the rest initial. */
void fpstate_from_fxsave(void *area);

#endif
