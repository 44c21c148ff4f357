/*
 * sigtest: signals as Linux delivers them. With no argument, KTAP cases a
 * program survives: faults caught with the right siginfo and sigcontext,
 * kill/tgkill siginfo, masks, SIGKILL uncatchable, SA_NODEFER and
 * SA_RESETHAND, ignored and discarded signals, sigaltstack, the FPU state
 * kept across a handler, a process signal reaching the thread that does
 * not block it, SIGCANCEL to a thread, and the errnos. The same source
 * runs on Linux. The ways of dying are user/sigdie.c's.
 */
#include "ktap_check.h"
#include "syscall.h"
#include "ulib.h"
#include "usignal.h"

#define BAD_ADDR 0xdead000UL

static volatile int hits, hit_sig, hit_code, hit_tid, hit_pid;
static volatile uint64_t hit_addr, hit_cr2, hit_trapno, hit_err, hit_ip, hit_mask;
static volatile uint64_t hit_xmm0, hit_fpstate, hit_ucflags, hit_local, hit_magic;
static volatile long hit_altstack_err;
static volatile int skip_len;

static void record(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	hits++;
	hit_sig = si->si_signo;
	hit_code = si->si_code;
	hit_addr = (uint64_t)si->addr;
	hit_pid = si->kill.pid;
	hit_tid = gettid();
	hit_cr2 = uc->uc_mcontext.cr2;
	hit_trapno = uc->uc_mcontext.trapno;
	hit_err = uc->uc_mcontext.err;
	hit_ip = uc->uc_mcontext.ip;
	hit_fpstate = uc->uc_mcontext.fpstate;
	hit_ucflags = uc->uc_flags;
	uc->uc_mcontext.ip += skip_len; /* step over the faulting instruction */
	(void)sig;
}

static void query_mask(int sig, siginfo_t *si, void *uc)
{
	ksigset_t m;

	sigprocmask(SIG_BLOCK, 0, &m);
	hit_mask = m;
	record(sig, si, uc);
}

static bool fault_case(int sig, int len, void (*insn)(void), int code, int trapno, void *store)
{
	signal_handler(sig, record, 0);
	hits = 0;
	skip_len = len;
	if (insn)
		insn();
	else
		__fault_store(store);
	skip_len = 0;
	signal_handler(sig, (void *)SIG_DFL, 0);
	printf("# sig %d: hits %d code %d addr 0x%lx trapno %lu err 0x%lx cr2 0x%lx ip 0x%lx\n",
	       hit_sig, hits, hit_code, (unsigned long)hit_addr, (unsigned long)hit_trapno,
	       (unsigned long)hit_err, (unsigned long)hit_cr2, (unsigned long)hit_ip);
	return hits == 1 && hit_sig == sig && hit_code == code && hit_trapno == (uint64_t)trapno;
}

static void do_store(void)
{
	__fault_store((volatile void *)BAD_ADDR);
}

static bool segv_caught(void)
{
	return fault_case(SIGSEGV, FAULT_STORE_LEN, do_store, SEGV_MAPERR, 14, 0) &&
	       hit_addr == BAD_ADDR && hit_cr2 == BAD_ADDR && (hit_err & 6) == 6;
}

static bool sigill_caught(void)
{
	return fault_case(SIGILL, UD2_LEN, __ud2, ILL_ILLOPN, 6, 0) && hit_addr == hit_ip;
}

static bool sigtrap_caught(void)
{
	return fault_case(SIGTRAP, 0, __int3, SI_KERNEL, 3, 0);
}

static bool gp_caught(void)
{
	return fault_case(SIGSEGV, HLT_LEN, __hlt, SI_KERNEL, 13, 0) && hit_addr == 0;
}

/*
 * A MAP_HUGETLB | MAP_NORESERVE mapping with no page in the pool (the
 * default pool is empty here and on a stock Linux): the touch is SIGBUS,
 * BUS_ADRERR, at the address. SKIP-like pass if the pool has pages.
 */
