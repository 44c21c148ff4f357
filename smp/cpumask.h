/*
 * struct cpumask: a set of CPU numbers up to MAX_CPUS, as a bitmap (Linux's
 * name and operations). Single-bit updates are atomic so concurrent writers
 * to one mask (CPUs coming online) need no lock; whole-mask operations are
 * plain and belong to the mask's owner.
 */
#ifndef SMP_CPUMASK_H
#define SMP_CPUMASK_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 256 /* CPU numbers 0 .. MAX_CPUS - 1 */
#define CPUMASK_WORDS (MAX_CPUS / 64)

struct cpumask {
	uint64_t bits[CPUMASK_WORDS];
};

static inline void cpumask_clear(struct cpumask *m)
{
	for (int i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

static inline void cpumask_set_cpu(int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits[cpu / 64], 1ULL << (cpu % 64), __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu(int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~(1ULL << (cpu % 64)), __ATOMIC_SEQ_CST);
}

static inline bool cpumask_test_cpu(int cpu, const struct cpumask *m)
{
	return (__atomic_load_n(&m->bits[cpu / 64], __ATOMIC_ACQUIRE) >> (cpu % 64)) & 1;
}

static inline int cpumask_weight(const struct cpumask *m)
{
	int n = 0;

	for (int i = 0; i < CPUMASK_WORDS; i++)
		for (uint64_t w = m->bits[i]; w; w &= w - 1) /* no libgcc __popcountdi2 */
			n++;
	return n;
}

static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (int i = 0; i < CPUMASK_WORDS; i++)
		if (a->bits[i] != b->bits[i])
			return false;
	return true;
}

/* @dst = @a & @b */
static inline void cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	for (int i = 0; i < CPUMASK_WORDS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

/* The lowest CPU in @m above @cpu, or MAX_CPUS. */
static inline int cpumask_next(int cpu, const struct cpumask *m)
{
	for (cpu++; cpu < MAX_CPUS; cpu++) {
		uint64_t w = m->bits[cpu / 64] >> (cpu % 64);

		if (w)
			return cpu + __builtin_ctzll(w);
		cpu |= 63; /* rest of this word is empty */
	}
	return MAX_CPUS;
}

#define for_each_cpu(cpu, mask)                                                                    \
	for ((cpu) = cpumask_next(-1, (mask)); (cpu) < MAX_CPUS;                                   \
	     (cpu) = cpumask_next((cpu), (mask)))

#endif
