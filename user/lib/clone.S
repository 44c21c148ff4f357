/*
 * long __clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg,
 *              int *ptid, unsigned long tls, int *ctid)
 * clone(2) for threads: the child starts on @stack with nothing of the
 * parent's frame, so it cannot return through C; this stub calls fn(arg) on
 * the new stack and ends the thread with exit(2) (not exit_group).
 * Linux's raw argument order is clone(flags, stack, ptid, ctid, tls).
 * Returns the child's tid in the parent, or -errno.
 */
	.text
	.globl __clone
	.type __clone, @function
__clone:
	and $-16, %rsi
	sub $16, %rsi
	mov %rdi, 0(%rsi)		/* fn, popped by the child */
	mov %rcx, 8(%rsi)		/* arg */
	mov %rdx, %rdi			/* flags */
	mov %r8, %rdx			/* ptid */
	mov 8(%rsp), %r10		/* ctid, the 7th argument */
	mov %r9, %r8			/* tls */
	mov $56, %eax			/* __NR_clone */
	syscall
	test %rax, %rax
	jnz 1f				/* parent (tid) or error (-errno) */
	xor %ebp, %ebp			/* child: new stack, outermost frame */
	pop %rax
	pop %rdi
	call *%rax			/* %rsp is 16-aligned before the call */
	mov %eax, %edi
	mov $60, %eax			/* __NR_exit: this thread only */
	syscall
	hlt
1:	ret
	.size __clone, . - __clone

	.section .note.GNU-stack, "", @progbits
