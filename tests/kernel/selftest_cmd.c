/*
 * Console commands that exercise the kernel itself: `selftest` runs the
 * in-kernel KTAP suites (all, one, or one case: `selftest shootdown.CASE`); `crash` provokes one
 * CPU exception on purpose, so tests (and students) can see that every exception ends the run with
 * registers, a backtrace and a failure status instead of a hang.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/uaccess.h"
#include "flushlab/layout.h"
#include "kernel/ktest.h"
#include "kernel/shell.h"
#include "lib/string.h"
#include "kernel/platform.h"
#include "mm/mm_user.h"
#include "uapi/mman.h"
#include "smp/shootdown.h"
#include "smp/smp.h"
#include "smp/tlbflush.h"
#include "task/kthread.h"
#include "task/sched.h"
#include "task/task.h"

static int cmd_selftest(int argc, char **argv)
{
	bool list = argc >= 2 && strcmp(argv[1], "list") == 0;

	if (argc > 3 || (argc == 3 && !list)) {
		shell_error("selftest: usage: selftest [SUITE[.CASE]|list [SUITE]]\n");
		return 1;
	}
	if (list) {
		ktest_list(argc == 3 ? argv[2] : NULL);
		return 0;
	}
	return ktest_run(argc == 2 ? argv[1] : NULL) != 0;
}
DEFINE_SHELL_COMMAND(selftest, "[SUITE[.CASE]|list [SUITE]]",
		     "run the in-kernel test suites, one suite or one case (KTAP)", cmd_selftest);

static volatile int crash_divisor;

/* A table-freeing flush on the cacheline (early-ack) protocol: the engine must BUG. */
static void crash_early_ack_table_free(void)
{
	struct flush_req req = {.full = true, .cause = FLUSH_TEST, .frees_tables = true};

	shootdown_with_protocol(&req, SHOOTDOWN_CACHELINE);
}

/*
 * `crash smap` / `crash smep`: a user page (a fresh mm with one page, on
 * this CPU, as a task's would be), touched by the kernel the wrong way.
 * SMAP: a plain load, outside uaccess.c's STAC window. SMEP: a call into
 * it (the page holds a RET). With CR4.SMAP / SMEP set each is a #PF that
 * exception() names; without them the access works and the command fails
 * with "not refused", so the test can fail.
 */
static void crash_user_page(bool exec)
{
	struct mm_struct *mm = mm_alloc();
	uintptr_t va = 0;
	uint64_t flags;

	if (!mm ||
	    do_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0),
		    MAP_PRIVATE | MAP_ANONYMOUS, &va) ||
	    handle_mm_fault(mm, va, FAULT_FLAG_WRITE | FAULT_FLAG_USER)) {
		shell_error("crash: no user page to touch\n");
		return;
	}
	flags = local_irq_save();
	switch_mm_irqs_off(NULL, mm);
	if (exec) {
		copy_to_user(va, &(uint8_t){0xc3}, 1); /* RET */
		((void (*)(void))va)();
	} else {
		(void)*(volatile uint8_t *)va;
	}
	leave_mm();
	local_irq_restore(flags);
	mmput(mm);
	shell_error("crash: the kernel's %s of a user page was not refused (SM%cP off)\n",
		    exec ? "call" : "load", exec ? 'E' : 'A');
}

/*
 * `crash nmi-console-locked`: an NMI on a CPU that holds the console lock
 * (an NMI, #MC or #DF can land in the middle of any printk). The crash
 * report must still print: the crash path breaks the lock, it does not
 * wait for it (kernel/printk.c console_crash_takeover).
 */
static void nmi_self_and_wait(void)
{
	lapic_send_nmi(lapic_id());
	clock_delay_ms(1000); /* the NMI ends the run long before */
}

/*
 * `crash panic-mid-shootdown`: a kernel thread on CPU 1 starts a kernel
 * shootdown, which waits for this CPU's acknowledgement, while this CPU,
 * interrupts off and serving nothing, panics. The panic must stop CPU 1
 * (an NMI reaches it in its irqs-off ack wait), print everything and end
 * the run: no hang, no half report.
 */
