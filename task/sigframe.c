/*
 * The x86-64 signal frame, Linux's layout (arch/x86/include/asm/sigframe.h,
 * uapi asm/sigcontext.h, asm-generic/ucontext.h): glibc, libgcc's unwinder
 * and debuggers read it, so it is byte for byte Linux's. The FPU state is
 * in the frame as on Linux: an XSAVE image (FXSAVE without XSAVE) with the
 * fpx_sw_bytes and FP_XSTATE_MAGIC2 that say so, pointed to by
 * sigcontext.fpstate; the handler starts with the FPU in its initial state.
 */
#include "task/sigframe.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/platform.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "task/task.h"

#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U
#define FP_XSTATE_MAGIC2_SIZE 4
#define FPX_SW_BYTES 464 /* where the fxsave image's software bytes start */
#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define RED_ZONE 128 /* the ABI's: a leaf function's data below RSP */

/*
 * The RFLAGS bits sigreturn takes from the frame (Linux's FIX_EFLAGS): the
 * arithmetic flags, DF, TF, RF and AC. IF, IOPL, NT, VM and the reserved
 * bits stay as they are (IF 1, IOPL 0, NT 0): a frame cannot raise IOPL or
 * make the IRETQ / SYSRET load a nested task or interrupts off in ring 3.
 */
#define FIX_EFLAGS                                                                                 \
	(X86_RFLAGS_AC | X86_RFLAGS_OF | X86_RFLAGS_DF | X86_RFLAGS_TF | X86_RFLAGS_SF |           \
	 X86_RFLAGS_ZF | X86_RFLAGS_AF | X86_RFLAGS_PF | X86_RFLAGS_CF | X86_RFLAGS_RF)

struct sigcontext_64 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t di, si, bp, bx, dx, ax, cx, sp, ip, flags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* user address of the FPU image, or 0 */
	uint64_t reserved1[8];
};

struct user_stack {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};

struct ucontext_64 {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct user_stack uc_stack;
	struct sigcontext_64 uc_mcontext;
	sigset_t uc_sigmask;
};

struct siginfo_64 {
	int32_t si_signo, si_errno, si_code, pad;
	uint64_t u[14];
};

struct rt_sigframe {
	uint64_t pretcode; /* sa_restorer: the handler's RET goes there */
	struct ucontext_64 uc;
	struct siginfo_64 info;
};

struct fpx_sw_bytes {
	uint32_t magic1, extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size, padding[7];
};

_Static_assert(sizeof(struct sigcontext_64) == 256, "Linux's struct sigcontext");
_Static_assert(__builtin_offsetof(struct ucontext_64, uc_mcontext) == 40, "uc_mcontext");
_Static_assert(sizeof(struct ucontext_64) == 304, "Linux's struct ucontext");
_Static_assert(sizeof(struct siginfo_64) == 128, "SI_MAX_SIZE");
_Static_assert(__builtin_offsetof(struct rt_sigframe, info) == 312 &&
		   sizeof(struct rt_sigframe) == 440,
	       "Linux's struct rt_sigframe");
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "fpx_sw_bytes fill bytes 464-511");

/* Bytes of FPU image in a frame: XSAVE's and MAGIC2, or FXSAVE's 512. */
static unsigned int sigframe_fpu_size(void)
{
	return fpu_xfeatures ? fpu_state_size + FP_XSTATE_MAGIC2_SIZE : FXSAVE_SIZE;
}

/*
 * Linux's copy_fpstate_to_sigframe: the live registers to the task's
 * buffer (interrupts off: no switch in between), then to the user. A
 * fault during the copy may switch tasks; the switch saves the same live
 * registers into the same buffer, so what is copied does not change.
 */
