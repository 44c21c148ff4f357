/*
 * What happens when a user program faults (arch/x86_64/traps.c calls
 * task_trap through user_trap_handler): a page fault goes to the mm
 * (demand paging, write faults); one the mm cannot fix kills the process
 * with Linux's one-line report, and the console goes on. Other exceptions
 * from ring 3 kill it with the signal Linux would send. Page faults the
 * kernel takes on user addresses inside copy_*_user come here too.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/traps.h"
#include "lib/errno.h"
#include "mm/mm_user.h"
#include "smp/smp.h"
#include "task/task.h"
#include "task/task_priv.h"

#define PF_PROT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_USER (1u << 2)
#define PF_INSTR (1u << 4)

static unsigned int fault_flags(uint64_t error_code)
{
	unsigned int flags = 0;

	if (error_code & PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	if (error_code & PF_PROT)
		flags |= FAULT_FLAG_PRESENT;
	return flags;
}

/*
 * Ask the mm to fix a fault at @addr. The mm lock is taken with interrupts
 * on (mm/mm_types.h): a CPU spinning for it with interrupts off could not
 * answer the shootdown its holder may be waiting for. So interrupts go on
 * here if the faulting context had them on (ring 3 always does; syscalls
 * and exec run with them on) and off again before the return to the stub.
 * A kernel access made with page faults disabled is not fixed here at all.
 */
static int fix_user_fault(struct task_struct *t, struct trap_frame *f, uint64_t addr)
{
	int err;

	if (!t || !t->mm || addr >= TASK_SIZE)
		return -EFAULT;
	if (!(f->cs & 3) && t->pagefault_disabled)
		return -EFAULT; /* a copy under a spinlock (futex): the exception fixup ends it */
	if (f->rflags & X86_RFLAGS_IF)
		local_irq_enable();
	err = handle_mm_fault(t->mm, addr, fault_flags(f->error_code));
	local_irq_disable();
	return err;
}

/*
 * An unfixable user page fault: SIGSEGV at @addr (SEGV_ACCERR for a
 * present page the access was not allowed on, else SEGV_MAPERR: Linux
 * tells them apart by the VMA; the error code's P bit is our stand-in),
 * and Linux's show_signal_msg line if nothing catches it. -EIO from the
 * mm is Linux's VM_FAULT_SIGBUS: SIGBUS, BUS_ADRERR (no line, as Linux).
 * Out of memory kills as Linux's OOM killer does.
 */
static void segfault(struct task_struct *t, struct trap_frame *f, uint64_t addr, int err)
{
	int code = (f->error_code & PF_PROT) ? SEGV_ACCERR : SEGV_MAPERR;

	if (err == -ENOMEM) {
		printk("Out of memory: Killed process %d (%s)\n", t->pid, t->comm);
		local_irq_enable();
		do_group_exit(SIGKILL);
	}
	if (err == -EIO) { /* the mm's VM_FAULT_SIGBUS: no pool page, or past a file's end */
		force_sig_fault(SIGBUS, BUS_ADRERR, addr, VEC_PAGE_FAULT, f->error_code);
		return;
	}
	if (force_sig_fault(SIGSEGV, code, addr, VEC_PAGE_FAULT, f->error_code))
		printk("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx\n", t->comm, t->pid,
		       addr, f->rip, f->rsp, f->error_code);
}

struct user_trap {
	const char *what; /* Linux's wording in "traps: ..." lines */
	int signal, code; /* and si_code: Linux's do_trap / do_error_trap */
	bool addr;	  /* si_addr is the faulting RIP (else 0, SI_KERNEL) */
};

