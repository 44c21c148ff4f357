/*
 * Host stand-ins for kernel/platform.h and printk/panic, for the shell,
 * line editor and pseudofs tests: console output is captured in memory for
 * the test to inspect, the clock is a variable that sleeps advance, and
 * machine_exit longjmps back to the test when one is armed.
 */
#ifndef TESTS_HOST_STUBS_CONSOLE_STUB_H
#define TESTS_HOST_STUBS_CONSOLE_STUB_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_CONSOLE_MAX (1 << 20)

extern char host_console[HOST_CONSOLE_MAX + 1]; /* always NUL-terminated */
extern size_t host_console_len;			/* bytes kept (capped) */
extern size_t host_console_total;		/* bytes written in all */
void host_console_reset(void);

extern uint64_t host_clock_ns;	 /* what clock_ns() returns */
extern uint64_t host_clock_step; /* added to host_clock_ns by each clock_ns() call */

/* console_poll_interrupt() reports one Ctrl-C once the clock reaches this; 0: never. */
extern uint64_t host_interrupt_at_ns;

extern jmp_buf *host_exit_jmp; /* machine_exit longjmps here if set, else exit() */
extern int host_exit_status;

#endif
