/*
 * long fork_then_wait(void): fork (clone with SIGCHLD), and in the parent
 * wait for the child to end before a single user instruction runs:
 * waitid(P_PID, pid, NULL, WEXITED | WNOWAIT, NULL) leaves it to be reaped
 * (wait4) afterwards. Nothing here writes memory, so while the child runs
 * the parent breaks no copy-on-write page: the child's own counts of
 * copy-on-write faults and flushes are exact. Returns 0 in the child, the
 * child's pid in the parent once it has ended, or -errno.
 */
	.text
	.globl fork_then_wait
	.type fork_then_wait, @function
fork_then_wait:
	mov $56, %eax			/* __NR_clone */
	mov $17, %edi			/* SIGCHLD, no other flag: fork(2) */
	xor %esi, %esi
	xor %edx, %edx
	xor %r10d, %r10d
	xor %r8d, %r8d
	syscall
	test %rax, %rax
	jle 1f				/* the child (0), or an error */
	mov %rax, %r9			/* SYSCALL keeps r9 */
	mov $247, %eax			/* __NR_waitid */
	mov $1, %edi			/* P_PID */
	mov %r9, %rsi
	xor %edx, %edx			/* no siginfo */
	mov $0x01000004, %r10d		/* WEXITED | WNOWAIT */
	xor %r8d, %r8d
	syscall
	mov %r9, %rax
1:	ret
	.size fork_then_wait, . - fork_then_wait
	.section .note.GNU-stack, "", @progbits
