/*
 * sigdie MODE: one way for a process to die of a signal, for the console
 * to report ("sigdie: killed by SIGABRT (status 134)") and the kernel to
 * survive. Modes:
 *   abort        glibc's abort(): unblock SIGABRT, raise it by tgkill (a
 *                handler that returns runs first), reset to SIG_DFL, raise
 *                again: SIGABRT, status 134
 *   kill9        SIGKILL to itself with every signal blocked: status 137
 *   ignored-segv a fault while SIGSEGV is ignored and blocked: still 139
 *   norestorer   a handler installed without SA_RESTORER: SIGSEGV
 *   altstack-overflow  an SA_ONSTACK | SA_NODEFER handler raising itself
 *                until the next frame would overrun its alternate stack:
 *                the kernel refuses it, SIGSEGV
 *   forge-rip    rt_sigreturn on a frame with a non-canonical RIP: SIGSEGV
 *   forge-cs     a frame asking for the kernel's CS and SS, IOPL 3 and NT:
 *                flushlab returns to ring 3 with user selectors, IOPL 0,
 *                NT 0 and the program says so (Linux ORs RPL 3 into the
 *                frame's CS and its IRET fails: SIGSEGV there)
 *   forge-fpu    a frame whose FPU image has reserved MXCSR bits: SIGSEGV
 *   forge-xhdr   a frame whose XSAVE header has an XSTATE_BV bit not in
 *                XCR0: SIGSEGV (or exit 0 with "no XSAVE" on FXSAVE CPUs)
 */
#include "syscall.h"
#include "ulib.h"
#include "usignal.h"

struct rt_sigframe {
	uint64_t pretcode;
	ucontext_t uc;
	siginfo_t info;
};

static char stack[16384] __attribute__((aligned(64)));
static uint8_t fpimage[4096 + 64] __attribute__((aligned(64)));
static volatile uint64_t real_fpstate, real_ucflags;
static uint8_t real_fp_copy[4096] __attribute__((aligned(64)));

static void returns(int sig, siginfo_t *si, void *uc)
{
	printf("sigdie: handler for signal %d returned\n", sig);
}

static void raise_sig(int sig)
{
	tgkill(getpid(), gettid(), sig);
}

static int do_abort(void)
{
	ksigset_t set = sigbit(SIGABRT);
	struct ksigaction dfl = {0, 0, 0, 0};

	signal_handler(SIGABRT, returns, 0);
	sigprocmask(SIG_BLOCK, &set, 0);
	sigprocmask(SIG_UNBLOCK, &set, 0); /* glibc: unblock, then raise */
	raise_sig(SIGABRT);
	sigaction(SIGABRT, &dfl, 0); /* the handler returned: the default action */
	raise_sig(SIGABRT);
	printf("sigdie: still alive after SIGABRT\n");
	return 1;
}

static int do_kill9(void)
{
	ksigset_t all = ~0ULL;

	signal_handler(SIGTERM, returns, 0);
	sigprocmask(SIG_SETMASK, &all, 0);
	kill(getpid(), SIGKILL);
	printf("sigdie: still alive after SIGKILL\n");
	return 1;
}

static int do_ignored_segv(void)
{
	struct ksigaction ign = {(void *)SIG_IGN, 0, 0, 0};
	ksigset_t set = sigbit(SIGSEGV);

	sigaction(SIGSEGV, &ign, 0);
	sigprocmask(SIG_BLOCK, &set, 0);
	__fault_store((volatile void *)0xdead000UL);
	printf("sigdie: still alive after the fault\n");
	return 1;
}

static int do_norestorer(void)
{
	struct ksigaction act = {returns, SA_SIGINFO, 0, 0};

	__syscall4(__NR_rt_sigaction, SIGUSR1, (long)&act, 0, sizeof(ksigset_t));
	kill(getpid(), SIGUSR1);
	printf("sigdie: still alive after a handler without a restorer\n");
	return 1;
}

static volatile int depth;

static void recurse(int sig, siginfo_t *si, void *uc)
{
	depth++;
	kill(getpid(), SIGUSR1); /* SA_NODEFER: a nested frame, lower on the same stack */
}

