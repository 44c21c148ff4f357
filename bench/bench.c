/*
 * The `bench` command and what every benchmark shares: key=value argument
 * parsing with errors for unknown keys and bad values, order statistics
 * (median, min, max), and the "# bench" line prefix with accel= and cpus=.
 */
#include "arch/x86_64/cpufeature.h"
#include "bench/bench.h"
#include "kernel/shell.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "smp/smp.h"

extern const struct bench __start_bench_list[], __stop_bench_list[];

int bench_cpus(void)
{
	return nr_cpus_online;
}

unsigned long bench_arg(struct bench_args *args, const char *key, unsigned long dflt,
			unsigned long min, unsigned long max)
{
	size_t klen = strlen(key);
	unsigned long long v;

	for (int i = 0; i < args->argc; i++) {
		const char *a = args->argv[i];

		if (strncmp(a, key, klen) != 0 || a[klen] != '=')
			continue;
		args->used[i] = true;
		if (kstrtoull(a + klen + 1, 0, &v) || v < min || v > max) {
			shell_error("bench: %s: must be a number from %lu to %lu\n", a, min, max);
			args->bad = true;
			return dflt;
		}
		return v;
	}
	return dflt;
}

int bench_arg_choice(struct bench_args *args, const char *key, const char *const *names, int dflt)
{
	size_t klen = strlen(key);

	for (int i = 0; i < args->argc; i++) {
		const char *a = args->argv[i];

		if (strncmp(a, key, klen) != 0 || a[klen] != '=')
			continue;
		args->used[i] = true;
		for (int n = 0; names[n]; n++)
			if (strcmp(a + klen + 1, names[n]) == 0)
				return n;
		shell_error("bench: %s: not one of", a);
		for (int n = 0; names[n]; n++)
			shell_error(" %s", names[n]);
		shell_error("\n");
		args->bad = true;
		return dflt;
	}
	return dflt;
}

int bench_args_done(struct bench_args *args)
{
	for (int i = 0; i < args->argc; i++) {
		if (!args->used[i]) {
			shell_error("bench: unknown argument '%s'\n", args->argv[i]);
			args->bad = true;
		}
	}
	return args->bad ? -1 : 0;
}

void bench_stats(uint64_t *s, unsigned int n, struct bench_stats *st)
{
	/* Insertion sort: a few thousand samples, once per measurement. */
	for (unsigned int i = 1; i < n; i++) {
		uint64_t v = s[i];
		unsigned int j = i;

		for (; j > 0 && s[j - 1] > v; j--)
			s[j] = s[j - 1];
		s[j] = v;
	}
	st->n = n;
	st->min = n ? s[0] : 0;
	st->max = n ? s[n - 1] : 0;
	st->median = n ? (n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : 0;
}

void bench_line(const char *name)
{
	printk("# bench %s accel=%s cpus=%d ", name, cpu_accel_name(), bench_cpus());
}

static void bench_list(void)
{
	for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++)
		shell_printf("  %-12s %-28s %s\n", b->name, b->usage, b->help);
}

static int run_bench(const struct bench *b, int argc, char **argv)
{
	struct bench_args args = {.argc = argc, .argv = argv};
	int ret;

	if (argc > BENCH_MAX_ARGS) {
		shell_error("bench: %s: at most %d arguments\n", b->name, BENCH_MAX_ARGS);
		return 1;
	}
	ret = b->run(&args);
	return ret;
}

static int cmd_bench(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "list") == 0) {
		bench_list();
		return argc < 2;
	}
	for (const struct bench *b = __start_bench_list; b < __stop_bench_list; b++)
		if (strcmp(b->name, argv[1]) == 0)
			return run_bench(b, argc - 2, argv + 2);
	shell_error("bench: %s: no such benchmark (try `bench list`)\n", argv[1]);
	return 1;
}
DEFINE_SHELL_COMMAND(bench, "NAME [key=value...]", "run a benchmark (bench list)", cmd_bench);
