/*
 * Helpers the user-mm test suites share (see mm_ktest_util.h). Run with
 * interrupts off: directly inside a test's irq-off section, or as a
 * cross-call function.
 */
#include "lib/kernel.h"
#include "mm/mm_user.h"
#include "mm/page.h"
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

enum pg_level ktest_user_level(struct mm_struct *mm, uintptr_t va)
{
	struct mmu_mapping m;

	return arch_mmu_user_query(mm_pgd_phys(mm), va, &m) ? PG_LEVEL_NONE : m.level;
}

uint8_t *ktest_user_byte(struct mm_struct *mm, uintptr_t va)
{
	struct mmu_mapping m;

	if (arch_mmu_user_query(mm_pgd_phys(mm), va, &m))
		return NULL;
	return (uint8_t *)(direct_map_base + m.pa);
}
