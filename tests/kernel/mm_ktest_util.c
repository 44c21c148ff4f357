/*
 * Helpers the user-mm test suites share (see mm_ktest_util.h). Run with
 * interrupts off: directly inside a test's irq-off section, or as a
 * cross-call function.
 */
#include "lib/kernel.h"
#include "mm/mm_user.h"
#include "mm/page.h"
#include "smp/cross_call.h"
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

static void go_lazy_here(void *info)
{
	switch_mm_irqs_off(info, NULL); /* to "idle": keeps the mm, lazily */
}

void ktest_lazy_start(struct lazy_cpu *l, int cpu, struct mm_struct *mm)
{
	l->cpu = cpu;
	l->load = (struct load_args){mm, NULL};
	l->saved_lazy_tlb = lazy_tlb;
	lazy_tlb = true;
	smp_call_function_single(cpu, ktest_load_mm_here, &l->load, true);
	smp_call_function_single(cpu, go_lazy_here, mm, true);
}

void ktest_lazy_end(struct lazy_cpu *l)
{
	smp_call_function_single(l->cpu, ktest_unload_mm_here, &l->load, true);
	lazy_tlb = l->saved_lazy_tlb;
}

struct holds_args {
	struct mm_struct *mm;
	bool loaded, lazy;
};

static void holds_here(void *info)
{
	struct holds_args *h = info;

	h->loaded = this_cpu_loaded_mm() == h->mm;
	h->lazy = h->loaded && this_cpu_tlb_lazy();
}

bool ktest_cpu_lazy_for(int cpu, struct mm_struct *mm)
{
	struct holds_args h = {mm, false, false};

	smp_call_function_single(cpu, holds_here, &h, true);
	return h.lazy;
}

bool ktest_cpu_holds(int cpu, struct mm_struct *mm)
{
	struct holds_args h = {mm, false, false};

	smp_call_function_single(cpu, holds_here, &h, true);
	return h.loaded;
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
