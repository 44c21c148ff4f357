/* Declarations shared inside task/ only. */
#ifndef TASK_TASK_PRIV_H
#define TASK_TASK_PRIV_H

#include <stdint.h>

#include "arch/x86_64/traps.h"

/* arch/x86_64/traps.c's user_trap_handler (task/fault.c). */
int task_trap(struct trap_frame *frame, uint64_t cr2);

/* /sys/kernel/debug/flushlab/syscalls: calls made, and -ENOSYS answers by number. */
void syscall_procfs_init(void);

#endif
