/*
 * Cross-calls: run a function on a set of CPUs, waiting for them or not
 * (Linux's smp_call_function_many and friends). Built on one request slot
 * per initiating CPU and one inbox bitmap per target, announced with the
 * CALL_FUNCTION_VECTOR IPI; the design and its ordering argument are in
 * cross_call.c.
 */
#ifndef SMP_CROSS_CALL_H
#define SMP_CROSS_CALL_H

#include <stdbool.h>

#include "smp/cpumask.h"

typedef void (*smp_call_func_t)(void *info);

/* Boot CPU, before any AP starts: install the IPI handler. */
void cross_call_init(void);

/*
 * Run the cross-calls aimed at this CPU, interrupts off: the IPI handler,
 * and the polling seam (smp_serve_pending, smp/poll.h) for a CPU that
 * waits with interrupts off. Nothing else calls it.
 */
void cross_call_handle_pending(void);

/*
 * Run @func(@info) on every online CPU in @mask except this one, in interrupt
 * context there (interrupts off, must not block on this CPU). With @wait,
 * return once every target has returned from @func, so their writes are
 * visible to the caller; without, return once the IPIs are sent: @info must
 * then stay valid until the targets ran, and this CPU's next cross-call waits
 * for them first. Callable with interrupts on or off (while waiting with
 * interrupts off, this CPU runs requests sent to it, so two CPUs calling each
 * other cannot deadlock). Not from NMI context.
 */
void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			    bool wait);

/* The same for one CPU; @cpu may be this CPU (then @func runs here, interrupts off). */
int smp_call_function_single(int cpu, smp_call_func_t func, void *info, bool wait);

/* Every online CPU in @mask, this one included (run here while the others run). */
void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func, void *info, bool wait);
void on_each_cpu(smp_call_func_t func, void *info, bool wait);

#endif
