/*
 * The way back to ring 3 (Linux's kernel/entry/common.c): the work the
 * current task owes before it may return to user mode (a kill, a trap's
 * signal, signal delivery and system-call restart, a reschedule), on every
 * path: system-call return, interrupt or exception return, first run.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/syscall.h"
#include "lib/errno.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"
#include "task/task_priv.h"

/*
 * The signal work of a return to ring 3: a trap's signal (#DB marks it
 * from its IST stack) is queued here, where siglock may be taken; then
 * pending signals run their default action or get a handler frame, and an
 * interrupted system call is finished (-EINTR) or made again.
 */
static bool signal_work(struct task_struct *t, struct trap_frame *regs)
{
	long ret = (long)regs->rax;

	if (READ_ONCE(t->sig.trap.si_signo))
		return true;
	if (regs->vector == SYSCALL_FRAME_VECTOR && (long)regs->error_code >= 0 &&
	    ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK)
		return true;
	return signal_pending(t) && !READ_ONCE(t->killed);
}

void exit_to_user_mode(void)
{
	struct task_struct *t = current;
	struct trap_frame *regs = task_pt_regs(t);

	for (;;) {
		task_check_killed();
		if (signal_work(t, regs)) {
			local_irq_enable(); /* siglock, the mm lock for the frame's pages */
			if (t->sig.trap.si_signo)
				task_trap_deliver(t, regs); /* a #DB's, noted on its IST stack */
			do_signal(regs);
			local_irq_disable();
			continue;
		}
		if (!READ_ONCE(t->need_resched))
			break;
		schedule(); /* clears need_resched; back here with interrupts off */
	}
}
