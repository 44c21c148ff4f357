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

#include "uapi/futex.h"
#include "uapi/signal.h"
#include "uapi/time.h"
#include "ulib.h"

#define SIGCANCEL 32	 /* glibc's first real-time signal, for pthread_cancel */
#define UC_FP_XSTATE 0x1 /* uc_flags: the frame's FPU image is XSAVE's (Linux's sigcontext.h) */
#define FP_XSTATE_MAGIC1 0x46505853U

typedef uint64_t ksigset_t; /* the kernel's 64-bit mask: bit sig - 1 */

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

/* rt_sigaction with SA_RESTORER and our __restore_rt added, as libc's sigaction does. */
int sigaction(int sig, const struct ksigaction *act, struct ksigaction *oact);
/* A plain handler (SA_SIGINFO) with @flags; returns 0 or -errno. */
int signal_handler(int sig, void (*fn)(int, siginfo_t *, void *), unsigned long flags);
int sigprocmask(int how, const ksigset_t *set, ksigset_t *old);
/* poll with a timeout (NULL: none) and, if @mask, that signal mask for the call. */
int ppoll(struct pollfd *fds, unsigned long nfds, const struct timespec *ts, const ksigset_t *mask);
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
