/*
 * Console commands that exercise the kernel itself: `selftest` runs the
 * in-kernel KTAP suites (all, one, or one case: `selftest shootdown.CASE`); `crash` provokes one
 * CPU exception on purpose, so tests (and students) can see that every exception ends the run with
 * registers, a backtrace and a failure status instead of a hang.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "kernel/ktest.h"
#include "kernel/shell.h"
#include "lib/string.h"

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
}

static int cmd_crash(int argc, char **argv)
{
	if (argc != 2) {
		shell_error("crash: usage: crash page-fault|write-protect|general-protection|"
			    "invalid-opcode|divide|double-fault|panic|machine-check|nmi\n");
		return 1;
	}
	crash(argv[1]);
	shell_error("crash: %s: unknown kind of crash\n", argv[1]);
	return 1;
}
DEFINE_SHELL_COMMAND(crash, "KIND", "provoke a CPU exception on purpose (ends the run)", cmd_crash);
