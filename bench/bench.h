/*
 * In-kernel benchmarks, run by the console's `bench NAME [key=value...]`.
 * Each one registers with DEFINE_BENCH and prints its measurements as
 *   # bench NAME accel=tcg cpus=4 key=value ...
 * lines for scripts (times always beside counts), plus a table for people.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include "lib/kernel.h"

#define BENCH_MAX_ARGS 16

struct bench_args {
	int argc;
	char **argv; /* "key=value" strings */
	bool used[BENCH_MAX_ARGS];
	bool bad; /* a value was malformed: the bench must not run */
};

struct bench {
	const char *name;
	const char *usage; /* "iters=N order=N" */
	const char *help;
	int (*run)(struct bench_args *args); /* 0, or non-zero after printing why */
};

#define DEFINE_BENCH(bname, busage, bhelp, bfn)                                                    \
	static const struct bench __bench_##bname                                                  \
	    __attribute__((used, section("bench_list"), aligned(8))) = {#bname, busage, bhelp,     \
									bfn}

/* @key's value as an unsigned number in [min, max], else @dflt if absent;
 * a malformed or out-of-range value prints an error and sets args->bad. */
unsigned long bench_arg(struct bench_args *args, const char *key, unsigned long dflt,
			unsigned long min, unsigned long max);

/* @key's value as an index into the NULL-terminated @names, else @dflt if
 * absent; a value not in @names prints an error and sets args->bad. */
int bench_arg_choice(struct bench_args *args, const char *key, const char *const *names, int dflt);

/* Call after the last bench_arg and before measuring: non-zero (after an
 * error naming it) if an argument was unknown or malformed. */
int bench_args_done(struct bench_args *args);

struct bench_stats {
	uint64_t median, min, max;
	unsigned int n;
};

/* Sorts @samples in place and fills @st. */
void bench_stats(uint64_t *samples, unsigned int n, struct bench_stats *st);

/* Start a "# bench NAME accel=.. cpus=.." line; finish it with printk(... "\n"). */
void bench_line(const char *name);

/* Online CPUs, for cpus= (smp/). */
int bench_cpus(void);

#endif
