/*
 * Memory system calls beyond the first four (mmap, mprotect, munmap and
 * madvise are in task/syscall.c): mremap, mlock and munlock. Each copies
 * nothing from user space; the mm API does the work (mm/mm_user.h).
 */
#include "lib/errno.h"
#include "mm/mm_user.h"
#include "task/task.h"
#include "task/task_priv.h"

long sys_mremap(struct trap_frame *r)
{
	uintptr_t out = 0;
	long err = do_mremap(current->mm, r->rdi, r->rsi, r->rdx, (int)r->r10, r->r8, &out);

	return err ? err : (long)out;
}

long sys_mlock(struct trap_frame *r)
{
	return do_mlock(current->mm, r->rdi, r->rsi, true);
}

long sys_munlock(struct trap_frame *r)
{
	return do_mlock(current->mm, r->rdi, r->rsi, false);
}
