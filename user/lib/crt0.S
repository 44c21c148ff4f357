/*
 * _start: the first user instruction of every user/ program. The kernel
 * (Linux or flushlab's exec) leaves, per the SysV x86-64 ABI (section 3.4.1),
 *   (%rsp) argc, then argv[0..argc-1], NULL, envp[...], NULL, auxv pairs, AT_NULL
 * with %rsp 16-byte aligned, and %rdx either 0 or an atexit function (ignored:
 * a static program has no dynamic linker to clean up after).
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp			/* outermost frame: backtraces stop here */
	mov %rsp, %rdi			/* __libc_start(initial stack pointer) */
	and $-16, %rsp			/* the ABI says it is aligned; do not trust it */
	call __libc_start		/* never returns: exit_group(main(...)) */
	hlt				/* privileged: a fault if we ever get here */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
