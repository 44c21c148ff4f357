/*
 * printk for host tests of mm/ code: it goes to stdout as KTAP
 * diagnostic lines ("    # ..."); panic is in panic_stub.c.
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
