/*
 * printk and panic. Output goes to the serial console a whole line at a time
 * under a lock, so lines from different CPUs never interleave mid-line. A
 * panic prints its reason and a backtrace and ends the run as a crash.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "kernel/backtrace.h"
#include "kernel/platform.h"
#include "lib/kernel.h"

#define PRINTK_BUF 512

static volatile int console_lock;

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

/*
 * Spins with interrupts off without serving other CPUs' IPIs (the rule for
 * irqs-off loops, smp/smp.h, has this exception): the holder only formats
 * and writes one line to the serial port and never waits for another CPU,
 * so a shootdown initiator waiting on a CPU here waits one line at most;
 * and printk is called from exception paths, where serving requests is
 * not safe.
 */
static void console_lock_acquire(uint64_t *flags)
{
	*flags = local_irq_save();
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void console_lock_release(uint64_t flags)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
	local_irq_restore(flags);
}

static int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	uint64_t flags;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	console_lock_acquire(&flags);
	console_write(buf, len);
	console_lock_release(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	local_irq_disable();
	/* The console lock may be held by the CPU that panicked: take it over. */
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
	printk("\nflushlab: PANIC on CPU %d: ", this_cpu_id());
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	backtrace_print((uint64_t)__builtin_return_address(0), read_rbp());
	printk("flushlab: run ends with a failure status\n");
	machine_exit(EXIT_STATUS_CRASH);
}
