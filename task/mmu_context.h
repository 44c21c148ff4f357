/*
 * Loading a user address space on this CPU (Linux's switch_mm), kept in
 * one place so every CR3 write the task layer makes carries its argument
 * and its mm_cpumask bookkeeping.
 */
#ifndef TASK_MMU_CONTEXT_H
#define TASK_MMU_CONTEXT_H

#include <stdint.h>

struct mm_struct;

/*
 * Load @mm's page tables on this CPU and mark this CPU in its mm_cpumask.
 * Interrupts off.
 */
void switch_mm(struct mm_struct *mm);

/*
 * Leave @mm for the kernel's tables (@kernel_cr3) and clear this CPU's bit
 * in its mm_cpumask: afterwards this CPU holds no translation of @mm and
 * needs no shootdown for it. Interrupts off.
 */
void switch_mm_to_kernel(struct mm_struct *mm, uint64_t kernel_cr3);

#endif