static volatile int shootdown_started, shootdown_done;

static int shootdown_on_cpu1(void *data)
{
	uintptr_t va = SCRATCH_BASE + 18 * GiB; /* unmapped, used by no other test */

	WRITE_ONCE(shootdown_started, 1);
	flush_tlb_kernel_range(va, va + PAGE_SIZE, FLUSH_TEST);
	WRITE_ONCE(shootdown_done, 1);
	return 0;
}

static void panic_mid_shootdown(void)
{
	struct task_struct *k;
	int err;

	if (nr_cpus_online < 2) {
		shell_error("crash: panic-mid-shootdown needs two CPUs\n");
		return;
	}
	k = kthread_create(shootdown_on_cpu1, NULL, "crash-shootdown", &err);
	if (!k) {
		shell_error("crash: no kernel thread: %d\n", err);
		return;
	}
	k->cpu = 1;
	k->cpus_allowed = 1ULL << 1;
	local_irq_disable(); /* from here this CPU takes no shootdown IPI */
	wake_up_new_task(k);
	while (!READ_ONCE(shootdown_started))
		cpu_relax();
	clock_delay_ms(50); /* CPU 1 is in its ack wait now */
	panic("crash: panic while CPU 1 waits for this CPU's shootdown ack (done=%d)",
	      READ_ONCE(shootdown_done));
}

static void crash(const char *kind)
{
	if (strcmp(kind, "page-fault") == 0)
		(void)*(volatile uint64_t *)0x1000; /* low memory: unmapped since boot */
	else if (strcmp(kind, "write-protect") == 0)
		*(volatile uint8_t *)(uintptr_t)cmd_selftest = 0xcc; /* kernel text is RX */
	else if (strcmp(kind, "general-protection") == 0)
		(void)*(volatile uint64_t *)0x8000000000000000ULL; /* non-canonical */
	else if (strcmp(kind, "invalid-opcode") == 0)
		ud2();
	else if (strcmp(kind, "divide") == 0)
		crash_divisor = 1 / crash_divisor;
	else if (strcmp(kind, "double-fault") == 0)
		crash_on_bad_stack(0x2000);
	else if (strcmp(kind, "panic") == 0)
		panic("crash: panic requested from the console");
	else if (strcmp(kind, "machine-check") == 0)
		int_machine_check(); /* the #MC handler, with no error pending */
	else if (strcmp(kind, "nmi") == 0)
		lapic_send_nmi(lapic_id()); /* a real NMI, to this CPU */
	else if (strcmp(kind, "early-ack-table-free") == 0)
		crash_early_ack_table_free();
	else if (strcmp(kind, "nmi-console-locked") == 0)
		console_locked_call(nmi_self_and_wait);
	else if (strcmp(kind, "panic-mid-shootdown") == 0)
		panic_mid_shootdown();
	else if (strcmp(kind, "smap") == 0 || strcmp(kind, "smep") == 0)
		crash_user_page(kind[2] == 'e');
}

static int cmd_crash(int argc, char **argv)
{
	if (argc != 2) {
		shell_error("crash: usage: crash page-fault|write-protect|general-protection|"
			    "invalid-opcode|divide|double-fault|panic|machine-check|nmi|smap|smep|"
			    "nmi-console-locked|panic-mid-shootdown|early-ack-table-free\n");
		return 1;
	}
	crash(argv[1]);
	if (strcmp(argv[1], "smap") && strcmp(argv[1], "smep") && /* those said why */
	    strcmp(argv[1], "panic-mid-shootdown") && strcmp(argv[1], "nmi-console-locked"))
		shell_error("crash: %s: unknown kind of crash\n", argv[1]);
	return 1;
}
DEFINE_SHELL_COMMAND(crash, "KIND", "provoke a CPU exception on purpose (ends the run)", cmd_crash);
