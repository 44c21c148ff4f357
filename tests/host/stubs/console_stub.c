/* Host implementations of kernel/platform.h and printk (see console_stub.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_stub.h"
#include "kernel/platform.h"

char host_console[HOST_CONSOLE_MAX + 1];
size_t host_console_len, host_console_total;
uint64_t host_clock_ns, host_clock_step;
uint64_t host_interrupt_at_ns;
jmp_buf *host_exit_jmp;
int host_exit_status = -1;

void host_console_reset(void)
{
	host_console_len = 0;
	host_console_total = 0;
	host_console[0] = '\0';
}

void console_write(const char *s, size_t n)
{
	size_t room = HOST_CONSOLE_MAX - host_console_len;
	size_t keep = n < room ? n : room;

	memcpy(host_console + host_console_len, s, keep);
	host_console_len += keep;
	host_console[host_console_len] = '\0';
	host_console_total += n;
}

uint64_t clock_ns(void)
{
	uint64_t now = host_clock_ns;

	host_clock_ns += host_clock_step;
	return now;
}

void clock_delay_ms(uint64_t ms)
{
	host_clock_ns += ms * 1000000ULL;
}

bool console_poll_interrupt(void)
{
	if (!host_interrupt_at_ns || host_clock_ns < host_interrupt_at_ns)
		return false;
	host_interrupt_at_ns = 0; /* one Ctrl-C, consumed */
	return true;
}

void machine_exit(int status)
{
	host_exit_status = status;
	if (host_exit_jmp)
		longjmp(*host_exit_jmp, 1);
	exit(status);
}

int printk(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}
