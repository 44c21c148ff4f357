/*
 * Signal, sleep and futex-bitset wrappers (usignal.h): each returns the
 * kernel's answer (-errno on failure), like the rest of user/lib/.
 * sigaction adds SA_RESTORER and __restore_rt, as every x86-64 libc does:
 * the kernel has nowhere else to return a handler to.
 */
#include "syscall.h"
#include "usignal.h"

int sigaction(int sig, const struct ksigaction *act, struct ksigaction *oact)
{
	struct ksigaction k;

	if (act) {
		k = *act;
		k.flags |= SA_RESTORER;
		k.restorer = __restore_rt;
	}
	return (int)__syscall4(__NR_rt_sigaction, sig, act ? (long)&k : 0, (long)oact,
			       sizeof(ksigset_t));
}

int signal_handler(int sig, void (*fn)(int, siginfo_t *, void *), unsigned long flags)
{
	struct ksigaction act = {fn, SA_SIGINFO | flags, 0, 0};

	return sigaction(sig, &act, 0);
}

int sigprocmask(int how, const ksigset_t *set, ksigset_t *old)
{
	return (int)__syscall4(__NR_rt_sigprocmask, how, (long)set, (long)old, sizeof(ksigset_t));
}

int ppoll(struct pollfd *fds, unsigned long nfds, const struct timespec *ts, const ksigset_t *mask)
{
	return (int)__syscall5(__NR_ppoll, (long)fds, (long)nfds, (long)ts, (long)mask,
			       sizeof(ksigset_t));
}

int kill(pid_t pid, int sig)
{
	return (int)__syscall2(__NR_kill, pid, sig);
}

int tgkill(pid_t tgid, pid_t tid, int sig)
{
	return (int)__syscall3(__NR_tgkill, tgid, tid, sig);
}

int tkill(pid_t tid, int sig)
{
	return (int)__syscall2(__NR_tkill, tid, sig);
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	return (int)__syscall2(__NR_sigaltstack, (long)ss, (long)old);
}

unsigned int alarm(unsigned int seconds)
{
	return (unsigned int)__syscall1(__NR_alarm, seconds);
}

int pause(void)
{
	return (int)__syscall0(__NR_pause);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)__syscall2(__NR_nanosleep, (long)req, (long)rem);
}

int clock_nanosleep(int clock, int flags, const struct timespec *req, struct timespec *rem)
{
	return (int)__syscall4(__NR_clock_nanosleep, clock, flags, (long)req, (long)rem);
}

int setitimer(int which, const struct itimerval *nv, struct itimerval *old)
{
	return (int)__syscall3(__NR_setitimer, which, (long)nv, (long)old);
}

int getitimer(int which, struct itimerval *cur)
{
	return (int)__syscall2(__NR_getitimer, which, (long)cur);
}

/* Private futexes: the waiters are threads of this process. */
long futex_wait_bitset(volatile int *addr, int val, const struct timespec *abs, uint32_t bitset,
		       int clock_realtime)
{
	int op =
	    FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | (clock_realtime ? FUTEX_CLOCK_REALTIME : 0);

	return __syscall6(__NR_futex, (long)addr, op, val, (long)abs, 0, bitset);
}

long futex_wake_bitset(volatile int *addr, int n, uint32_t bitset)
{
	return __syscall6(__NR_futex, (long)addr, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, n, 0, 0,
			  bitset);
}

/* Sleep @ms, going on after the signals that interrupt it. */
void sleep_ms(unsigned int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000}, rem;

	while (nanosleep(&ts, &rem) == -EINTR)
		ts = rem;
}
