/*
 * A static glibc program with threads (gcc -static -pthread), run
 * unchanged on Linux and on flushlab (issue 19): mutexes, a condition
 * variable hand-over, a timed wait (FUTEX_WAIT_BITSET with
 * FUTEX_CLOCK_REALTIME), pthread_join, pthread_cancel of a thread blocked
 * in pause() (SIGCANCEL by tgkill, unwinding through the signal frame to
 * its cleanup handler), then abort(): SIGABRT, status 134. Its output is
 * the same on both kernels (tests/user/glibc_threads.expected, recorded
 * on Linux); nothing in it depends on pids, addresses or timing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 20000
#define ITEMS 100

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int slot = -1, taken, in_order = 1;
static volatile int cleanup_ran, cancel_ready;

static void *adder(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void *consumer(void *arg)
{
	for (int want = 0; want < ITEMS; want++) {
		pthread_mutex_lock(&lock);
		while (slot < 0)
			pthread_cond_wait(&cond, &lock);
		in_order &= slot == want;
		slot = -1;
		taken++;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void cleanup(void *arg)
{
	cleanup_ran = 1;
}

static void *cancel_me(void *arg)
{
	pthread_cleanup_push(cleanup, NULL);
	cancel_ready = 1;
	for (;;)
		pause(); /* a cancellation point */
	pthread_cleanup_pop(0);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS], c;
	struct timespec ts;
	void *ret;
	int err, joined = 0;

	setvbuf(stdout, NULL, _IONBF, 0); /* abort() flushes nothing */
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, adder, (void *)(long)i);
	for (int i = 0; i < THREADS; i++)
		joined += pthread_join(t[i], &ret) == 0 && ret == (void *)(long)i;
	printf("glibc_threads: %d threads joined, counter %ld\n", joined, counter);

	pthread_create(&c, NULL, consumer, NULL);
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&lock);
		while (slot >= 0)
			pthread_cond_wait(&cond, &lock);
		slot = i;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(c, NULL);
	printf("glibc_threads: condvar handed over %d items, in order %s\n", taken,
	       in_order ? "yes" : "no");

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&lock);
	err = pthread_cond_timedwait(&cond, &lock, &ts);
	pthread_mutex_unlock(&lock);
	printf("glibc_threads: timedwait %s\n", err == ETIMEDOUT ? "ETIMEDOUT" : "other");

	pthread_create(&c, NULL, cancel_me, NULL);
	while (!cancel_ready)
		sched_yield();
	usleep(20000); /* let it reach pause(); cancelling before is fine too */
	pthread_cancel(c);
	pthread_join(c, &ret);
	printf("glibc_threads: cancel: cleanup %s, join %s\n", cleanup_ran ? "ran" : "missing",
	       ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other");

	printf("glibc_threads: calling abort()\n");
	abort();
}
