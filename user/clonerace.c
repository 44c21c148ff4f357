/*
 * clonerace: exit_group while other threads are inside clone(2). No thread
 * may outlive its process (a bug once fixed here): a clone that was in flight when the
 * group began to exit must fail or create a thread that dies at once.
 * Cloner threads create sleeping children as fast as they can; the main
 * thread calls exit_group as soon as CLONES_BEFORE_EXIT exist, so the
 * others are very likely mid-clone. If one child escapes the kill, the
 * process never ends and the console waits for ever (the runner's timeout
 * fails the test). The same source runs on Linux.
 */
#include "syscall.h"
#include "ulib.h"
#include "uapi/sched.h"

#define MAX_CHILDREN 40 /* stays under the kernel's 64 task slots with the cloners */
#define CLONES_BEFORE_EXIT 16
#define CHILD_STACK 4096
#define CLONERS 3

long __clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg, int *ptid,
	     unsigned long tls, int *ctid);

static char child_stacks[MAX_CHILDREN][CHILD_STACK] __attribute__((aligned(16)));
static volatile int next_slot, created, never_changes;

/* A child sleeps until the process ends; it has no TLS and touches nothing. */
static int child(void *arg)
{
	(void)arg;
	for (;;)
		futex_wait(&never_changes, 0);
	return 0;
}

static int cloner(void *arg)
{
	const unsigned long flags =
	    CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;

	(void)arg;
	for (;;) {
		int slot = __atomic_fetch_add(&next_slot, 1, __ATOMIC_SEQ_CST);

		if (slot >= MAX_CHILDREN) {
			for (;;)
				sched_yield(); /* out of stacks: wait for the end */
		}
		if (__clone(child, child_stacks[slot] + CHILD_STACK, flags, NULL, NULL, 0, NULL) >
		    0)
			__atomic_add_fetch(&created, 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

int main(void)
{
	for (int i = 0; i < CLONERS; i++) {
		struct thread *t = thread_create(cloner, NULL);

		if (IS_ERR_PTR(t)) {
			printf("clonerace: thread_create: %s\n", errno_name(PTR_ERR(t)));
			return 1;
		}
	}
	while (created < CLONES_BEFORE_EXIT)
		;
	printf("clonerace: exit_group with %d clones done, others in flight\n", created);
	exit(0); /* exit_group: every thread, and every clone racing it */
}
