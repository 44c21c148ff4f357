/*
 * futexshare: which futex waiters a wake finds, as Linux keys them. A
 * futex without FUTEX_PRIVATE_FLAG in a MAP_SHARED mapping is keyed by
 * its page, so a forked child and its parent, or two addresses of one
 * memfd page in one process, meet; with the flag, or in a private
 * mapping, the key is the address in this mm, and private and shared
 * operations on one word never meet. KTAP; the same source runs on Linux.
 */
#include "ktap_check.h"
#include "syscall.h"
#include "ulib.h"
#include "usignal.h"

#define WAIT_LIMIT_NS 10000000000ULL /* a waiter no wake finds gives up after 10 s */

static long futex_op(volatile int *addr, int op, int val, const struct timespec *rel)
{
	return __syscall4(__NR_futex, (long)addr, op, val, (long)rel);
}

/* A shared FUTEX_WAIT of at most 10 s: 0 woken, -EAGAIN, -ETIMEDOUT ... */
static long wait_shared(volatile int *word, int val)
{
	struct timespec limit = {WAIT_LIMIT_NS / 1000000000, 0};

	return futex_op(word, FUTEX_WAIT, val, &limit);
}

/* Wake @addr with @op until one waiter is found, for at most 5 s: how many were. */
static long wake_until_found(volatile int *addr, int op)
{
	long n = 0;

	for (int i = 0; i < 5000 && n == 0; i++) {
		n = futex_op(addr, op, 1, NULL);
		if (n == 0)
			sleep_ms(1);
	}
	return n;
}

/* Parent and forked child share a MAP_SHARED|MAP_ANONYMOUS word. */
static bool shared_anon_across_fork(void)
{
	volatile int *w =
	    mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status = -1;
	long woken;
	pid_t pid;

	if (IS_ERR_PTR(w))
		return false;
	pid = fork();
	if (pid == 0)
		exit(wait_shared(w, 0) == 0 ? 0 : 1);
	woken = wake_until_found(w, FUTEX_WAKE);
	waitpid(pid, &status, 0);
	printf("# fork: woken %ld, child status %d\n", woken, status);
	munmap((void *)w, PAGE_SIZE);
	return pid > 0 && woken == 1 && status == 0;
}

static volatile int *wait_addr;
static volatile long waiter_ret = 1;

static int waiter(void *arg)
{
	waiter_ret = wait_shared(wait_addr, 0);
	return 0;
}

/* One memfd page mapped MAP_SHARED at two addresses, *@a and *@b: false if it cannot be. */
static bool map_page_twice(volatile int **a, volatile int **b)
{
	int fd = memfd_create("futexshare", 0);

	if (fd < 0 || ftruncate(fd, PAGE_SIZE))
		return false;
	*a = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	*b = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return !IS_ERR_PTR(*a) && !IS_ERR_PTR(*b);
}

/* One memfd page mapped at two addresses: a wait on one, a wake on the other. */
static bool memfd_two_addresses(void)
{
	volatile int *a, *b;
	struct thread *t;
	long woken;

	if (!map_page_twice(&a, &b))
		return false;
	wait_addr = a;
	waiter_ret = 1;
	t = thread_create(waiter, NULL);
	woken = wake_until_found(b, FUTEX_WAKE);
	thread_join(t);
	printf("# two addresses: woken %ld, the wait returned %ld\n", woken, waiter_ret);
	munmap((void *)a, PAGE_SIZE);
	munmap((void *)b, PAGE_SIZE);
	return woken == 1 && waiter_ret == 0;
}

/* With FUTEX_PRIVATE_FLAG the same page at another address is another futex. */
static bool private_flag_keys_by_address(void)
{
	volatile int *a, *b;
	struct timespec tenth = {0, 100000000};
	long ret, woken;

	if (!map_page_twice(&a, &b))
		return false;
	woken = futex_op(b, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL);
	ret = futex_op(a, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &tenth);
	munmap((void *)a, PAGE_SIZE);
	munmap((void *)b, PAGE_SIZE);
	return woken == 0 && ret == -ETIMEDOUT;
}

/* In a private mapping a shared wake does not find a private waiter (Linux's FUT_OFF_MMSHARED). */
static long mixed_ret = 1;
static int word_private;

static int private_waiter(void *arg)
{
	struct timespec limit = {WAIT_LIMIT_NS / 1000000000, 0};

	mixed_ret = futex_op(&word_private, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &limit);
	return 0;
}

static bool private_and_shared_ops_never_meet(void)
{
	struct thread *t = thread_create(private_waiter, NULL);
	long shared_woken = 0, private_woken;

	for (int i = 0; i < 20; i++) { /* the waiter is asleep for most of these */
		shared_woken += futex_op(&word_private, FUTEX_WAKE, 1, NULL);
		sleep_ms(1);
	}
	private_woken = wake_until_found(&word_private, FUTEX_WAKE | FUTEX_PRIVATE_FLAG);
	thread_join(t);
	printf("# mixed: shared wakes found %ld, private wake %ld, wait %ld\n", shared_woken,
	       private_woken, mixed_ret);
	return shared_woken == 0 && private_woken == 1 && mixed_ret == 0;
}

int main(void)
{
	static const struct ktap_case cases[] = {
	    {"shared_anon_across_fork", shared_anon_across_fork},
	    {"memfd_page_at_two_addresses", memfd_two_addresses},
	    {"private_flag_keys_by_address", private_flag_keys_by_address},
	    {"private_and_shared_ops_never_meet", private_and_shared_ops_never_meet},
	};

	return ktap_run_cases("futexshare", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
