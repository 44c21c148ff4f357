/*
 * schedhog: a thread that lives in system calls must still share its CPU
 * (it once did not: the tick preempted only ring 3, so a ring-3 thread queued
 * behind a syscall-heavy one starved). Both threads are pinned to one
 * CPU; the spinner counts in ring 3, the main thread maps and unmaps
 * populated memory (nearly all of its time in the kernel) and counts how
 * often the spinner ran in between. With round robin on the tick the
 * spinner runs about every other tick; the test asks for RUNS_WANTED
 * runs within BUDGET_TICKS ticks of the main thread's own CPU time (a
 * tick is CLOCK_MONOTONIC_COARSE's resolution), a wide margin. Counts
 * and CPU time only, no wall clock. The same source runs on Linux.
 */
#include "syscall.h"
#include "ulib.h"

#define RUNS_WANTED 20
#define BUDGET_TICKS 200
#define CHUNK (256 * 1024)

static volatile unsigned long spins;
static volatile int stop, spinner_cpu_ok;
static int cpu;

static uint64_t ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
}

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	return clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) ? 0 : ts_ns(&ts);
}

static int spinner(void *arg)
{
	(void)arg;
	if (pin_to_cpu(cpu) < 0)
		return 1;
	spinner_cpu_ok = 1;
	while (!stop)
		spins++;
	return 0;
}

/* Nearly all kernel time: map, populate, unmap. */
static void syscall_work(void)
{
	void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (!IS_ERR_PTR(p))
		munmap(p, CHUNK);
}

int main(void)
{
	struct timespec res;
	uint64_t tick_ns, start, used;
	unsigned long last, runs = 0, calls = 0;
	struct thread *t;

	cpu = nr_cpus() - 1; /* the last CPU: not the console's CPU 0 where there are two */
	if (__syscall2(__NR_clock_getres, CLOCK_MONOTONIC_COARSE, (long)&res) || !ts_ns(&res) ||
	    pin_to_cpu(cpu) < 0 || !thread_cpu_ns()) {
		printf("schedhog: needs clock_getres, CLOCK_THREAD_CPUTIME_ID and affinity\n");
		return 1;
	}
	printf("KTAP version 1\n1..1\n");
	tick_ns = ts_ns(&res);
	t = thread_create(spinner, NULL);
	if (IS_ERR_PTR(t))
		return 1;
	while (!spinner_cpu_ok)
		sched_yield();
	last = spins;
	start = thread_cpu_ns();
	do {
		unsigned long now;

		syscall_work();
		calls++;
		now = spins;
		if (now != last) {
			runs++;
			last = now;
		}
		used = thread_cpu_ns() - start;
	} while (runs < RUNS_WANTED && used < BUDGET_TICKS * tick_ns);
	stop = 1;
	thread_join(t);
	printf("# schedhog: cpu %d: the ring-3 thread ran %lu times in %lu ticks of syscall time "
	       "(%lu calls)\n",
	       cpu, runs, (unsigned long)(used / tick_ns), calls);
	printf("%sok 1 schedhog_ring3_thread_gets_the_cpu\n", runs >= RUNS_WANTED ? "" : "not ");
	return runs >= RUNS_WANTED ? 0 : 1;
}
