/*
 * futexwake: FUTEX_WAKE wakes as many waiters as it is asked to, and says
 * how many (it once stopped at 16, and the rest slept for ever).
 * N threads wait on one word; one FUTEX_WAKE(INT_MAX) must wake every one
 * that slept, and a second must find nobody left. Then Linux's count
 * rules: nr 0 and a negative nr wake one, nr 1 wakes one, nr 2 two.
 * Counts only: which waiters had gone to sleep before the wake does not
 * matter, since each one reports whether the wake (0) or the changed word
 * (-EAGAIN) ended its wait. Prints KTAP; the same source runs on Linux.
 */
#include "ulib.h"

#define INT_MAX 0x7fffffff
#define MAX_WAITERS 40
#define SETTLE_YIELDS 2000

static volatile int word, arrived, woken_by_wake, gone;

static int waiter(void *arg)
{
	long r;

	(void)arg;
	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
	r = futex_wait(&word, 0);
	if (r == 0)
		__atomic_add_fetch(&woken_by_wake, 1, __ATOMIC_SEQ_CST);
	else if (r != -EAGAIN)
		printf("# waiter: futex_wait returned %ld (%s)\n", r, errno_name(r));
	__atomic_add_fetch(&gone, 1, __ATOMIC_SEQ_CST);
	return 0;
}

/* Start @n waiters on a fresh word and let them reach the wait. */
static int start_waiters(struct thread **t, int n)
{
	word = arrived = woken_by_wake = gone = 0;
	for (int i = 0; i < n; i++) {
		t[i] = thread_create(waiter, NULL);
		if (IS_ERR_PTR(t[i])) {
			printf("# thread_create: %s\n", errno_name(PTR_ERR(t[i])));
			return -1;
		}
	}
	while (arrived < n)
		sched_yield();
	for (int i = 0; i < SETTLE_YIELDS; i++) /* most go to sleep; none has to */
		sched_yield();
	return 0;
}

/* Wake every sleeper of a changed word; then nobody may be left asleep. */
static bool wake_all_case(int n)
{
	struct thread *t[MAX_WAITERS];
	long first, second;

	if (start_waiters(t, n) < 0)
		return false;
	word = 1;
	first = futex_wake(&word, INT_MAX);
	second = 0; /* 0 unless the first one left sleepers; wake them all, never hang */
	for (long r; (r = futex_wake(&word, INT_MAX)) > 0;)
		second += r;
	for (int i = 0; i < n; i++)
		thread_join(t[i]);
	printf("# %d waiters: first wake %ld, second wake %ld, woken by a wake %d\n", n, first,
	       second, woken_by_wake);
	return second == 0 && first == woken_by_wake && gone == n;
}

/* FUTEX_WAKE with @nr on @n sleepers wakes @expect of them (and says so). */
static bool wake_count_case(int n, int nr, long expect)
{
	struct thread *t[MAX_WAITERS];
	long got, rest;

	if (start_waiters(t, n) < 0)
		return false;
	if (woken_by_wake || gone) /* nobody may have left yet: the word never changed */
		return false;
	got = futex_wake(&word, nr);
	while (gone < got)
		sched_yield();
	word = 1;
	rest = futex_wake(&word, INT_MAX);
	for (int i = 0; i < n; i++)
		thread_join(t[i]);
	printf("# nr %d on %d waiters: woke %ld (then %ld), woken by a wake %d\n", nr, n, got, rest,
	       woken_by_wake);
	/* Sleepers that had not gone to sleep yet see word 1 and return -EAGAIN. */
	return got == expect && got + rest == woken_by_wake;
}

int main(void)
{
	static const struct {
		const char *name;
		int n, nr;
		long expect; /* -1: wake_all_case */
	} cases[] = {
	    {"futex_wake_int_max_24_waiters", 24, INT_MAX, -1},
	    {"futex_wake_int_max_40_waiters", 40, INT_MAX, -1},
	    {"futex_wake_nr_0_wakes_one", 3, 0, 1},
	    {"futex_wake_nr_negative_wakes_one", 3, -5, 1},
	    {"futex_wake_nr_1_wakes_one", 3, 1, 1},
	    {"futex_wake_nr_2_wakes_two", 3, 2, 2},
	};
	int n = (int)(sizeof(cases) / sizeof(cases[0])), failed = 0;

	printf("KTAP version 1\n1..%d\n", n);
	for (int i = 0; i < n; i++) {
		bool ok = cases[i].expect < 0
			      ? wake_all_case(cases[i].n)
			      : wake_count_case(cases[i].n, cases[i].nr, cases[i].expect);

		printf("%sok %d %s\n", ok ? "" : "not ", i + 1, cases[i].name);
		failed += !ok;
	}
	printf("# futexwake: %d of %d failed\n", failed, n);
	return failed ? 1 : 0;
}
