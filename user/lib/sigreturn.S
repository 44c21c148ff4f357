/*
 * __restore_rt: where a signal handler returns to (sa_restorer; x86-64
 * Linux has no other way back): rt_sigreturn, with RSP just above the
 * frame's pretcode, which the handler's RET popped.
 * forge_sigreturn(frame): rt_sigreturn on a frame the caller wrote, as if
 * a handler at @frame had returned (tests of the kernel's frame checks).
 */
	.text
	.globl __restore_rt
	.type __restore_rt, @function
__restore_rt:
	mov $15, %eax			/* __NR_rt_sigreturn */
	syscall
	hlt
	.size __restore_rt, . - __restore_rt

	.globl forge_sigreturn
	.type forge_sigreturn, @function
forge_sigreturn:
	lea 8(%rdi), %rsp
	mov $15, %eax
	syscall
	hlt
	.size forge_sigreturn, . - forge_sigreturn

	.section .note.GNU-stack, "", @progbits
