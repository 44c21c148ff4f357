/*
 * exec: load a static ELF64 program into a task's (empty, loaded) mm and
 * build its initial user stack and registers.
 */
#ifndef TASK_EXEC_H
#define TASK_EXEC_H

#include <stddef.h>

struct task_struct;

#define USER_STACK_SIZE (8UL << 20) /* Linux's default RLIMIT_STACK; faulted in on use */
#define EXEC_ARGS_MAX 4096	    /* bytes of argv strings (Linux allows far more) */
#define EXEC_ARGC_MAX 64	    /* arguments (and environment strings), each */

/*
 * Map @image (@size bytes of ELF64: ET_EXEC, or ET_DYN without PT_INTERP,
 * i.e. static-pie, loaded at USER_BASE) into @t->mm, which must be empty
 * and loaded on this CPU (current == @t), build the initial stack with
 * @argv, @envp (NULL: empty; together at most EXEC_ARGS_MAX bytes) and the auxiliary vector of the
 * SysV x86-64 ABI, and fill @t's trap frame to enter at the ELF entry point. 0, -ENOEXEC for an
 * image that is not a loadable static ELF64 x86-64 program (every header is checked against @size),
 * -E2BIG, -ENOMEM.
 */
int exec_load(struct task_struct *t, const void *image, size_t size, char *const argv[],
	      char *const envp[]);

#endif