static bool sigbus_caught(void)
{
	size_t len = 2UL << 20;
	char *p = mmap(0, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
	bool ok;

	if (IS_ERR_PTR(p)) {
		printf("# sigbus: mmap(MAP_HUGETLB) answered %s\n", errno_name(PTR_ERR(p)));
		return false;
	}
	ok = fault_case(SIGBUS, FAULT_STORE_LEN, 0, BUS_ADRERR, 14, p);
	munmap(p, len);
	return ok && hit_addr == (uint64_t)p;
}

static bool kill_siginfo(void)
{
	bool ok;

	signal_handler(SIGUSR1, record, 0);
	hits = 0;
	ok = kill(getpid(), SIGUSR1) == 0 && hits == 1; /* delivered before kill returns */
	ok = ok && hit_sig == SIGUSR1 && hit_code == SI_USER && hit_pid == getpid();
	signal_handler(SIGUSR2, record, 0);
	ok = ok && tgkill(getpid(), gettid(), SIGUSR2) == 0 && hits == 2;
	ok = ok && hit_sig == SIGUSR2 && hit_code == SI_TKILL && hit_pid == getpid();
	ok = ok && tkill(gettid(), SIGUSR2) == 0 && hits == 3;
	return ok;
}

static bool mask_blocks(void)
{
	ksigset_t set = sigbit(SIGUSR1), old, now;
	bool ok;

	signal_handler(SIGUSR1, record, 0);
	hits = 0;
	ok = sigprocmask(SIG_BLOCK, &set, &old) == 0 && kill(getpid(), SIGUSR1) == 0;
	ok = ok && kill(getpid(), SIGUSR1) == 0 && hits == 0; /* blocked; one instance */
	ok = ok && sigprocmask(SIG_BLOCK, 0, &now) == 0 && (now & set);
	ok = ok && sigprocmask(SIG_UNBLOCK, &set, 0) == 0 && hits == 1;
	return ok && sigprocmask(SIG_SETMASK, &old, 0) == 0;
}

/* rt_sigpending shows a blocked pending signal; rt_sigsuspend runs it and puts the mask back. */
static bool sigsuspend_sigpending(void)
{
	ksigset_t set = sigbit(SIGUSR1), old, pend = 0, during = 0, now;
	bool ok;

	signal_handler(SIGUSR1, query_mask, 0);
	hits = 0;
	ok = sigprocmask(SIG_BLOCK, &set, &old) == 0 && kill(getpid(), SIGUSR1) == 0;
	ok = ok && __syscall2(__NR_rt_sigpending, (long)&pend, 8) == 0 && (pend & set) && !hits;
	ok = ok && __syscall2(__NR_rt_sigpending, (long)&pend, 16) == -EINVAL;
	during = sigbit(SIGUSR2); /* USR1 unblocked while suspended */
	ok = ok && __syscall2(__NR_rt_sigsuspend, (long)&during, 8) == -EINTR && hits == 1;
	ok = ok && (hit_mask & sigbit(SIGUSR2)) && (hit_mask & set); /* its mask + the signal */
	ok = ok && sigprocmask(SIG_BLOCK, 0, &now) == 0 && (now & set) && !(now & sigbit(SIGUSR2));
	ok = ok && __syscall2(__NR_rt_sigsuspend, (long)&during, 4) == -EINVAL;
	return sigprocmask(SIG_SETMASK, &old, 0) == 0 && ok;
}

static bool sigkill_uncatchable(void)
{
	struct ksigaction act = {record, SA_SIGINFO, 0, 0}, oact;
	ksigset_t all = ~0ULL, now, none = 0;
	bool ok = sigaction(SIGKILL, &act, 0) == -EINVAL && sigaction(SIGSTOP, &act, 0) == -EINVAL;

	ok = ok && sigaction(SIGKILL, 0, &oact) == 0 && oact.handler == 0; /* query is fine */
	ok = ok && sigprocmask(SIG_SETMASK, &all, 0) == 0 && sigprocmask(SIG_BLOCK, 0, &now) == 0;
	ok = ok && !(now & (sigbit(SIGKILL) | sigbit(SIGSTOP))) && (now & sigbit(SIGUSR1));
	return sigprocmask(SIG_SETMASK, &none, 0) == 0 && ok;
}

static bool nodefer_resethand(void)
{
	struct ksigaction oact;
	bool ok;

	signal_handler(SIGUSR1, query_mask, 0);
	hits = 0;
	ok = kill(getpid(), SIGUSR1) == 0 && hits == 1 && (hit_mask & sigbit(SIGUSR1));
	signal_handler(SIGUSR1, query_mask, SA_NODEFER | SA_RESETHAND);
	ok = ok && kill(getpid(), SIGUSR1) == 0 && hits == 2 && !(hit_mask & sigbit(SIGUSR1));
	ok = ok && sigaction(SIGUSR1, 0, &oact) == 0 && oact.handler == 0; /* reset to SIG_DFL */
	sigprocmask(SIG_BLOCK, 0, (ksigset_t *)&hit_mask);
	return ok && !(hit_mask & sigbit(SIGUSR1)); /* the handler's mask is gone */
}

static bool ignored_signals(void)
{
	ksigset_t set = sigbit(SIGUSR1);
	struct ksigaction ign = {(void *)SIG_IGN, 0, 0, 0};
	bool ok;

	hits = 0;
	ok = kill(getpid(), SIGCHLD) == 0 && kill(getpid(), SIGURG) == 0; /* default: ignore */
	ok = ok && sigaction(SIGUSR1, &ign, 0) == 0 && kill(getpid(), SIGUSR1) == 0;
	/* POSIX: setting SIG_IGN discards a pending instance. */
	signal_handler(SIGUSR1, record, 0);
	ok = ok && sigprocmask(SIG_BLOCK, &set, 0) == 0 && kill(getpid(), SIGUSR1) == 0;
	ok = ok && sigaction(SIGUSR1, &ign, 0) == 0 && signal_handler(SIGUSR1, record, 0) == 0;
	ok = ok && sigprocmask(SIG_UNBLOCK, &set, 0) == 0;
	return ok && hits == 0;
}

static bool errnos(void)
{
	ksigset_t set = 0;
	stack_t ss = {0, 99, 65536};
	struct ksigaction act = {record, SA_SIGINFO, 0, 0};
	bool ok = kill(getpid(), 65) == -EINVAL && kill(0x7ffffff0, 0) == -ESRCH;

	ok = ok && kill(getpid(), 0) == 0 && tgkill(0, 1, SIGUSR1) == -EINVAL;
	ok = ok && tgkill(getpid(), 0x7ffffff0, SIGUSR1) == -ESRCH && tkill(-1, 1) == -EINVAL;
	ok = ok && __syscall4(__NR_rt_sigaction, SIGUSR1, (long)&act, 0, 4) == -EINVAL;
	ok = ok && sigaction(0, &act, 0) == -EINVAL && sigaction(65, &act, 0) == -EINVAL;
	ok = ok && sigprocmask(7, &set, 0) == -EINVAL && sigprocmask(7, 0, 0) == 0;
	ok = ok && __syscall4(__NR_rt_sigprocmask, SIG_BLOCK, (long)&set, 0, 16) == -EINVAL;
	ok = ok && sigprocmask(SIG_BLOCK, (ksigset_t *)BAD_ADDR, 0) == -EFAULT;
	ok = ok && sigaltstack(&ss, 0) == -EINVAL;
	ss.ss_flags = 0;
	ss.ss_size = MINSIGSTKSZ - 1;
	return ok && sigaltstack(&ss, 0) == -ENOMEM;
}

static void on_altstack(int sig, siginfo_t *si, void *ucv)
{
	stack_t ss = {0, 0, 1 << 16};
	int local;

	hit_local = (uint64_t)&local;
	hit_altstack_err = sigaltstack(&ss, 0); /* -EPERM: not while on it */
	record(sig, si, ucv);
}

static bool altstack(void)
{
	size_t size = 1 << 16;
	char *stk = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t ss = {stk, 0, size}, old;
	bool ok;

	if (IS_ERR_PTR(stk))
		return false;
	signal_handler(SIGUSR1, on_altstack, SA_ONSTACK);
	hits = 0;
	ok = sigaltstack(&ss, 0) == 0 && kill(getpid(), SIGUSR1) == 0 && hits == 1;
	ok = ok && hit_local > (uint64_t)stk && hit_local < (uint64_t)stk + size;
	ok = ok && hit_altstack_err == -EPERM;
	ok = ok && sigaltstack(0, &old) == 0 && old.ss_sp == stk && old.ss_flags == 0;
	ss.ss_flags = SS_DISABLE;
	ok = ok && sigaltstack(&ss, 0) == 0 && sigaltstack(0, &old) == 0;
	ok = ok && old.ss_flags == SS_DISABLE;
	munmap(stk, size);
	return ok;
}

static void fpu_handler(int sig, siginfo_t *si, void *ucv)
{
	hit_xmm0 = __xmm0_get(); /* Linux starts a handler with the FPU initialised */
	__xmm0_set(0xbadbadbadULL);
	record(sig, si, ucv);
	if (hit_fpstate)
		hit_magic = *(uint32_t *)(hit_fpstate + 464);
}

static bool fpu_kept(void)
{
	uint64_t pattern = 0x1122334455667788ULL, after;
	bool ok;

	signal_handler(SIGUSR1, fpu_handler, 0);
	hits = 0;
	__xmm0_set(pattern);
	ok = kill(getpid(), SIGUSR1) == 0;
	after = __xmm0_get();
	printf("# xmm0 in handler 0x%lx, after 0x%lx, fpstate 0x%lx uc_flags 0x%lx magic1 0x%lx\n",
	       (unsigned long)hit_xmm0, (unsigned long)after, (unsigned long)hit_fpstate,
	       (unsigned long)hit_ucflags, (unsigned long)hit_magic);
	ok = ok && hits == 1 && after == pattern && hit_xmm0 == 0 && hit_fpstate != 0;
	ok = ok && (hit_fpstate & 63) == 0;
	return ok && (!(hit_ucflags & UC_FP_XSTATE) || hit_magic == FP_XSTATE_MAGIC1);
}

static volatile int stop_thread;

static int sleeper(void *arg)
{
	while (!stop_thread)
		sleep_ms(5);
	return 0;
}

/* A process-directed signal goes to a thread that does not block it. */
static bool process_signal_to_thread(void)
{
	ksigset_t set = sigbit(SIGUSR2), old;
	struct thread *t;
	bool ok;

	signal_handler(SIGUSR2, record, 0);
	hits = 0;
	stop_thread = 0;
	t = thread_create(sleeper, 0); /* before the block: a thread inherits the mask */
	if (IS_ERR_PTR(t))
		return false;
	sigprocmask(SIG_BLOCK, &set, &old);
	ok = kill(getpid(), SIGUSR2) == 0;
	for (int i = 0; i < 400 && !hits; i++)
		sleep_ms(5);
	ok = ok && hits == 1 && hit_tid != gettid();
	sigprocmask(SIG_SETMASK, &old, 0);
	stop_thread = 1;
	thread_join(t);
	return ok && hits == 1; /* not a second time to the unblocking thread */
}

static volatile int cancel_tid;

static int cancel_target(void *arg)
{
	cancel_tid = gettid();
	while (!stop_thread)
		sleep_ms(5);
	return 0;
}

/* glibc's pthread_cancel: SIGCANCEL (32) by tgkill to the thread, handled there. */
static bool sigcancel_thread(void)
{
	struct thread *t;
	bool ok;

	signal_handler(SIGCANCEL, record, SA_RESTART);
	hits = 0;
	stop_thread = 0;
	cancel_tid = 0;
	t = thread_create(cancel_target, 0);
	if (IS_ERR_PTR(t))
		return false;
	while (!cancel_tid)
		sched_yield();
	ok = tgkill(getpid(), cancel_tid, SIGCANCEL) == 0;
	for (int i = 0; i < 400 && !hits; i++)
		sleep_ms(5);
	ok = ok && hits == 1 && hit_tid == cancel_tid && hit_code == SI_TKILL && hit_sig == 32;
	stop_thread = 1;
	thread_join(t);
	return ok;
}

#define STORM_THREADS 3
#define STORM_SENDS 300

static volatile int storm_tids[STORM_THREADS], storm_go, storm_handled;

static void storm_handler(int sig, siginfo_t *si, void *uc)
{
	__atomic_add_fetch(&storm_handled, 1, __ATOMIC_RELAXED);
}

/* Each thread signals the next while it sleeps in short timed futex waits and nanosleeps. */
static int storm_thread(void *arg)
{
	int me = (int)(long)arg, next = (me + 1) % STORM_THREADS;
	volatile int word = 0;
	struct timespec ts = {0, 100000};

	storm_tids[me] = gettid();
	while (!storm_go)
		sched_yield();
	for (int i = 0; i < STORM_SENDS; i++) {
		tgkill(getpid(), storm_tids[next], SIGUSR1);
		if (i % 2) {
			nanosleep(&ts, 0);
		} else { /* a timed wait: -ETIMEDOUT, or -EINTR when a signal comes */
			struct timespec abs;

			clock_gettime(CLOCK_MONOTONIC, &abs);
			abs.tv_nsec += 200000;
			if (abs.tv_nsec >= 1000000000) {
				abs.tv_sec++;
				abs.tv_nsec -= 1000000000;
			}
			futex_wait_bitset(&word, 0, &abs, ~0U, 0);
		}
	}
	return 0;
}

/*
 * Threads signal each other while they sleep and wake: every send either
 * runs a handler or merges with one pending (one instance each), so the
 * handled count is between 1 and the sends; nothing hangs or leaks.
 */
static bool signal_storm(void)
{
	struct thread *t[STORM_THREADS];

	signal_handler(SIGUSR1, storm_handler, SA_RESTART);
	storm_go = storm_handled = 0;
	for (int i = 0; i < STORM_THREADS; i++) {
		storm_tids[i] = 0;
		t[i] = thread_create(storm_thread, (void *)(long)i);
		if (IS_ERR_PTR(t[i]))
			return false;
	}
	for (int i = 0; i < STORM_THREADS; i++)
		while (!storm_tids[i])
			sched_yield();
	storm_go = 1;
	for (int i = 0; i < STORM_THREADS; i++)
		thread_join(t[i]);
	printf("# storm: %d of %d sends handled\n", storm_handled, STORM_THREADS * STORM_SENDS);
	return storm_handled >= 1 && storm_handled <= STORM_THREADS * STORM_SENDS;
}

int main(void)
{
	static const struct ktap_case cases[] = {
	    {"segv_caught_with_siginfo", segv_caught},
	    {"sigill_caught_with_siginfo", sigill_caught},
	    {"sigtrap_int3_caught", sigtrap_caught},
	    {"gp_fault_is_sigsegv", gp_caught},
	    {"hugetlb_without_pages_is_sigbus", sigbus_caught},
	    {"kill_tgkill_tkill_siginfo", kill_siginfo},
	    {"mask_blocks_then_delivers_once", mask_blocks},
	    {"rt_sigpending_rt_sigsuspend", sigsuspend_sigpending},
	    {"sigkill_sigstop_cannot_be_caught_or_blocked", sigkill_uncatchable},
	    {"sa_nodefer_sa_resethand", nodefer_resethand},
	    {"ignored_signals_dropped_and_discarded", ignored_signals},
	    {"errnos", errnos},
	    {"sigaltstack", altstack},
	    {"fpu_state_kept_across_handler", fpu_kept},
	    {"process_signal_to_unblocking_thread", process_signal_to_thread},
	    {"sigcancel_to_thread", sigcancel_thread},
	    {"signal_storm_between_threads", signal_storm},
	};
	return ktap_run_cases("sigtest", cases, (int)(sizeof(cases) / sizeof(cases[0])));
}
