/*
 * sleeptest: sleeps, timers and futexes with signals, as on Linux. KTAP
 * cases: nanosleep and clock_nanosleep (relative, TIMER_ABSTIME on
 * CLOCK_MONOTONIC and CLOCK_REALTIME) ended by a signal with -EINTR and
 * the time left; absolute sleeps end at or after their time; alarm fires
 * once; a periodic ITIMER_REAL fires and disarms; FUTEX_WAKE_BITSET wakes
 * only the waiters whose bitset it meets; FUTEX_WAIT_BITSET timeouts
 * (absolute, FUTEX_CLOCK_REALTIME); a futex wait interrupted by a signal
 * answers -EINTR without SA_RESTART and goes on with it. Counts and
 * orderings only, never durations. The same source runs on Linux.
 */
#include "ktap_check.h"
#include "syscall.h"
#include "ulib.h"
#include "usignal.h"

#define INT_MAX 0x7fffffff
#define NS 1000000000L

static volatile int alarms, usr1s;

static void on_alarm(int sig, siginfo_t *si, void *uc)
{
	alarms++;
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	usr1s++;
}

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * NS + (uint64_t)t->tv_nsec;
}

static struct timespec ns_ts(uint64_t ns)
{
	return (struct timespec){(long)(ns / NS), (long)(ns % NS)};
}

static uint64_t clock_now(int clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return ts_ns(&t);
}

static void arm_ms(long ms)
{
	struct itimerval v = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};

	setitimer(ITIMER_REAL, &v, 0);
}

static bool nanosleep_eintr(void)
{
	struct timespec req = {5, 0}, rem = {0, 0};
	long r;

	signal_handler(SIGALRM, on_alarm, 0);
	alarms = 0;
	arm_ms(100);
	r = nanosleep(&req, &rem);
	printf("# nanosleep: %ld, rem %ld.%09ld, alarms %d\n", r, rem.tv_sec, rem.tv_nsec, alarms);
	return r == -EINTR && alarms == 1 && ts_ns(&rem) > 0 && ts_ns(&rem) < 5 * NS;
}

static bool clock_nanosleep_cases(void)
{
	struct timespec req = {5, 0}, rem = {0, 0}, abs;
	uint64_t target;
	bool ok;
	long r;

	signal_handler(SIGALRM, on_alarm, 0);
	alarms = 0;
	arm_ms(50);
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	ok = r == -EINTR && alarms == 1 && ts_ns(&rem) > 0 && ts_ns(&rem) < 5 * NS;
	for (int clock = CLOCK_REALTIME; clock <= CLOCK_MONOTONIC; clock++) {
		target = clock_now(clock) + 30000000;
		abs = ns_ts(target);
		r = clock_nanosleep(clock, TIMER_ABSTIME, &abs, 0);
		ok = ok && r == 0 && clock_now(clock) >= target;
	}
	abs = ns_ts(clock_now(CLOCK_MONOTONIC) - 1); /* the past: at once */
	ok = ok && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, 0) == 0;
	req.tv_nsec = NS;
	ok = ok && clock_nanosleep(CLOCK_MONOTONIC, 0, &req, 0) == -EINVAL;
	ok = ok && nanosleep(&req, 0) == -EINVAL && clock_nanosleep(99, 0, &abs, 0) == -EINVAL;
	return ok && nanosleep((struct timespec *)0xdead000, 0) == -EFAULT;
}

static bool alarm_once(void)
{
	unsigned int first, left;
	long r;

	signal_handler(SIGALRM, on_alarm, 0);
	alarms = 0;
	first = alarm(1);
	left = alarm(1); /* about 1 s left: rounded to 1 */
	r = pause();
	sleep_ms(1500); /* a second alarm would have come by now */
	printf("# alarm: %u then %u, pause %ld, alarms %d\n", first, left, r, alarms);
	return first == 0 && left == 1 && r == -EINTR && alarms == 1 && alarm(0) == 0;
}

static bool itimer_periodic(void)
{
	struct itimerval v = {{0, 20000}, {0, 20000}}, cur, zero = {{0, 0}, {0, 0}};
	bool ok;
	int seen;

	signal_handler(SIGALRM, on_alarm, SA_RESTART);
	alarms = 0;
	ok = setitimer(ITIMER_REAL, &v, 0) == 0;
	while (alarms < 3)
		pause();
	ok = ok && getitimer(ITIMER_REAL, &cur) == 0 && cur.it_interval.tv_usec == 20000;
	ok = ok && setitimer(ITIMER_REAL, &zero, &cur) == 0 && cur.it_interval.tv_usec == 20000;
	seen = alarms;
	sleep_ms(100);
	ok = ok && alarms == seen && getitimer(ITIMER_REAL, &cur) == 0 && cur.it_value.tv_sec == 0;
	ok = ok && cur.it_value.tv_usec == 0 && setitimer(5, &v, 0) == -EINVAL;
	return ok;
}

