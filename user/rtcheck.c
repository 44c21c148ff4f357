/*
 * rtcheck: the user runtime checks itself, KTAP output, exit 1 on a failure:
 * snprintf formats, size parsing, malloc/free over mmap, clock_gettime, the
 * initial stack (argv/envp/auxv), /proc/vmstat reading, and clone threads
 * joined through the CLONE_CHILD_CLEARTID futex. Runs on Linux in `make
 * test`; on flushlab a kernel without clone yet answers ENOSYS: a SKIP.
 */
#include "uapi/auxvec.h"
#include "ktap_check.h"
#include "ulib.h"

#define NR_THREADS 4
#define THREAD_ITERS 100000

static void test_snprintf(void)
{
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lx|%s|%c|%.2s|%p|%%", -42, 7U, 0xabU,
			 0x1234UL, "str", 'z', "abc", (void *)0x1000);
	const char *want = "-42|    7|ab  |00001234|str|z|ab|0x1000|%";

	check(n == (int)strlen(want) && strcmp(buf, want) == 0, "snprintf_formats", buf);
	n = snprintf(buf, 4, "%s", "truncated");
	check(n == 9 && strcmp(buf, "tru") == 0, "snprintf_truncates", buf);
}

static void test_parse_size(void)
{
	uint64_t v = 0;

	check(parse_size("64M", &v) == 0 && v == 64ULL << 20, "parse_size_suffix", "64M");
	check(parse_size("12x", &v) == -EINVAL && parse_size("", &v) == -EINVAL,
	      "parse_size_rejects_junk", "12x or empty accepted");
	check(parse_size("99999999999999999999", &v) == -EINVAL, "parse_size_rejects_overflow",
	      "overflow accepted");
}

static void test_malloc(void)
{
	static const size_t sizes[] = {1, 16, 17, 100, 4000, 65000, 70000, 1 << 20};
	char *p[8];
	bool ok = true;

	for (int i = 0; i < 8; i++) {
		p[i] = malloc(sizes[i]);
		if (!p[i])
			ok = false;
		else
			memset(p[i], i + 1, sizes[i]);
	}
	for (int i = 0; i < 8 && ok; i++)
		for (size_t j = 0; j < sizes[i]; j++)
			if (p[i][j] != i + 1)
				ok = false;
	for (int i = 0; i < 8; i++)
		free(p[i]);
	check(ok, "malloc_blocks_distinct", "a block was shared or missing");
	p[0] = malloc(100);
	free(p[0]);
	check(malloc(100) == p[0], "malloc_reuses_freed_block", "freed block not reused");
	check(calloc(1UL << 62, 8) == NULL, "calloc_overflow_null", "overflowing calloc succeeded");
}

static void test_clock(void)
{
	uint64_t a = now_ns(), b = now_ns();

	check(a > 0 && b >= a, "clock_monotonic", "CLOCK_MONOTONIC missing or went backwards");
}

static void test_initial_stack(int argc, char **argv)
{
	check(argc >= 1 && argv[argc] == NULL && environ != NULL, "initial_stack_argv",
	      "argv not NULL-terminated");
	check(getauxval(AT_PAGESZ) == PAGE_SIZE, "auxv_pagesz", "AT_PAGESZ missing from auxv");
}

static void test_sort_and_vmstat(void)
{
	uint64_t v[] = {5, 1, 4, 1, 3};
	long before, after;
	char *p;

	sort_u64(v, 5);
	check(v[0] == 1 && v[1] == 1 && v[2] == 3 && v[4] == 5, "sort_u64_ascending", "unsorted");
	p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	before = vmstat_read("pgfault");
	if (!IS_ERR_PTR(p))
		*(volatile char *)p = 1; /* one demand-zero fault */
	after = vmstat_read("pgfault");
	if (!IS_ERR_PTR(p))
		munmap(p, PAGE_SIZE);
	check(before >= 0 && after > before && vmstat_read("no_such_counter") == -1,
	      "vmstat_pgfault_counts_a_fault", "pgfault missing or did not move");
}

static volatile long shared_counter;

static int thread_fn(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < THREAD_ITERS; i++)
		__atomic_fetch_add(&shared_counter, 1, __ATOMIC_RELAXED);
	return (int)(id * 10 + (gettid() != getpid())); /* runs as its own tid */
}

static void test_threads(void)
{
	struct thread *t[NR_THREADS];
	bool ok = true;

	t[0] = thread_create(thread_fn, (void *)0);
	if (t[0] == (struct thread *)-ENOSYS) {
		printf("ok %d threads_join # SKIP the kernel has no clone yet (ENOSYS)\n",
		       ++nr_tests);
		return;
	}
	for (long i = 1; i < NR_THREADS; i++)
		t[i] = thread_create(thread_fn, (void *)i);
	for (long i = 0; i < NR_THREADS; i++) {
		if (IS_ERR_PTR(t[i])) {
			printf("# thread %ld: clone: %s\n", i, errno_name(PTR_ERR(t[i])));
			ok = false;
		} else if (thread_join(t[i]) != i * 10 + 1) {
			ok = false;
		}
	}
	check(ok && shared_counter == NR_THREADS * THREAD_ITERS, "threads_join",
	      "a thread failed, returned the wrong value, or lost increments");
}

int main(int argc, char **argv)
{
	printf("KTAP version 1\n1..14\n");
	test_snprintf();
	test_parse_size();
	test_malloc();
	test_clock();
	test_initial_stack(argc, argv);
	test_sort_and_vmstat();
	test_threads();
	printf("# rtcheck: %d of %d failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
