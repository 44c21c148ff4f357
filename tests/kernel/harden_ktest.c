/*
 * Hardening and firmware independence, where TCG can
 * show it: every CPU runs with the CR4 and XCR0 the kernel chose from
 * CPUID (SMEP, SMAP, OSFXSR, OSXMMEXCPT, OSXSAVE), not the firmware's; a
 * kernel access to a user page outside uaccess's STAC window is refused
 * and goes to its fixup (counted), while uaccess itself still works; the
 * syscall-table index mask holds in range and clamps out of range; a
 * kernel thread's sleep ends when its CPU's tick is gone (no ARAT).
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/uaccess.h"
#include "flushlab/layout.h"
#include "kernel/ktest.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "uapi/mman.h"
#include "smp/cross_call.h"
#include "smp/smp.h"
#include "smp/tlbflush.h"
#include "task/kthread.h"
#include "task/sched.h"
#include "task/task.h"

static uint64_t cr4_of[MAX_CPUS], xcr0_of[MAX_CPUS];

static void read_control_regs(void *info)
{
	cr4_of[this_cpu_id()] = read_cr4();
	xcr0_of[this_cpu_id()] = (read_cr4() & X86_CR4_OSXSAVE) ? xgetbv(0) : 0;
}

/* Each bit is on exactly where CPUID has the feature (no nosmap/nosmep given). */
static void cr4_follows_cpuid_on_every_cpu(struct ktest *t)
{
	const struct cpu_features *f = &cpu_features;
	int cpu;

	on_each_cpu(read_control_regs, NULL, true);
	for_each_online_cpu (cpu) {
		uint64_t cr4 = cr4_of[cpu];

		KEXPECT_EQ(t, f->smep, !!(cr4 & X86_CR4_SMEP));
		KEXPECT_EQ(t, f->smap, !!(cr4 & X86_CR4_SMAP));
		KEXPECT_EQ(t, f->fxsr, !!(cr4 & X86_CR4_OSFXSR));
		KEXPECT_EQ(t, f->fxsr, !!(cr4 & X86_CR4_OSXMMEXCPT));
		KEXPECT_EQ(t, f->xsave, !!(cr4 & X86_CR4_OSXSAVE));
		KEXPECT_EQ(t, 0, cr4 & (1UL << 16)); /* FSGSBASE: never ours to leave on */
		KEXPECT_EQ(t, fpu_xfeatures, xcr0_of[cpu]);
	}
	KEXPECT_EQ(t, f->smap, x86_smap_enabled);
}

/* XCR0 holds AVX where CPUID has it, and the task buffer holds what XSAVE writes. */
static void fpu_state_covers_the_cpu(struct ktest *t)
{
	KEXPECT_TRUE(t, fpu_state_size <= FPU_STATE_MAX);
	if (!cpu_features.xsave)
		KTEST_SKIP(t, "no XSAVE: FXSAVE's 512 bytes");
	KEXPECT_EQ(t, XFEATURE_MASK_FP | XFEATURE_MASK_SSE,
		   fpu_xfeatures & (XFEATURE_MASK_FP | XFEATURE_MASK_SSE));
	KEXPECT_EQ(t, cpu_features.avx, !!(fpu_xfeatures & XFEATURE_MASK_YMM));
	KEXPECT_TRUE(t, fpu_state_size >= 576 + (cpu_features.avx ? 256 : 0));
}

/*
 * A user page, present and loaded on this CPU: load_u8_nofault (an
 * exception-table access) outside the STAC window must fault and take
 * its fixup, counted in nr_smap_fixups; inside it, and through
 * copy_from_user, the same byte reads fine.
 */
