/*
 * Signals with Linux's x86-64 values (asm/signal.h, asm-generic/signal-defs.h,
 * asm-generic/siginfo.h): numbers, sigaction flags, sigprocmask's hows, the
 * special handlers, sigaltstack's flags, si_code values and the layout of
 * the kernel's struct sigaction. The one home of them for the kernel and
 * user/ programs. SIGRTMIN is the kernel's 32 (glibc's SIGRTMIN reserves
 * two more for itself and is a function call).
 */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32
#define SIGRTMAX _NSIG
#define _NSIG 64 /* signals 1.._NSIG: one bit each in a 64-bit sigset */

/* sa_flags. SA_RESTORER: sa_restorer is the return trampoline (glibc always sets it). */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_UNSUPPORTED 0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

/* rt_sigprocmask(2)'s how. */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* The special handlers. */
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SIG_ERR ((void (*)(int)) - 1)

/* sigaltstack(2). */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

/* si_code: who sent it, or what fault it reports. */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE -1
#define SI_TIMER -2
#define SI_TKILL -6
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define BUS_OBJERR 3
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2 /* #UD from user mode: Linux's do_error_trap for X86_TRAP_UD */
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/*
 * The kernel's struct sigaction, as rt_sigaction(2) reads and writes it on
 * x86-64 (Linux's asm/signal.h): 32 bytes, the mask last and sized by the
 * call's sigsetsize argument, which must be 8. glibc's struct sigaction has
 * a different layout and is translated by glibc.
 */
#define KERNEL_SIGACTION_HANDLER 0   /* offset: handler, SIG_DFL or SIG_IGN */
#define KERNEL_SIGACTION_FLAGS 8     /* offset: sa_flags */
#define KERNEL_SIGACTION_RESTORER 16 /* offset: sa_restorer */
#define KERNEL_SIGACTION_MASK 24     /* offset: sa_mask */
#define KERNEL_SIGSET_SIZE 8	     /* the sigsetsize rt_sigaction/rt_sigprocmask accept */

struct kernel_sigaction {
	unsigned long sa_handler; /* void (*)(int), or (int, siginfo_t *, void *) with SA_SIGINFO */
	unsigned long sa_flags;
	unsigned long sa_restorer; /* void (*)(void): calls rt_sigreturn */
	unsigned long sa_mask;	   /* bit (sig - 1) blocks sig while the handler runs */
};
_Static_assert(sizeof(struct kernel_sigaction) == 32, "rt_sigaction's x86-64 layout");

/* stack_t, as sigaltstack(2) reads and writes it (24 bytes). */
struct kernel_stack_t {
	unsigned long ss_sp;
	int ss_flags;
	int __pad;
	unsigned long ss_size;
};
_Static_assert(sizeof(struct kernel_stack_t) == 24, "sigaltstack's x86-64 layout");

/* siginfo_t is 128 bytes: signo, errno, code, then the union at offset 16. */
#define SI_MAX_SIZE 128
#define SIGINFO_SIGNO 0
#define SIGINFO_ERRNO 4
#define SIGINFO_CODE 8
#define SIGINFO_FIELDS 16 /* si_pid/si_uid, si_addr, si_status... */

#endif