/* Nested frames on a 16 KiB alternate stack until one does not fit: SIGSEGV, not an overrun. */
static int do_altstack_overflow(void)
{
	static char alt[16384] __attribute__((aligned(16)));
	stack_t ss = {alt, 0, sizeof(alt)};

	signal_handler(SIGUSR1, recurse, SA_ONSTACK | SA_NODEFER);
	sigaltstack(&ss, 0);
	kill(getpid(), SIGUSR1);
	printf("sigdie: still alive after %d nested frames on the alternate stack\n", depth);
	return 1;
}

__attribute__((noreturn)) static void landing(void)
{
	unsigned long cs = __read_cs(), fl = __read_rflags();

	printf("sigdie: forge-cs landed: cs 0x%lx (ring %lu), iopl %lu, nt %lu\n", cs, cs & 3,
	       (fl >> 12) & 3, (fl >> 14) & 1);
	exit((cs & 3) == 3 && !(fl & 0x7000) ? 0 : 1);
}

static void grab_fpstate(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	real_fpstate = uc->uc_mcontext.fpstate;
	real_ucflags = uc->uc_flags;
	if (real_fpstate && (uc->uc_flags & UC_FP_XSTATE)) { /* xstate_size: fpx_sw_bytes + 16 */
		uint32_t size = *(uint32_t *)(real_fpstate + 464 + 16) + 4; /* and MAGIC2 */

		memcpy(real_fp_copy, (void *)real_fpstate,
		       size < sizeof(real_fp_copy) ? size : sizeof(real_fp_copy));
	}
}

/* A frame that returns to landing() on our own stack, as @mode spoils it. */
static __attribute__((noreturn)) void forge(const char *mode)
{
	static struct rt_sigframe f;
	struct sigcontext *sc = &f.uc.uc_mcontext;

	memset(&f, 0, sizeof(f));
	sc->ip = (uint64_t)landing;
	sc->sp = (uint64_t)(stack + sizeof(stack) - 8);
	sc->flags = 0x202;
	sc->cs = 0x33;
	sc->ss = 0x2b;
	f.uc.uc_stack.ss_flags = SS_DISABLE;
	if (strcmp(mode, "forge-rip") == 0) {
		sc->ip = 0x8000000000000000ULL;
	} else if (strcmp(mode, "forge-cs") == 0) {
		sc->cs = 0x10;
		sc->ss = 0x18;
		sc->flags = 0x202 | 0x3000 | 0x4000; /* IOPL 3, NT */
	} else if (strcmp(mode, "forge-fpu") == 0) {
		*(uint32_t *)(fpimage + 24) = 0xffffffffU; /* MXCSR: every reserved bit */
		sc->fpstate = (uint64_t)fpimage;
	} else if (strcmp(mode, "forge-xhdr") == 0) {
		memcpy(fpimage, real_fp_copy, sizeof(real_fp_copy));
		*(uint64_t *)(fpimage + 512) |= 1ULL << 62; /* XSTATE_BV: not in any XCR0 */
		sc->fpstate = (uint64_t)fpimage;
	}
	printf("sigdie: %s: rt_sigreturn on a forged frame\n", mode);
	forge_sigreturn(&f);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "abort") == 0)
		return do_abort();
	if (strcmp(mode, "kill9") == 0)
		return do_kill9();
	if (strcmp(mode, "ignored-segv") == 0)
		return do_ignored_segv();
	if (strcmp(mode, "norestorer") == 0)
		return do_norestorer();
	if (strcmp(mode, "altstack-overflow") == 0)
		return do_altstack_overflow();
	if (strcmp(mode, "forge-xhdr") == 0) {
		signal_handler(SIGUSR1, grab_fpstate, 0);
		kill(getpid(), SIGUSR1);
		if (!(real_ucflags & UC_FP_XSTATE)) {
			printf("sigdie: forge-xhdr: no XSAVE frame on this CPU\n");
			return 0;
		}
	}
	if (strncmp(mode, "forge-", 6) == 0)
		forge(mode);
	printf("usage: sigdie abort|kill9|ignored-segv|norestorer|altstack-overflow|forge-rip|"
	       "forge-cs|forge-fpu|forge-xhdr\n");
	return 2;
}