static int save_fpstate_to_user(struct task_struct *t, uintptr_t fp)
{
	struct fpx_sw_bytes sw = {FP_XSTATE_MAGIC1,
				  fpu_state_size + FP_XSTATE_MAGIC2_SIZE,
				  fpu_xfeatures,
				  fpu_state_size,
				  {0}};
	uint32_t magic2 = FP_XSTATE_MAGIC2;
	uint64_t flags = local_irq_save();

	fpu_save(t->fpu);
	local_irq_restore(flags);
	if (copy_to_user(fp, t->fpu, fpu_xfeatures ? fpu_state_size : FXSAVE_SIZE))
		return -EFAULT;
	if (!fpu_xfeatures)
		return 0;
	if (copy_to_user(fp + FPX_SW_BYTES, &sw, sizeof(sw)) ||
	    copy_to_user(fp + fpu_state_size, &magic2, sizeof(magic2)))
		return -EFAULT;
	return 0;
}

/* The handler runs with the FPU as a new process has it (Linux's fpu__clear_user_states). */
static void fpu_reset_for_handler(struct task_struct *t)
{
	uint64_t flags = local_irq_save();

	fpstate_init(t->fpu);
	fpu_restore(t->fpu);
	local_irq_restore(flags);
}

/*
 * Linux's get_sigframe: below the red zone, or at the top of the
 * sigaltstack for SA_ONSTACK when not on it yet; the FPU image 64-byte
 * aligned (XSAVE's rule), the frame below it so that the handler starts
 * with RSP + 8 16-byte aligned, as after a CALL. A frame that would run
 * off the alternate stack it is on or enters is refused (-1): SIGSEGV.
 */
static uintptr_t get_sigframe(struct task_struct *t, const struct k_sigaction *ka,
			      const struct trap_frame *regs, uintptr_t *fp)
{
	bool onstack = on_sig_stack(t, regs->rsp), entering = false;
	uintptr_t sp = regs->rsp - RED_ZONE;

	if ((ka->flags & SA_ONSTACK) && t->sig.ss_size && !onstack) {
		sp = t->sig.ss_sp + t->sig.ss_size;
		entering = true;
	}
	*fp = (sp - sigframe_fpu_size()) & ~63UL;
	sp = ((*fp - sizeof(struct rt_sigframe)) & ~15UL) - 8;
	/* Linux's get_sigframe: a frame that overflows the alternate stack is refused. */
	if ((onstack || entering) && !(sp > t->sig.ss_sp && sp - t->sig.ss_sp <= t->sig.ss_size))
		return (uintptr_t)-1;
	return sp;
}

static void fill_sigcontext(struct sigcontext_64 *sc, const struct trap_frame *r,
			    struct task_struct *t, sigset_t oldmask, uintptr_t fp)
{
	*sc = (struct sigcontext_64){
	    .r8 = r->r8,
	    .r9 = r->r9,
	    .r10 = r->r10,
	    .r11 = r->r11,
	    .r12 = r->r12,
	    .r13 = r->r13,
	    .r14 = r->r14,
	    .r15 = r->r15,
	    .di = r->rdi,
	    .si = r->rsi,
	    .bp = r->rbp,
	    .bx = r->rbx,
	    .dx = r->rdx,
	    .ax = r->rax,
	    .cx = r->rcx,
	    .sp = r->rsp,
	    .ip = r->rip,
	    .flags = r->rflags,
	    .cs = USER_CS,
	    .ss = USER_DS,
	    .err = t->sig.fault_err,
	    .trapno = t->sig.fault_trapno,
	    .oldmask = oldmask,
	    .cr2 = t->sig.fault_cr2,
	    .fpstate = fp,
	};
}

