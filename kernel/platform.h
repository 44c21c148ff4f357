/*
 * What the arch-neutral kernel (console, shell, tests) needs from the machine:
 * time, a busy delay, the serial console and a way to end the run. arch/x86_64
 * implements these; the host test tier stubs them in tests/host/stubs/.
 */
#ifndef KERNEL_PLATFORM_H
#define KERNEL_PLATFORM_H

#include "lib/kernel.h"

/* Monotonic nanoseconds since boot. */
uint64_t clock_ns(void);

/* Busy-wait at least @ms milliseconds. */
void clock_delay_ms(uint64_t ms);

/*
 * The run's verdict, as machine_exit's status: QEMU's isa-debug-exit turns
 * status S into exit code (S << 1) | 1, and tools/qemu-boot turns that back
 * into S. 0 passes; a failed command gives 1; a crash or panic gives 3.
 */
#define EXIT_STATUS_OK 0
#define EXIT_STATUS_FAILED 1
#define EXIT_STATUS_CRASH 3

/* The number of the CPU running this code (0 = the boot CPU). */
int this_cpu_id(void);

/* Power off (QEMU isa-debug-exit) with @status as the run's verdict, 0 = ok. */
__noreturn void machine_exit(int status);

/*
 * The crash path (panic, fatal exceptions), on the crashing CPU with
 * interrupts off. crash_enter: the first CPU to crash stops every other
 * one (NMI, smp/crash_stop.c) and takes the console over; a CPU that
 * crashes later halts there, and a crash while reporting one ends the run
 * at once. crash_report_stopped: where each stopped CPU was.
 */
void crash_enter(void);
void crash_report_stopped(void);
struct trap_frame;
/*
 * First thing in the NMI path (arch/x86_64/traps.c): if another CPU is
 * crashing, this NMI is its stop request; this CPU records where it was,
 * acknowledges and halts for good (smp/crash_stop.c). Returns otherwise.
 */
void smp_stop_nmi(const struct trap_frame *frame);
/*
 * Make this CPU the console's only writer from now on (kernel/printk.c):
 * waits a bounded time for a holder of the console lock to finish its
 * line, then breaks the lock, saying so.
 */
void console_crash_takeover(void);
/* For the `crash nmi-console-locked` test only: run @fn holding the console lock. */
void console_locked_call(void (*fn)(void));

/* Raw bytes to the serial console; '\n' is sent as is (no translation assumed). */
void console_write(const char *s, size_t n);

/*
 * Has Ctrl-C (0x03) been typed at the console since the last call? Never
 * blocks; other bytes typed meanwhile stay queued for the console's reader.
 * Long-running commands (sleep) poll it to stop early.
 */
bool console_poll_interrupt(void);

#endif
