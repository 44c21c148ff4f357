/*
 * Helpers the user-mm test suites share (mm_user, thp, khugepaged, hgm):
 * load an address space on a CPU and put back what was there, run on that
 * CPU directly or through smp_call_function_single; and look at what a user
 * address maps.
 */
#ifndef TESTS_KERNEL_MM_KTEST_UTIL_H
#define TESTS_KERNEL_MM_KTEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/mmu.h"

struct mm_struct;

struct load_args {
	struct mm_struct *mm;	/* the mm to load */
	struct mm_struct *prev; /* what was loaded before, put back by unload */
};

void ktest_load_mm_here(void *info); /* info: a struct load_args */
void ktest_unload_mm_here(void *info);

/*
 * A CPU that holds an mm lazily, made on purpose: CPU @cpu (not this one)
 * loads @mm, then goes "idle" keeping it (lazy_tlb forced on meanwhile).
 * Nothing else runs user code in a ktest, so it stays lazy until
 * ktest_lazy_end puts back what it had and the knob.
 */
struct lazy_cpu {
	int cpu;
	struct load_args load;
	bool saved_lazy_tlb;
};

void ktest_lazy_start(struct lazy_cpu *l, int cpu, struct mm_struct *mm);
void ktest_lazy_end(struct lazy_cpu *l);
/* Does CPU @cpu hold @mm lazily now (loaded, no task of it running)? */
bool ktest_cpu_lazy_for(int cpu, struct mm_struct *mm);
/* Does CPU @cpu have @mm loaded at all (lazily or not)? */
bool ktest_cpu_holds(int cpu, struct mm_struct *mm);

/* The size of the leaf that maps @va in @mm, or PG_LEVEL_NONE. */
enum pg_level ktest_user_level(struct mm_struct *mm, uintptr_t va);
/* The byte @va maps in @mm, through the direct map; NULL if unmapped. */
uint8_t *ktest_user_byte(struct mm_struct *mm, uintptr_t va);

#endif
