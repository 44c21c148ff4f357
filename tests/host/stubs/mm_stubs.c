/*
 * printk and panic for host tests of mm/ code: printk goes to stdout as KTAP
 * diagnostic lines ("    # ..."), panic prints and aborts so ASan shows
 * where it came from.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kernel.h"

int printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("    # %s%s", buf, n > 0 && buf[strlen(buf) - 1] == '\n' ? "" : "\n");
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
