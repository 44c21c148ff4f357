/*
 * SYSCALL set-up on each CPU: EFER.SCE on, the selectors in STAR (their
 * GDT order is argued in gdt.h), the entry point in LSTAR, and the RFLAGS
 * bits SYSCALL must clear in FMASK. The entry stub is syscall.asm.
 */
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"

_Static_assert(__builtin_offsetof(struct percpu, top_of_stack) == PERCPU_TOP_OF_STACK,
	       "syscall.asm reads %gs:PERCPU_TOP_OF_STACK");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp_scratch) == PERCPU_USER_RSP_SCRATCH,
	       "syscall.asm writes %gs:PERCPU_USER_RSP_SCRATCH");
_Static_assert(sizeof(struct trap_frame) == 22 * 8 &&
		   __builtin_offsetof(struct trap_frame, rip) == 136 &&
		   __builtin_offsetof(struct trap_frame, rcx) == 96 &&
		   __builtin_offsetof(struct trap_frame, r11) == 32 &&
		   __builtin_offsetof(struct trap_frame, rflags) == 152,
	       "syscall.asm builds a struct trap_frame by hand");
_Static_assert(USER_DS == (0x20 | 3) && USER_CS == (0x28 | 3), "syscall.asm's selectors");

/*
 * FMASK: IF off, so no interrupt can arrive before the stub has swapped GS
 * and stacks; DF off, as the ABI wants on entry to C; TF off, so a user's
 * single-step does not trace the kernel; AC off, so a user's alignment
 * check cannot fire in the kernel (and SMAP, if ever enabled, is not
 * bypassed); NT and IOPL off, as Linux does, so they cannot leak into
 * the kernel's own IRETs.
 */
#define SYSCALL_RFLAGS_MASK                                                                        \
	(X86_RFLAGS_IF | X86_RFLAGS_DF | X86_RFLAGS_TF | X86_RFLAGS_AC | X86_RFLAGS_NT |           \
	 X86_RFLAGS_IOPL)

void syscall_init_cpu(void)
{
	/*
	 * STAR[47:32]: SYSCALL's CS (SS is +8). STAR[63:48]: 64-bit SYSRET's
	 * CS is +16 and SS +8 from it, both forced to RPL 3 by the CPU.
	 */
	uint64_t star = ((uint64_t)GDT_KERNEL_CODE << 32) | ((uint64_t)(GDT_USER32_CODE | 3) << 48);

	wrmsr(MSR_STAR, star);
	wrmsr(MSR_LSTAR, (uint64_t)entry_SYSCALL_64);
	wrmsr(MSR_SYSCALL_MASK, SYSCALL_RFLAGS_MASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