int setup_rt_frame(int sig, const struct kernel_siginfo *info, const struct k_sigaction *ka,
		   sigset_t oldmask, struct trap_frame *regs)
{
	struct task_struct *t = current;
	struct rt_sigframe f;
	uintptr_t sp, fp;

	/*
	 * x86-64 has no vDSO return trampoline: without SA_RESTORER there is
	 * nowhere to return to, and Linux fails the frame the same way. A
	 * handler above TASK_SIZE would make the IRETQ back to ring 3 fault
	 * in ring 0 (non-canonical RIP); Linux lets ring 3 fault on it, with
	 * SIGSEGV either way.
	 */
	if (!(ka->flags & SA_RESTORER) || ka->handler >= TASK_SIZE)
		return -EFAULT;
	sp = get_sigframe(t, ka, regs, &fp);
	if (sp == (uintptr_t)-1 || !access_ok(sp, fp + sigframe_fpu_size() - sp))
		return -EFAULT;
	if (save_fpstate_to_user(t, fp))
		return -EFAULT;
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.uc.uc_flags =
	    UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS | (fpu_xfeatures ? UC_FP_XSTATE : 0);
	/* Linux's __save_altstack: the flags as given to sigaltstack (SS_DISABLE if none). */
	f.uc.uc_stack = (struct user_stack){t->sig.ss_sp,
					    t->sig.ss_size ? (int32_t)t->sig.ss_flags : SS_DISABLE,
					    0, t->sig.ss_size};
	fill_sigcontext(&f.uc.uc_mcontext, regs, t, oldmask, fp);
	f.uc.uc_sigmask = oldmask;
	f.info.si_signo = sig;
	f.info.si_errno = info->si_errno;
	f.info.si_code = info->si_code;
	f.info.u[0] = info->u[0];
	f.info.u[1] = info->u[1];
	if (copy_to_user(sp, &f, sizeof(f)))
		return -EFAULT;
	if ((t->sig.ss_flags & SS_AUTODISARM) && on_sig_stack(t, sp))
		t->sig.ss_sp = t->sig.ss_size = 0; /* Linux's sas_ss_reset: saved in uc_stack */
	regs->rdi = (uint64_t)sig;
	regs->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	regs->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	regs->rsp = sp;
	regs->rip = ka->handler;
	regs->rflags &= ~(X86_RFLAGS_DF | X86_RFLAGS_RF | X86_RFLAGS_TF);
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	fpu_reset_for_handler(t);
	return 0;
}

/*
 * The FPU image a handler returns with, checked before any of it reaches
 * the registers (fpstate_check_user: no #GP in the kernel's XRSTOR). An
 * image with Linux's software bytes and MAGIC2 for our exact XSAVE size is
 * loaded whole; any other is taken as FXSAVE only (x87 and SSE; AVX and up
 * initial), as Linux's check_xstate_in_sigframe falls back to fx_only. It
 * is copied to a page first: a fault in the copy may switch tasks, and the
 * switch saves the live registers into t->fpu.
 */
static int restore_fpstate_from_user(struct task_struct *t, uintptr_t fp)
{
	const struct fpx_sw_bytes *sw;
	struct page *page;
	uint32_t magic2 = 0;
	bool xstate = false;
	uint8_t *buf;
	int err = -EFAULT;

	if (!fp) { /* Linux: no image means the FPU's initial state */
		fpu_reset_for_handler(t);
		return 0;
	}
	page = alloc_pages(GFP_KERNEL, 0);
	if (!page)
		return -ENOMEM;
	buf = page_address(page);
	memset(buf, 0, PAGE_SIZE);
	if (copy_from_user(buf, fp, FXSAVE_SIZE))
		goto out;
	sw = (const struct fpx_sw_bytes *)(buf + FPX_SW_BYTES);
	if (fpu_xfeatures && sw->magic1 == FP_XSTATE_MAGIC1 && sw->xstate_size == fpu_state_size &&
	    sw->extended_size == fpu_state_size + FP_XSTATE_MAGIC2_SIZE &&
	    !copy_from_user(&magic2, fp + fpu_state_size, sizeof(magic2)) &&
	    magic2 == FP_XSTATE_MAGIC2)
		xstate = true;
	if (xstate &&
	    copy_from_user(buf + FXSAVE_SIZE, fp + FXSAVE_SIZE, fpu_state_size - FXSAVE_SIZE))
		goto out;
	if (!xstate)
		fpstate_from_fxsave(buf);
	err = fpstate_check_user(buf, fpu_xfeatures != 0);
	if (!err) {
		uint64_t flags = local_irq_save();

		memcpy(t->fpu, buf, fpu_xfeatures ? fpu_state_size : FXSAVE_SIZE);
		fpu_restore(t->fpu);
		local_irq_restore(flags);
	}
out:
	__free_pages(page, 0);
	return err;
}

