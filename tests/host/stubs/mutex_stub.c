/*
 * mutex_lock for host tests: they are single-threaded, so a held lock can
 * only mean the code under test took it twice, which would hang the kernel.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/mutex.h"

void mutex_lock(struct mutex *m)
{
	if (!mutex_trylock(m)) {
		fprintf(stderr, "mutex_lock: already held (taken twice?)\n");
		abort();
	}
}
