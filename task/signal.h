/*
 * Signals as Linux has them on x86-64: handlers and a shared pending set
 * per process, a blocked mask and a pending set per thread, default
 * actions, delivery on the way back to ring 3 (exit_to_user_mode), and the
 * wait-status encoding that exit, wait4 and the console share. The frame a
 * handler runs on is task/sigframe.c's.
 */
#ifndef TASK_SIGNAL_H
#define TASK_SIGNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/spinlock.h"
#include "uapi/asm/unistd_64.h" /* __NR_restart_syscall */
#include "uapi/signal.h"
#include "uapi/wait.h"

/*
 * Wait statuses (Linux's encoding; decoded by uapi/wait.h's macros): exit(n)
 * is n << 8; death by signal is the signal number, with WCOREFLAG if a
 * core was dumped (never here: flushlab writes no core files, as Linux
 * with RLIMIT_CORE 0). do_exit stores them, wait4 copies them out, the
 * console decodes them.
 */
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#define WCOREFLAG 0x80

/* The special handlers as the kernel stores them (uapi's are pointers). */
#define SIG_DFL_HANDLER ((uintptr_t)SIG_DFL)
#define SIG_IGN_HANDLER ((uintptr_t)SIG_IGN)

typedef uint64_t sigset_t; /* bit sig - 1, as Linux's 64-bit sigset */

static inline sigset_t sigmask(int sig)
{
	return 1ULL << (sig - 1);
}

static inline bool valid_signal(unsigned long sig)
{
	return sig <= _NSIG;
}

/* Linux's struct k_sigaction as rt_sigaction passes it on x86-64 (32 bytes). */
struct k_sigaction {
	uintptr_t handler;
	uint64_t flags;
	uintptr_t restorer;
	sigset_t mask;
};

/*
 * What a pending signal carries into the siginfo a handler sees: signo,
 * errno and code, and the first 16 bytes of the union (offset 16: si_pid
 * and si_uid, or si_addr; offset 24: si_status or si_value). si_utime and
 * si_stime of SIGCHLD (offsets 32, 40) are not kept: 0.
 */
struct kernel_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	uint64_t u[2];
};

/* Standard signals do not queue: one instance of each, with its info. */
struct sigpending {
	sigset_t signal;
	struct kernel_siginfo info[_NSIG];
};

/* A thread's signal state (task_struct.sig). */
struct thread_signal {
	sigset_t blocked;
	struct sigpending pending;
	uintptr_t ss_sp; /* sigaltstack; ss_size 0: none */
	uint64_t ss_size;
	uint32_t ss_flags;     /* SS_AUTODISARM as given; SS_DISABLE is ss_size 0 */
	uint64_t fault_cr2;    /* sigcontext's cr2, trapno, err of the last fault */
	uint64_t fault_trapno; /* Linux's thread.cr2, trap_nr, error_code */
	uint64_t fault_err;
	struct kernel_siginfo trap; /* a #DB's signal, queued on exit (signo 0: none) */
	sigset_t saved_mask;	    /* rt_sigsuspend's mask to put back (Linux's saved_sigmask) */
	bool restore_sigmask;	    /* TIF_RESTORE_SIGMASK: saved_mask is live */
};

/*
 * A process's signal state, in its group leader (task_struct.signal):
 * Linux's sighand (the actions) and signal_struct (the shared pending set,
 * ITIMER_REAL). siglock is taken with interrupts off, inside tasks_lock,
 * outside the run-queue locks.
 */
struct process_signal {
	struct spinlock siglock;
	struct k_sigaction action[_NSIG];
	struct sigpending shared_pending;
	uint64_t it_real_expires; /* clock_ns of the next SIGALRM; 0: disarmed */
	uint64_t it_real_incr;	  /* its period in ns; 0: one shot */
	struct task_struct *itimer_next;
};

struct task_struct;
struct trap_frame;

