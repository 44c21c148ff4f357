/*
 * Per-CPU identity. Until SMP bring-up starts the other CPUs, only the boot
 * CPU runs kernel code, so its number is the only answer.
 */
#include "kernel/platform.h"

int this_cpu_id(void)
{
	return 0;
}
