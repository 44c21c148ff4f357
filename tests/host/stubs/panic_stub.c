/*
 * panic() for every host test: print the reason and abort, so ASan's report
 * shows where it came from and the test binary fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/kernel.h"

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
