/*
 * Per-CPU identity through the GS base. Before smp_init installs the boot
 * CPU's struct, only the boot CPU runs kernel code and its GS base is 0 (the
 * GDT load reset it), so this_cpu_id() answers 0 from a flag instead of
 * reading %gs:8, which would fault. The flag costs one load and a branch.
 */
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/cpu.h"
#include "lib/kernel.h"

_Static_assert(__builtin_offsetof(struct percpu, self) == 0, "%gs:0 must be self");
_Static_assert(__builtin_offsetof(struct percpu, cpu_id) == 8, "this_cpu_id reads %gs:8");

struct percpu boot_percpu;
static bool percpu_ready; /* the boot CPU's GS base is set */

void arch_percpu_install(struct percpu *pc)
{
	pc->self = pc;
	wrmsr(MSR_GS_BASE, (uint64_t)pc);
	wrmsr(MSR_KERNEL_GS_BASE, 0); /* the user GS base while in the kernel (syscall.asm) */
	if (pc->cpu_id == 0)
		WRITE_ONCE(percpu_ready, true);
}

struct percpu *this_cpu_ptr(void)
{
	if (unlikely(!READ_ONCE(percpu_ready)))
		return &boot_percpu;
	return (struct percpu *)gs_read_u64(__builtin_offsetof(struct percpu, self));
}

int this_cpu_id(void)
{
	if (unlikely(!READ_ONCE(percpu_ready)))
		return 0;
	return (int)gs_read_u32(__builtin_offsetof(struct percpu, cpu_id));
}
