/*
 * The user FPU/SIMD state per task (Intel SDM vol. 1, ch. 13 "Managing
 * State Using the XSAVE Feature Set"; vol. 3, 2.5 and 13.x). With XSAVE the
 * kernel enables in XCR0 every user component it can hold (x87, SSE, AVX,
 * AVX-512) and switches them with XSAVE64/XRSTOR64; without it, FXSAVE64 /
 * FXRSTOR64 switch x87 and SSE. Switching is eager, in context_switch
 * (task/sched.c): Linux's choice since 4.6, because lazy switching (CR0.TS
 * and #NM) leaks the previous task's registers to speculation (LazyFP,
 * CVE-2018-3665) and the save costs little next to a switch.
 */
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"

#define FXSAVE_FCW 0	     /* x87 control word */
#define FXSAVE_MXCSR 24	     /* SSE control and status */
#define FCW_DEFAULT 0x37f    /* FNINIT's: every x87 exception masked, 64-bit precision */
#define MXCSR_DEFAULT 0x1f80 /* every SIMD exception masked, round to nearest */
#define FXSAVE_MXCSR_MASK 28 /* MXCSR bits this CPU implements; 0 means 0xffbf */
#define XSAVE_HDR 512	     /* XSTATE_BV, XCOMP_BV, then 48 reserved bytes */

uint32_t fpu_mxcsr_mask = 0xffbf; /* SDM vol. 1, 11.6.6: the default when FXSAVE says 0 */

uint64_t fpu_xfeatures;
unsigned int fpu_state_size = FXSAVE_SIZE;

/* The bytes XSAVE writes for the components now enabled in XCR0 (CPUID 0xD.0 EBX). */
static unsigned int xstate_size_now(void)
{
	uint32_t a, b, c, d;

	cpuid(0xd, 0, &a, &b, &c, &d);
	return b;
}

/*
 * XCR0's rules (SDM vol. 1, 13.3): bit 0 (x87) always set; AVX needs SSE;
 * the three AVX-512 bits go together and need AVX; a bit CPUID 0xD.0
 * EDX:EAX does not list is #GP. Components kept out: MPX (deprecated),
 * PKRU (CR4.PKE stays off), AMX (Linux asks for a per-process permission
 * first; no flushlab program needs it).
 */
void fpu_init(void)
{
	uint32_t a, b, c, d;
	uint64_t want;

	static uint8_t fx[FXSAVE_SIZE] __attribute__((aligned(16)));

	fxsave(fx);
	if (*(uint32_t *)(fx + FXSAVE_MXCSR_MASK))
		fpu_mxcsr_mask = *(uint32_t *)(fx + FXSAVE_MXCSR_MASK);
	if (!cpu_features.xsave)
		return; /* FXSAVE: 512 bytes */
	cpuid(0xd, 0, &a, &b, &c, &d);
	want = ((uint64_t)d << 32 | a) &
	       (XFEATURE_MASK_FP | XFEATURE_MASK_SSE | XFEATURE_MASK_YMM | XFEATURE_MASK_AVX512);
	if (!(want & XFEATURE_MASK_YMM) || (want & XFEATURE_MASK_AVX512) != XFEATURE_MASK_AVX512)
		want &= ~XFEATURE_MASK_AVX512;
	fpu_xfeatures = want | XFEATURE_MASK_FP | XFEATURE_MASK_SSE;
	fpu_init_cpu();
	if (xstate_size_now() > FPU_STATE_MAX) {
		fpu_xfeatures &= ~XFEATURE_MASK_AVX512;
		fpu_init_cpu();
	}
	fpu_state_size = xstate_size_now();
	BUG_ON(fpu_state_size > FPU_STATE_MAX);
}

void fpu_init_cpu(void)
{
	if (fpu_xfeatures)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, fpu_xfeatures);
}

/*
 * All zero but the two control words: in the legacy region FCW and MXCSR
 * as FNINIT and the ABI want; in the XSAVE header XSTATE_BV = 0 (every
 * component in its initial state: XRSTOR initialises them rather than
 * loading zeros) and XCOMP_BV = 0 (standard format; reserved header bytes
 * must be 0 or XRSTOR raises #GP). XRSTOR still loads MXCSR from the
 * legacy region when SSE or AVX is requested (SDM vol. 1, 13.8.1).
 */
void fpstate_init(void *area)
{
	memset(area, 0, FPU_STATE_MAX);
	*(uint16_t *)((uint8_t *)area + FXSAVE_FCW) = FCW_DEFAULT;
	*(uint32_t *)((uint8_t *)area + FXSAVE_MXCSR) = MXCSR_DEFAULT;
}

void fpu_save(void *area)
{
	if (fpu_xfeatures)
		xsave64(area, fpu_xfeatures);
	else
		fxsave(area);
}

void fpu_restore(const void *area)
{
	if (fpu_xfeatures)
		xrstor64(area, fpu_xfeatures);
	else
		fxrstor(area);
}

/*
 * State from user memory (a signal frame) must not make the kernel's
 * FXRSTOR/XRSTOR fault: both raise #GP for an MXCSR bit the CPU does not
 * implement (SDM vol. 1, 10.5.1.1 and 11.6.6), and XRSTOR for an XSTATE_BV
 * bit not in XCR0 or, in the standard form, non-zero header bytes 8-23
 * (SDM vol. 1, 13.8). Linux lets XRSTOR fault on the user copy and fails
 * the sigreturn; we check first, and also want header bytes 24-63 zero as
 * Linux's validate_user_xstate_header does. 0 or -EINVAL.
 */
int fpstate_check_user(const void *area, bool xstate)
{
	const uint8_t *a = area;

	if (*(const uint32_t *)(a + FXSAVE_MXCSR) & ~fpu_mxcsr_mask)
		return -EINVAL;
	if (!xstate)
		return 0;
	if (*(const uint64_t *)(a + XSAVE_HDR) & ~fpu_xfeatures)
		return -EINVAL;
	for (int i = 8; i < 64; i++)
		if (a[XSAVE_HDR + i])
			return -EINVAL;
	return 0;
}

/* A legacy (FXSAVE-only) image in an XSAVE area: x87 and SSE as given, the rest initial. */
void fpstate_from_fxsave(void *area)
{
	uint8_t *a = area;

	if (!fpu_xfeatures)
		return;
	memset(a + XSAVE_HDR, 0, 64);
	*(uint64_t *)(a + XSAVE_HDR) = XFEATURE_MASK_FP | XFEATURE_MASK_SSE;
}
