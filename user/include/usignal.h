/*
 * Signals, sleeps and futex bitsets for user/ programs (user/lib/signal.c,
 * user/lib/sigreturn.S): Linux's x86-64 ABI structures as the kernel
 * passes them (struct sigaction with sa_restorer, siginfo, ucontext with
 * the sigcontext), and wrappers that return the kernel's answer (-errno).
 * The constants move to include/uapi/ once that is merged.
 */
#ifndef USER_USIGNAL_H
#define USER_USIGNAL_H

#include <stdint.h>

#include "ulib.h"

/* ---- ABI constants (Linux x86-64); to include/uapi/ with the uapi merge */
#define SIGHUP 1
#define SIGINT 2
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGSTOP 19
#define SIGURG 23
#define SIGCANCEL 32 /* glibc's SIGRTMIN, for pthread_cancel */
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define ILL_ILLOPN 2
#define SEGV_MAPERR 1
#define TRAP_BRKPT 1
#define ITIMER_REAL 0
#define TIMER_ABSTIME 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define UC_FP_XSTATE 0x1
#define FP_XSTATE_MAGIC1 0x46505853U
#define __NR_rt_sigaction 13
#define __NR_rt_sigprocmask 14
#define __NR_rt_sigreturn 15
#define __NR_pause 34
#define __NR_nanosleep 35
#define __NR_getitimer 36
#define __NR_alarm 37
#define __NR_setitimer 38
#define __NR_sigaltstack 131
#define __NR_tkill 200
#define __NR_clock_nanosleep 230
#define __NR_tgkill 234
/* ---- */

typedef uint64_t ksigset_t; /* the kernel's 64-bit mask: bit sig - 1 */
typedef void (*sighandler_t)(int);

static inline ksigset_t sigbit(int sig)
{
	return 1ULL << (sig - 1);
}

typedef struct {
	int si_signo, si_errno, si_code, pad;
	union {
		struct {
			int pid;
			unsigned int uid;
		} kill;
		void *addr;
		uint64_t raw[14];
	};
} siginfo_t;

struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t di, si, bp, bx, dx, ax, cx, sp, ip, flags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

typedef struct {
	void *ss_sp;
	int ss_flags;
	uint64_t ss_size;
} stack_t;

typedef struct ucontext {
	uint64_t uc_flags;
	struct ucontext *uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	ksigset_t uc_sigmask;
} ucontext_t;

/* The kernel's struct sigaction (rt_sigaction's layout on x86-64). */
struct ksigaction {
	void (*handler)(int, siginfo_t *, void *); /* or SIG_DFL / SIG_IGN cast */
	unsigned long flags;
	void (*restorer)(void);
	ksigset_t mask;
};

struct itimerval {
	long it_interval_sec, it_interval_usec;
	long it_value_sec, it_value_usec;
};

/* rt_sigaction with SA_RESTORER and our __restore_rt added, as libc's sigaction does. */
int sigaction(int sig, const struct ksigaction *act, struct ksigaction *oact);
/* A plain handler (SA_SIGINFO) with @flags; returns 0 or -errno. */
int signal_handler(int sig, void (*fn)(int, siginfo_t *, void *), unsigned long flags);
int sigprocmask(int how, const ksigset_t *set, ksigset_t *old);
int kill(pid_t pid, int sig);
int tgkill(pid_t tgid, pid_t tid, int sig);
int tkill(pid_t tid, int sig);
int sigaltstack(const stack_t *ss, stack_t *old);
unsigned int alarm(unsigned int seconds);
int pause(void);
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_nanosleep(int clock, int flags, const struct timespec *req, struct timespec *rem);
int setitimer(int which, const struct itimerval *nv, struct itimerval *old);
int getitimer(int which, struct itimerval *cur);
long futex_wait_bitset(volatile int *addr, int val, const struct timespec *abs, uint32_t bitset,
		       int clock_realtime);
long futex_wake_bitset(volatile int *addr, int n, uint32_t bitset);
void sleep_ms(unsigned int ms);

/* user/lib/sigreturn.S: the restorer, and rt_sigreturn on a frame the caller built. */
void __restore_rt(void);
__attribute__((noreturn)) void forge_sigreturn(void *frame);

#endif