/*
 * The registers the handler returns to. Why RIP must be below TASK_SIZE
 * here and not only "canonical": the frame is the user's to write, and
 * both ways back to ring 3 fault in ring 0 on a non-canonical RIP. IRETQ
 * raises #GP(0) before it changes privilege (SDM vol. 2A, IRET: "If the
 * return instruction pointer is not within the code segment limit / is
 * non-canonical, #GP(0)"), an exception in the kernel, which here ends the
 * run. SYSRET on Intel raises #GP(0) in ring 0 with RSP already the
 * user's (SDM vol. 2B, SYSRET; the erratum behind CVE-2012-0217): a user
 * stack for a kernel exception. syscall.asm SYSRETs only below TASK_SIZE
 * and otherwise IRETs, so refusing every RIP >= TASK_SIZE here closes
 * both (Linux lets IRET fault and turns the fault into SIGSEGV through an
 * exception-table entry; we refuse the frame, also SIGSEGV). CS and SS
 * are not taken from the frame at all: 64-bit user code and data are the
 * only user segments flushlab has, so a frame asking for the kernel's
 * selectors (or a 32-bit one) gets the user's. RFLAGS: FIX_EFLAGS only.
 */
static int restore_sigcontext(struct trap_frame *r, const struct sigcontext_64 *sc)
{
	if (sc->ip >= TASK_SIZE)
		return -EFAULT;
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->di, r->rsi = sc->si, r->rbp = sc->bp, r->rbx = sc->bx;
	r->rdx = sc->dx, r->rax = sc->ax, r->rcx = sc->cx, r->rsp = sc->sp;
	r->rip = sc->ip;
	r->rflags = (r->rflags & ~FIX_EFLAGS) | (sc->flags & FIX_EFLAGS);
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->error_code = (uint64_t)-1; /* no longer a system call: never restarted */
	return 0;
}

long sys_rt_sigreturn(struct trap_frame *regs)
{
	struct task_struct *t = current;
	uintptr_t frame = regs->rsp - 8; /* the handler's RET popped pretcode */
	struct ucontext_64 uc;
	uint64_t flags;

	if (copy_from_user(&uc, frame + __builtin_offsetof(struct rt_sigframe, uc), sizeof(uc)) ||
	    uc.uc_mcontext.ip >= TASK_SIZE)
		goto badframe;
	if (restore_fpstate_from_user(t, uc.uc_mcontext.fpstate))
		goto badframe;
	spin_lock_irqsave(&t->group_leader->signal.siglock, flags);
	t->sig.blocked = uc.uc_sigmask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_unlock_irqrestore(&t->group_leader->signal.siglock, flags);
	restore_sigcontext(regs, &uc.uc_mcontext);
	if (restore_altstack(uc.uc_stack.ss_sp, (uint32_t)uc.uc_stack.ss_flags, uc.uc_stack.ss_size,
			     regs->rsp))
		goto badframe;
	return (long)regs->rax; /* do_syscall_64 stores it back in RAX */

badframe:
	/* Linux's signal_fault line, then force_sig(SIGSEGV): a handler may still catch it. */
	printk("%s[%d] bad frame in rt_sigreturn frame:%lx ip:%lx sp:%lx orax:%lx\n", t->comm,
	       t->pid, frame, regs->rip, regs->rsp, regs->error_code);
	force_sig_fault(SIGSEGV, SI_KERNEL, 0, 0, 0);
	return 0;
}