static void smap_refuses_access_outside_uaccess(struct ktest *t)
{
	struct mm_struct *mm;
	uintptr_t va = 0;
	uint64_t fixups = nr_smap_fixups, flags;
	uint8_t v = 0, w = 0, x = 0;
	int bare, inside;

	if (!x86_smap_enabled)
		KTEST_SKIP(t, "SMAP absent or off");
	mm = mm_alloc();
	KASSERT_TRUE(t, mm != NULL);
	KASSERT_EQ(
	    t, 0,
	    do_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, &va));
	KASSERT_EQ(t, 0, handle_mm_fault(mm, va, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	flags = local_irq_save();
	switch_mm_irqs_off(NULL, mm);
	KEXPECT_EQ(t, 0, copy_to_user(va, &(uint8_t){0x5a}, 1));
	bare = load_u8_nofault((const uint8_t *)va, &v);
	user_access_begin();
	inside = load_u8_nofault((const uint8_t *)va, &w);
	user_access_end();
	KEXPECT_EQ(t, 0, copy_from_user(&x, va, 1));
	leave_mm();
	local_irq_restore(flags);
	mmput(mm);
	KEXPECT_EQ(t, 1, bare);
	KEXPECT_EQ(t, fixups + 1, nr_smap_fixups);
	KEXPECT_EQ(t, 0, inside);
	KEXPECT_EQ(t, 0x5a, w);
	KEXPECT_EQ(t, 0x5a, x);
	KEXPECT_EQ(t, 0, read_rflags() & X86_RFLAGS_AC); /* the window closed */
}

static void syscall_index_mask_clamps(struct ktest *t)
{
	KEXPECT_EQ(t, 0, array_index_nospec(0, 10));
	KEXPECT_EQ(t, 9, array_index_nospec(9, 10));
	KEXPECT_EQ(t, 0, array_index_nospec(10, 10));
	KEXPECT_EQ(t, 0, array_index_nospec(~0UL, 10));
	KEXPECT_EQ(t, ~0UL, array_index_mask_nospec(3, 4));
	KEXPECT_EQ(t, 0, array_index_mask_nospec(4, 4));
}

static volatile int sleeper_done;

static int short_sleeper(void *data)
{
	msleep_interruptible(30);
	WRITE_ONCE(sleeper_done, 1);
	return 0;
}

static void stop_tick(void *info)
{
	lapic_timer_stop();
}

static void start_tick(void *info)
{
	lapic_timer_start(SMP_TICK_HZ);
}

/*
 * A kernel thread's 30 ms sleep ends although its CPU's tick is gone: on
 * CPU 1 with its timer stopped (what a LAPIC timer without ARAT does in a
 * deep C-state), another CPU's tick must wake it; at -smp 1 under
 * `noarat` (its ticks lost while it halts) the console must poll rather
 * than halt. The wait is bounded (3 s), so a sleep that never ends fails
 * the case instead of hanging the run.
 */
static void kthread_sleep_ends_without_its_tick(struct ktest *t)
{
	int cpu = nr_cpus_online > 1 ? 1 : 0, err;
	uint64_t end = rdtsc() + 3000 * tsc_khz;
	struct task_struct *k;

	WRITE_ONCE(sleeper_done, 0);
	k = kthread_create(short_sleeper, NULL, "ktest_noarat", &err);
	KASSERT_TRUE(t, k != NULL);
	k->cpu = cpu;
	k->cpus_allowed = 1ULL << cpu;
	if (cpu)
		KASSERT_EQ(t, 0, smp_call_function_single(cpu, stop_tick, NULL, true));
	wake_up_new_task(k);
	while (!READ_ONCE(sleeper_done) && (int64_t)(rdtsc() - end) < 0)
		if (!sched_yield_console())
			sched_idle_halt();
	KEXPECT_EQ(t, 1, READ_ONCE(sleeper_done));
	if (cpu)
		KEXPECT_EQ(t, 0, smp_call_function_single(cpu, start_tick, NULL, true));
	KEXPECT_EQ(t, 0, kthread_stop(k));
}

static const struct ktest_case harden_cases[] = {
    KTEST_CASE(cr4_follows_cpuid_on_every_cpu),	     KTEST_CASE(fpu_state_covers_the_cpu),
    KTEST_CASE(smap_refuses_access_outside_uaccess), KTEST_CASE(syscall_index_mask_clamps),
    KTEST_CASE(kthread_sleep_ends_without_its_tick), {},
};
DEFINE_KTEST_SUITE(harden, harden_cases);