static struct user_trap classify(uint64_t vector)
{
	switch (vector) {
	case 0:
		return (struct user_trap){"trap divide error", SIGFPE, FPE_INTDIV, true};
	case 1:
		return (struct user_trap){"trap debug", SIGTRAP, TRAP_TRACE, true};
	case 3:
		return (struct user_trap){"trap int3", SIGTRAP, SI_KERNEL, false};
	case 4:
		return (struct user_trap){"trap overflow", SIGSEGV, SI_KERNEL, false};
	case 5:
		return (struct user_trap){"trap bounds", SIGSEGV, SI_KERNEL, false};
	case 6:
		return (struct user_trap){"trap invalid opcode", SIGILL, ILL_ILLOPN, true};
	case 7:
		return (struct user_trap){"trap device not available", SIGSEGV, SI_KERNEL, false};
	case 12:
		return (struct user_trap){"trap stack segment", SIGBUS, SI_KERNEL, false};
	case 13:
		return (struct user_trap){"general protection fault", SIGSEGV, SI_KERNEL, false};
	case 16:
		return (struct user_trap){"trap coprocessor error", SIGFPE, SI_KERNEL, false};
	case 17:
		return (struct user_trap){"trap alignment check", SIGBUS, BUS_ADRALN, true};
	case 19:
		return (struct user_trap){"trap SIMD exception", SIGFPE, SI_KERNEL, false};
	default:
		return (struct user_trap){"trap", SIGSEGV, SI_KERNEL, false};
	}
}

/*
 * A fault from ring 3 becomes a signal for the faulting thread (Linux's
 * force_sig_fault), taken on the return to ring 3 that follows: trap_dispatch
 * calls exit_to_user_mode next, which runs the handler or kills with the
 * signal. The "traps:" / "segfault" lines are printed only when it kills.
 */
int task_trap(struct trap_frame *f, uint64_t cr2)
{
	struct task_struct *t = current;
	struct user_trap what;
	int err;

	if (!(f->cs & 3)) /* the kernel's own user access: fixed, or its fixup runs */
		return fix_user_fault(t, f, cr2) ? -EFAULT : 0;
	BUG_ON(!t);
	if (f->vector == VEC_PAGE_FAULT) {
		err = fix_user_fault(t, f, cr2);
		if (err)
			segfault(t, f, cr2, err);
		return 0;
	}
	what = classify(f->vector);
	if (f->vector == VEC_DEBUG) {
		/*
		 * #DB comes in on its IST stack (isr.asm), with interrupts off:
		 * no place to take siglock or the tasks lock (a CPU spinning
		 * there serves no shootdown its holder may be waiting for) or
		 * to tear a process down. So only note the signal in the
		 * thread and stop the single-stepping, as Linux queues a signal
		 * for delivery on exit to user mode; a reschedule IPI to this
		 * CPU is taken right after the IRETQ (IF is 1 in ring 3), and
		 * its return through isr_common runs exit_to_user_mode on the
		 * task's own stack, which queues and delivers it before
		 * another user instruction runs.
		 */
		f->rflags &= ~X86_RFLAGS_TF;
		t->sig.trap = (struct kernel_siginfo){.si_code = what.code, .u = {f->rip, 0}};
		WRITE_ONCE(t->sig.trap.si_signo, what.signal);
		smp_send_reschedule(this_cpu_id());
		return 0;
	}
	if (force_sig_fault(what.signal, what.code, what.addr ? f->rip : 0, f->vector,
			    f->error_code))
		printk("traps: %s[%d] %s ip:%lx sp:%lx error:%lx\n", t->comm, t->pid, what.what,
		       f->rip, f->rsp, f->error_code);
	return 0;
}

void task_trap_deliver(struct task_struct *t, struct trap_frame *regs)
{
	struct kernel_siginfo trap = t->sig.trap;

	t->sig.trap.si_signo = 0;
	if (force_sig_fault(trap.si_signo, trap.si_code, trap.u[0], VEC_DEBUG, 0))
		printk("traps: %s[%d] %s ip:%lx sp:%lx error:%lx\n", t->comm, t->pid,
		       classify(VEC_DEBUG).what, regs->rip, regs->rsp, 0UL);
}
