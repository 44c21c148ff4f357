/*
 * A test-and-test-and-set spinlock on GCC's __atomic builtins. Enough for a
 * lab kernel with a handful of CPUs; callers that can race with interrupt
 * handlers use the _irqsave pair.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdint.h>

#include "arch/x86_64/cpu.h"

struct spinlock {
	unsigned int locked;
};

#define __SPINLOCK_UNLOCKED                                                                        \
	{                                                                                          \
		0                                                                                  \
	}
#define DEFINE_SPINLOCK(name) struct spinlock name = __SPINLOCK_UNLOCKED

static inline void spin_lock_init(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

/* Acquire: spin on a plain load so waiters do not bounce the line with writes. */
static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline int spin_trylock(struct spinlock *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

#define spin_lock_irqsave(l, flags)                                                                \
	do {                                                                                       \
		(flags) = local_irq_save();                                                        \
		spin_lock(l);                                                                      \
	} while (0)

#define spin_unlock_irqrestore(l, flags)                                                           \
	do {                                                                                       \
		spin_unlock(l);                                                                    \
		local_irq_restore(flags);                                                          \
	} while (0)

#endif
