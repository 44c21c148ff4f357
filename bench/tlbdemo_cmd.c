/*
 * The console's `tlbdemo`: runs the stale-TLB demonstration (bench/tlbdemo.c,
 * which only measures) and explains what the counts mean.
 */
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "bench/tlbdemo.h"

static void explain(const struct tlbdemo_result *r)
{
	shell_printf("tlbdemo: CPU %d reads %#lx, CPU %d re-points it from a frame holding 1 "
		     "to one holding 2\n",
		     r->cpu_b, (unsigned long)r->va, r->cpu_a);
	shell_printf("  local flush only: CPU %d still read 1 in %u of %u trials\n", r->cpu_b,
		     r->stale_local, r->trials);
	shell_printf("  with a shootdown: CPU %d still read 1 in %u of %u trials\n", r->cpu_b,
		     r->stale_shootdown, r->trials);
	shell_printf("Why: a CPU caches translations in its own TLB, and INVLPG empties only\n"
		     "the TLB of the CPU that runs it: CPU %d went on using VA -> old frame\n"
		     "until it was told (an IPI, then its own INVLPG).\n",
		     r->cpu_b);
	shell_printf("In a real kernel the old frame would be freed and reused: a stale read\n"
		     "returns someone else's data, a stale write corrupts it. Hardware keeps\n"
		     "the entry the same way (a global one survives even CR3 writes).\n");
	shell_printf("Under QEMU TCG the soft TLB keeps it until a flush or an eviction, so\n"
		     "the local-only count may vary from run to run; the shootdown count\n"
		     "must always be 0.\n");
}

static int cmd_tlbdemo(int argc, char **argv)
{
	unsigned int trials = 100;
	struct tlbdemo_result r;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "trials=", 7) || kstrtouint(argv[i] + 7, 0, &trials) ||
		    !trials || trials > 100000) {
			shell_error("tlbdemo: %s: Invalid argument (trials=1..100000)\n", argv[i]);
			return 1;
		}
	}
	ret = tlbdemo_run(trials, &r);
	if (ret == -EOPNOTSUPP) {
		shell_error("tlbdemo: needs at least 2 CPUs (boot with -smp 2 or more)\n");
		return 1;
	}
	if (ret) {
		shell_error("tlbdemo: could not set up the demo mapping (error %d)\n", ret);
		return 1;
	}
	explain(&r);
	return r.stale_shootdown ? 1 : 0;
}
DEFINE_SHELL_COMMAND(tlbdemo, "[trials=N]",
		     "show a stale TLB entry: remap with and without a shootdown", cmd_tlbdemo);