/*
 * A signal the calling thread must look at before it sleeps on: a pending
 * unblocked one, or a kill. Lock-free (a hint that the caller re-checks
 * after setting TASK_INTERRUPTIBLE and a full barrier): the EINTR hook for
 * every interruptible sleep (futex, nanosleep, pipes, poll, wait4).
 */
bool signal_pending(struct task_struct *t);

/*
 * Linux's set_user_sigmask: block the user's sigset at @umask (@size must
 * be sizeof(sigset_t)) for the rest of this call, keeping the old mask to
 * put back. 0 (nothing changes if @umask is 0), -EINVAL or -EFAULT.
 */
int set_user_sigmask(uintptr_t umask, size_t size);
/*
 * The old mask back now, unless the call was @interrupted by a signal:
 * then delivery puts it back (a handler's frame saves it for sigreturn).
 */
void restore_saved_sigmask_unless(bool interrupted);

/*
 * Send @sig to the process @leader (kill) or to the thread @t
 * (tgkill, faults), with @info (NULL: SI_KERNEL from the kernel). 0 or
 * -errno. Any context but NMI; takes tasks_lock and siglock.
 */
/* The send itself, tasks_lock held (task_kill_pgrp signals a whole group in one pass). */
int send_signal_locked(int sig, const struct kernel_siginfo *info, struct task_struct *t,
		       bool group);
int group_send_sig_info(int sig, const struct kernel_siginfo *info, struct task_struct *leader);
int send_sig_info(int sig, const struct kernel_siginfo *info, struct task_struct *t);
/* The same by number: process @pid; thread @tid (of process @tgid if > 0). -ESRCH, -EINVAL. */
int signal_process(int pid, int sig, const struct kernel_siginfo *info);
int signal_thread(int tgid, int tid, int sig, const struct kernel_siginfo *info);

/* Make @t notice a pending signal: wake it if asleep, kick its CPU if it runs elsewhere. */
void signal_wake_up(struct task_struct *t);

/*
 * Linux's force_sig_fault: a synchronous signal for the current thread
 * from a user fault. A blocked or ignored one is unblocked and reset to
 * SIG_DFL first, so the thread cannot loop on the fault. Returns true if
 * it will kill (no handler), so the caller can print Linux's line.
 */
bool force_sig_fault(int sig, int code, uint64_t addr, uint64_t trapno, uint64_t err);

/* Deliver pending signals to the current thread (exit_to_user_mode, interrupts on). */
void do_signal(struct trap_frame *regs);

/* sigaltstack (task/signal_syscalls.c): is @sp on @t's alternate stack; its ss_flags for @sp. */
bool on_sig_stack(struct task_struct *t, uint64_t sp);
uint32_t sas_ss_flags(struct task_struct *t, uint64_t sp);
/* rt_sigreturn's restore of uc_stack (Linux's restore_altstack): 0 or -errno. */
int restore_altstack(uint64_t ss_sp, uint32_t ss_flags, uint64_t ss_size, uint64_t sp);

/*
 * clone and fork: @child (a fresh slot) gets @parent's blocked mask;
 * with @new_process (fork) also a copy of the handlers and the
 * sigaltstack (Linux's copy_sighand; CLONE_VM threads start without an
 * alternate stack). Pending signals and ITIMER_REAL are not inherited.
 */
void copy_signal_state(struct task_struct *child, struct task_struct *parent, bool new_process);

/* The process is gone: its interval timer stops (do_exit, last thread). */
void signal_exit_process(struct task_struct *leader);

/* System calls (task/syscall.c's table). */
long sys_rt_sigaction(struct trap_frame *regs);
long sys_rt_sigprocmask(struct trap_frame *regs);
long sys_sigaltstack(struct trap_frame *regs);
long sys_kill(struct trap_frame *regs);
long sys_tgkill(struct trap_frame *regs);
long sys_tkill(struct trap_frame *regs);
long sys_rt_sigpending(struct trap_frame *regs);
long sys_rt_sigsuspend(struct trap_frame *regs);

/* "SIGABRT", or NULL for a number without a name. */
const char *signal_name(int sig);

#endif
