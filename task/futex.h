/*
 * futex(2) FUTEX_WAIT, FUTEX_WAKE and their _BITSET forms, with timeouts
 * (FUTEX_CLOCK_REALTIME too), private or not (the key is the mm and the
 * user address): thread join over CLONE_CHILD_CLEARTID, glibc's mutexes
 * and condition variables. A signal interrupts a wait (task/signal.c).
 */
#ifndef TASK_FUTEX_H
#define TASK_FUTEX_H

#include <stdint.h>

struct mm_struct;
struct task_struct;
struct trap_frame;

/* Wake up to @nr tasks waiting on @uaddr in @mm; returns how many. */
int futex_wake(struct mm_struct *mm, uintptr_t uaddr, int nr);

/* Wake every waiting thread of @leader's process (it was killed). */
void futex_wake_killed(struct task_struct *leader);

long sys_futex(struct trap_frame *regs);

#endif