static volatile int fword, release[3], done[3], returns0[3];

struct waiter {
	int idx;
	uint32_t bitset;
};

static int bitset_waiter(void *arg)
{
	struct waiter *w = arg;

	while (!release[w->idx])
		if (futex_wait_bitset(&fword, 0, 0, w->bitset, 0) == 0)
			returns0[w->idx]++;
	done[w->idx] = 1;
	return 0;
}

static bool futex_bitset(void)
{
	struct waiter w1 = {1, 1}, w2 = {2, 2};
	struct thread *t1, *t2;
	long second;
	bool ok;

	fword = 0;
	for (int i = 0; i < 3; i++)
		release[i] = done[i] = returns0[i] = 0;
	t1 = thread_create(bitset_waiter, &w1);
	t2 = thread_create(bitset_waiter, &w2);
	if (IS_ERR_PTR(t1) || IS_ERR_PTR(t2))
		return false;
	sleep_ms(100); /* both asleep, most likely; the counts below hold either way */
	release[2] = 1;
	while (!done[2])
		if (futex_wake_bitset(&fword, INT_MAX, 2) < 0)
			return false;
	sleep_ms(20);
	second = futex_wake_bitset(&fword, INT_MAX, 2 | 4); /* t1 (bitset 1) does not match */
	ok = returns0[1] == 0 && !done[1] && second == 0;
	release[1] = 1;
	while (!done[1])
		futex_wake_bitset(&fword, INT_MAX, 1 | 8);
	thread_join(t1);
	thread_join(t2);
	printf("# bitset: t1 woken %d times before its release, second wake %ld\n", returns0[1],
	       second);
	return ok && futex_wake_bitset(&fword, 1, 0) == -EINVAL;
}

static bool futex_timeouts(void)
{
	struct timespec past = ns_ts(clock_now(CLOCK_MONOTONIC) - 1), abs;
	uint64_t target;
	bool ok;

	fword = 0;
	ok = futex_wait_bitset(&fword, 0, &past, ~0U, 0) == -ETIMEDOUT;
	ok = ok && futex_wait_bitset(&fword, 1, 0, ~0U, 0) == -EAGAIN;
	ok = ok && futex_wait_bitset(&fword, 0, 0, 0, 0) == -EINVAL;
	for (int rt = 0; rt <= 1; rt++) {
		int clock = rt ? CLOCK_REALTIME : CLOCK_MONOTONIC;

		target = clock_now(clock) + 30000000;
		abs = ns_ts(target);
		ok = ok && futex_wait_bitset(&fword, 0, &abs, ~0U, rt) == -ETIMEDOUT;
		ok = ok && clock_now(clock) >= target;
	}
	abs.tv_nsec = NS;
	return ok && futex_wait_bitset(&fword, 0, &abs, ~0U, 0) == -EINVAL;
}

static volatile int intr_tid;
static volatile long intr_ret;
static volatile int intr_done;

static int intr_waiter(void *arg)
{
	intr_tid = gettid();
	intr_ret = futex_wait_bitset(&fword, 0, 0, ~0U, 0);
	intr_done = 1;
	return 0;
}

/* A wait without timeout: -EINTR if the handler lacks SA_RESTART, else it goes on waiting. */
static bool futex_signal_case(unsigned long flags, long expect)
{
	struct thread *t;

	signal_handler(SIGUSR1, on_usr1, flags);
	fword = usr1s = intr_tid = intr_done = 0;
	intr_ret = 1;
	t = thread_create(intr_waiter, 0);
	if (IS_ERR_PTR(t))
		return false;
	while (!intr_tid)
		sched_yield();
	for (int i = 0; i < (flags ? 5 : 400) && !intr_done; i++) {
		sleep_ms(20);
		tgkill(getpid(), intr_tid, SIGUSR1);
	}
	sleep_ms(20);
	if (!intr_done) {
		fword = 1;
		while (!intr_done)
			futex_wake_bitset(&fword, INT_MAX, ~0U);
	}
	thread_join(t);
	printf("# futex wait, flags 0x%lx: %ld after %d signals\n", flags, intr_ret, usr1s);
	return intr_ret == expect && usr1s >= 1;
}

static bool futex_eintr(void)
{
	return futex_signal_case(0, -EINTR) && futex_signal_case(SA_RESTART, 0);
}

int main(void)
{
	static const struct ktap_case cases[] = {
	    {"nanosleep_eintr_with_time_left", nanosleep_eintr},
	    {"clock_nanosleep_relative_absolute_errnos", clock_nanosleep_cases},
	    {"alarm_fires_once", alarm_once},
	    {"itimer_real_periodic_then_disarmed", itimer_periodic},
	    {"futex_wake_bitset_wakes_matching_only", futex_bitset},
	    {"futex_wait_bitset_timeouts", futex_timeouts},
	    {"futex_wait_eintr_and_sa_restart", futex_eintr},
	};
	return ktap_run_cases("sleeptest", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
