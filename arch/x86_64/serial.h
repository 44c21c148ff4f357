/* The 16550 UART on COM1: the console's only input and output. */
#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

#include <stdbool.h>

void serial_init(void);
void serial_putc(char c);
/* A received byte, or -1 if none is waiting. */
int serial_try_getc(void);

#endif
