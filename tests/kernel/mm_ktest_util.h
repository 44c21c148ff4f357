/*
 * Helpers the user-mm test suites share (mm_user, thp): load an address
 * space on a CPU and put back what was there, run on that CPU directly or
 * through smp_call_function_single.
 */
#ifndef TESTS_KERNEL_MM_KTEST_UTIL_H
#define TESTS_KERNEL_MM_KTEST_UTIL_H

struct mm_struct;

struct load_args {
	struct mm_struct *mm;	/* the mm to load */
	struct mm_struct *prev; /* what was loaded before, put back by unload */
};

void ktest_load_mm_here(void *info); /* info: a struct load_args */
void ktest_unload_mm_here(void *info);

#endif
