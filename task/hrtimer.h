/*
 * Timed sleeps of user threads (task/hrtimer.c): the deadline list the
 * tick serves, and the sleeping system calls. Deadlines are clock_ns().
 */
#ifndef TASK_HRTIMER_H
#define TASK_HRTIMER_H

#include <stdint.h>

struct trap_frame;

/*
 * Linux's set_current_state(TASK_INTERRUPTIBLE): mark the current thread
 * asleep, with a full barrier before the caller reads its wake condition.
 */
void set_current_interruptible(void);

/*
 * Sleep until woken (wake_up_task, a signal) or until clock_ns() reaches
 * @deadline_ns, at most a tick late. The caller has called
 * set_current_interruptible and checked its condition; it checks again on
 * return (wakes may be spurious). Interrupts on, no spinlock held.
 */
void schedule_hrtimeout(uint64_t deadline_ns);

/*
 * Sleep with no deadline until a signal is pending for the current thread
 * (or it is killed): pause and rt_sigsuspend. Returns -ERESTARTNOHAND,
 * which signal delivery turns into -EINTR or a restart.
 */
long sleep_until_signal(void);

/* An absolute CLOCK_REALTIME time (ns since the epoch) as a clock_ns deadline. */
uint64_t realtime_to_deadline(uint64_t real_ns);

/* A user struct timespec in ns: 0, -EFAULT, or -EINVAL (Linux's timespec64_valid). */
int get_timespec_ns(uintptr_t uts, uint64_t *ns);

long sys_nanosleep(struct trap_frame *regs);
long sys_clock_nanosleep(struct trap_frame *regs);
long sys_pause(struct trap_frame *regs);
long sys_restart_syscall(struct trap_frame *regs);
long sys_alarm(struct trap_frame *regs);
long sys_setitimer(struct trap_frame *regs);
long sys_getitimer(struct trap_frame *regs);

#endif
