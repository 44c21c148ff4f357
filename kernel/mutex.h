/*
 * A lock for code that may run long or reach a user copy while holding it
 * (pseudo-file stores, the tracing knobs): a waiter gives its CPU away
 * instead of spinning on it, so a holder queued on the same CPU still runs.
 * flushlab has no wait queues yet, so this is not Linux's sleeping mutex:
 * a waiting task yields (it stays runnable and looks again at its next
 * turn); the console, which cannot leave its CPU, lets queued tasks run
 * and otherwise spins with interrupts on. Never in interrupt context, never
 * with interrupts off, never taken twice by one holder.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <stdbool.h>

struct mutex {
	unsigned int locked;
};

#define DEFINE_MUTEX(name) struct mutex name = {0}

static inline bool mutex_trylock(struct mutex *m)
{
	return !__atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE);
}

/* Take @m, yielding the CPU while another holds it (task/mutex.c: how a waiter gives way is the
 * scheduler's business). */
void mutex_lock(struct mutex *m);

static inline void mutex_unlock(struct mutex *m)
{
	__atomic_store_n(&m->locked, 0, __ATOMIC_RELEASE);
}

#endif
