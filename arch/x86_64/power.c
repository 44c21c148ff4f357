/*
 * Ending a run. Under QEMU the isa-debug-exit device (port 0xf4) turns the
 * status into QEMU's exit code; on hardware the port is unused, so the CPU
 * then halts with interrupts off and a last line says why.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "kernel/platform.h"
#include "lib/kernel.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4

__noreturn void machine_exit(int status)
{
	local_irq_disable();
	outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)status);
	/*
	 * QEMU 9 and later end the run asynchronously (a shutdown request, not
	 * exit() inside the port write): give it 100 ms before saying there is
	 * no such device, or half of that line reaches the console first.
	 */
	for (uint64_t end = rdtsc() + 100 * tsc_khz; (int64_t)(rdtsc() - end) < 0;)
		cpu_relax();
	printk("flushlab: halted with status %d (no isa-debug-exit device)\n", status);
	for (;;)
		halt();
}
