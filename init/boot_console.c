/*
 * The console's boot-time wiring: every subsystem's pseudo-files (each
 * declared beside its code, DEFINE_PSEUDO_FILE) are loaded, and the serial port is the
 * input the interactive shell reads from. While a command runs, the console is
 * polled for Ctrl-C; bytes typed ahead meanwhile wait in a small queue.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "flushlab/boot_info.h"
#include "init/boot.h"
#include "kernel/platform.h"
#include "kernel/shell.h"
#include "kernel/pseudofs.h"
#include "kernel/trace.h"
#include "kernel/tlbmodel.h"
#include "mm/devmem.h"
#include "lib/kernel.h"
#include "smp/tlb_ledger.h"
#include "task/sched.h"

void boot_console_init(const struct boot_info *bi)
{
	if (bi->cmdline[0])
		printk("boot: command line: %s\n", bi->cmdline);
	pseudofs_init();	/* every DEFINE_PSEUDO_FILE: /proc, /sys, the ramfs's files */
	tlb_ledger_time_init(); /* the ledger line `time` prints */
	trace_init();		/* /sys/kernel/tracing/: ring buffers, events */
	devmem_init();		/* the simulated device-memory region; daxctl */
	tlbmodel_init(bi);	/* phase marks for the TLB-model plugin, if booted with tlbmodel */
}

#define TYPEAHEAD_MAX 256 /* more than a line of type-ahead is dropped */
#define CTRL_C 0x03

static uint8_t typeahead[TYPEAHEAD_MAX];
static unsigned int typeahead_head, typeahead_len;

int boot_console_getc(void)
{
	int c;

	if (typeahead_len) { /* typed during a sleep or while a program ran */
		c = typeahead[typeahead_head];
		typeahead_head = (typeahead_head + 1) % TYPEAHEAD_MAX;
		typeahead_len--;
		return c;
	}
	while ((c = serial_try_getc()) < 0) {
		if (!sched_yield_console()) /* programs queued on this CPU take turns */
			cpu_relax(); /* under TCG, PAUSE yields the vCPU: polling stays cheap */
	}
	return c;
}

/*
 * Drain what the UART holds: Ctrl-C says "interrupt" (and is consumed, as a
 * terminal's ISIG would); anything else is queued for boot_console_getc.
 * Only the boot CPU's shell calls this, so the queue needs no lock.
 */
bool console_poll_interrupt(void)
{
	bool interrupted = false;
	int c;

	while ((c = serial_try_getc()) >= 0) {
		if (c == CTRL_C) {
			interrupted = true;
		} else if (typeahead_len < TYPEAHEAD_MAX) {
			typeahead[(typeahead_head + typeahead_len) % TYPEAHEAD_MAX] = (uint8_t)c;
			typeahead_len++;
		}
	}
	return interrupted;
}
