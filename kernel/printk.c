/*
 * printk and panic. Output goes to the serial console a whole line at a time
 * under a lock, so lines from different CPUs never interleave mid-line. A
 * panic stops the other CPUs, takes the console over (even from a holder
 * that will never let go), prints its reason and a backtrace and ends the
 * run as a crash.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/backtrace.h"
#include "kernel/platform.h"
#include "lib/kernel.h"

#define PRINTK_BUF 512

/* 0 when free, else the holder's CPU number + 1 (the crash path reads it). */
static volatile int console_lock;
/* The crashing CPU + 1 once console_crash_takeover ran: it alone writes, unlocked. */
static volatile int console_crash_owner;

/*
 * Spins with interrupts off without serving other CPUs' IPIs (the rule for
 * irqs-off loops, smp/poll.h, has this exception): the holder only formats
 * and writes one line to the serial port and never waits for another CPU,
 * so a shootdown initiator waiting on a CPU here waits one line at most;
 * and printk is called from exception paths, where serving requests is
 * not safe. Once a CPU has crashed, the others wait here for good: the
 * crashing CPU stops them anyway (smp/crash_stop.c).
 */
static void console_lock_acquire(uint64_t *flags)
{
	int me = this_cpu_id() + 1;

	*flags = local_irq_save();
	for (;;) {
		int free = 0;

		if (__atomic_compare_exchange_n(&console_lock, &free, me, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		cpu_relax();
	}
}

static void console_lock_release(uint64_t flags)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
	local_irq_restore(flags);
}

#define CONSOLE_CRASH_SPINS (1UL << 24) /* PAUSEs: far longer than one line takes */

/*
 * A crash must print even when the console lock is held: by this very CPU
 * (an NMI, #MC or #DF that interrupted its own printk: waiting would be a
 * deadlock), or by a CPU the crash path has just stopped mid-line (it will
 * never release it). So the crashing CPU waits a bounded time for another
 * holder to finish its line, then takes the console over whatever the
 * lock says, and notes it, as Linux's panic breaks the console lock
 * (bust_spinlocks, console_flush_on_panic). From then on it alone writes,
 * without the lock; the other CPUs are stopped or spin in
 * console_lock_acquire. A line cut short by the break shows as such.
 */
void console_crash_takeover(void)
{
	int me = this_cpu_id() + 1, holder = 0;

	for (unsigned long i = 0; i < CONSOLE_CRASH_SPINS; i++) {
		holder = __atomic_load_n(&console_lock, __ATOMIC_ACQUIRE);
		if (holder == 0 || holder == me)
			break;
		cpu_relax();
	}
	holder = __atomic_exchange_n(&console_lock, me, __ATOMIC_ACQUIRE);
	__atomic_store_n(&console_crash_owner, me, __ATOMIC_RELEASE);
	if (holder) {
		char note[96];
		int n =
		    snprintf(note, sizeof(note),
			     "\nflushlab: console lock broken (held by CPU %d): the crash report "
			     "follows\n",
			     holder - 1);

		console_write(note, MIN((size_t)n, sizeof(note) - 1));
	}
}

/* For `crash nmi-console-locked` only: run @fn on this CPU holding the console lock. */
void console_locked_call(void (*fn)(void))
{
	uint64_t flags;

	console_lock_acquire(&flags);
	fn();
	console_lock_release(flags);
}

static int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	uint64_t flags;
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	if (__atomic_load_n(&console_crash_owner, __ATOMIC_ACQUIRE) == this_cpu_id() + 1) {
		console_write(buf, len); /* the crashing CPU: the console is its own */
		return n;
	}
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

	crash_enter(); /* the other CPUs stopped, the console ours */
	printk("\nflushlab: PANIC on CPU %d: ", this_cpu_id());
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	backtrace_print((uint64_t)__builtin_return_address(0), read_rbp());
	crash_report_stopped();
	printk("flushlab: run ends with a failure status\n");
	machine_exit(EXIT_STATUS_CRASH);
}
