/* Declarations shared inside task/ only. */
#ifndef TASK_TASK_PRIV_H
#define TASK_TASK_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/traps.h"

/* arch/x86_64/traps.c's user_trap_handler (task/fault.c). */
int task_trap(struct trap_frame *frame, uint64_t cr2);

struct task_struct;

/* A slot with a pid and a kernel stack, named @comm; NULL if none is free. */
struct task_struct *task_alloc(const char *comm);

/* Give a reaped task's slot back (task_wait, kthread_stop). */
void task_release_slot(struct task_struct *t);

/* Tick hook for msleep_interruptible (task/kthread.c). */
void kthread_timer_tick(void);
/* Some kernel thread is in msleep_interruptible (read without the lock: a hint). */
bool kthread_sleep_pending(void);

/* Make @t a thread of @leader's process (clone); -EINTR if it is exiting. */
int task_add_thread(struct task_struct *leader, struct task_struct *t);

/* Give back a task_alloc'ed slot that task_add_thread refused. */
void task_discard_slot(struct task_struct *t);

/* Free a dead task's stack (and a thread's slot): it runs on no CPU any more. */
void task_free_dead(struct task_struct *t);

/* @leader's mm with a reference (mmput it), or NULL once the process has exited. */
struct mm_struct *task_get_mm(struct task_struct *leader);

/* CPU-time accounting (task/cputime.c): schedule() calls cputime_switch. */
void cputime_switch(struct task_struct *prev, struct task_struct *next);
uint64_t task_sched_runtime(struct task_struct *t);	   /* a thread's CPU time, ns */
uint64_t thread_group_cputime(struct task_struct *leader); /* its process's, ns */

/* clone(2) for threads (task/clone.c). */
long sys_clone_thread(struct trap_frame *regs);

#endif
