/*
 * dbtrap: a single-step trap (#DB) from user mode, taken while the other
 * threads keep every CPU busy with futex waits on pages not faulted in
 * yet and munmaps (shootdowns). The kernel must not act on the trap in
 * its IST handler (no locks there) but on the way back to ring
 * 3: the process dies with SIGTRAP before it runs another instruction, so
 * "still alive" is never printed, and nothing hangs. The same source dies
 * with SIGTRAP on Linux.
 */
#include "syscall.h"
#include "ulib.h"

#define WARMUP_ROUNDS 20

static volatile int rounds;

static int worker(void *arg)
{
	(void)arg;
	for (;;) {
		int *p = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (IS_ERR_PTR(p))
			continue;
		futex_wait(p, 1); /* the word is 0: the read faults the page in, then -EAGAIN */
		futex_wake(p, 1);
		munmap(p, 2 * PAGE_SIZE); /* a shootdown to the mm's other CPUs */
		__atomic_add_fetch(&rounds, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

int main(void)
{
	int n = nr_cpus();

	for (int i = 0; i < n; i++)
		if (IS_ERR_PTR(thread_create(worker, NULL)))
			return 1;
	while (rounds < WARMUP_ROUNDS)
		sched_yield();
	printf("dbtrap: single-stepping with %d busy threads\n", n);
	__single_step();
	rounds = 0; /* the trap comes after this instruction at the latest */
	printf("dbtrap: still alive after the trap\n");
	return 1;
}
