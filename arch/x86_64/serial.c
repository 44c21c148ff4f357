/*
 * 16550 UART driver for COM1, polled. 115200 8N1 with FIFOs. Output waits for
 * the transmit holding register; input is polled by the console. Polling is
 * enough for a line-at-a-time console and keeps interrupts for IPIs.
 */
#include "arch/x86_64/serial.h"
#include "arch/x86_64/cpu.h"
#include "kernel/platform.h"

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00); /* no UART interrupts: we poll */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1); /* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7); /* enable and clear FIFOs, 14-byte threshold */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void serial_putc(char c)
{
	/* Bounded wait: a UART that never drains must not hang the kernel. */
	for (int spins = 0; spins < 1000000; spins++) {
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}

int serial_try_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

/* kernel/platform.h's console: the serial port, LF sent as CRLF. */
void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}
