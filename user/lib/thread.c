/*
 * Threads of one process with Linux's clone(2) flags, as pthread_create uses
 * them: shared address space, files and signal handlers, one thread group,
 * a TLS pointer, and the tid word that the kernel writes at creation
 * (CLONE_PARENT_SETTID) and clears plus futex-wakes at exit
 * (CLONE_CHILD_CLEARTID), which is what thread_join waits on.
 */
#include "syscall.h"
#include "ulib.h"
#include "uapi/sched.h"

#define THREAD_STACK (256UL * 1024)

/* Lives at the top of the thread's own mapping, above its stack. */
struct thread {
	struct thread *self; /* %fs:0 points here, as the x86-64 TLS ABI wants */
	volatile int tid;    /* non-zero while the thread lives */
	int ret;
	int (*fn)(void *);
	void *arg;
	void *map;
	size_t map_len;
};

long __clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg, int *ptid,
	     unsigned long tls, int *ctid);

static int thread_start(void *p)
{
	struct thread *t = p;

	t->ret = t->fn(t->arg);
	return 0; /* __clone's stub calls exit(2); the kernel then clears t->tid */
}

struct thread *thread_create(int (*fn)(void *), void *arg)
{
	const unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
				    CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
				    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
	char *map = mmap(NULL, THREAD_STACK, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	struct thread *t;
	long tid;

	if (IS_ERR_PTR(map))
		return (struct thread *)map;
	/* A guard page below the stack; a kernel without mprotect just has none. */
	mprotect(map, PAGE_SIZE, PROT_NONE);
	t = (struct thread *)(map + THREAD_STACK - sizeof(*t));
	*t = (struct thread){.self = t, .fn = fn, .arg = arg, .map = map, .map_len = THREAD_STACK};
	tid = __clone(thread_start, t, flags, t, (int *)&t->tid, (unsigned long)t, (int *)&t->tid);
	if (tid < 0) {
		munmap(map, THREAD_STACK);
		return (struct thread *)tid; /* -ENOSYS: a kernel without threads yet */
	}
	return t;
}

/*
 * Wait until the kernel has cleared t->tid: only then is the thread off its
 * stack for good, and the mapping can go. FUTEX_WAIT returns at once if the
 * word already changed; without futex (-ENOSYS) we yield and look again.
 */
int thread_join(struct thread *t)
{
	int tid, ret;

	while ((tid = t->tid) != 0) {
		if (futex_wait(&t->tid, tid) == -ENOSYS)
			sched_yield();
	}
	ret = t->ret;
	munmap(t->map, t->map_len);
	return ret;
}
