/*
 * Helpers the user-mm test suites share (see mm_ktest_util.h). Run with
 * interrupts off: directly inside a test's irq-off section, or as a
 * cross-call function.
 */
#include "lib/kernel.h"
#include "smp/tlbflush.h"
#include "tests/kernel/mm_ktest_util.h"

void ktest_load_mm_here(void *info)
{
	struct load_args *a = info;

	a->prev = this_cpu_loaded_mm();
	switch_mm_irqs_off(a->prev, a->mm);
}

void ktest_unload_mm_here(void *info)
{
	struct load_args *a = info;

	leave_mm();
	if (a->prev)
		switch_mm_irqs_off(NULL, a->prev);
}
