/*
 * pid_t vfork(void): the child runs on the parent's stack until it execs
 * or exits, so this stub keeps its return address in a register across
 * the call (as glibc's vfork.S does): the child's `ret` must not find a
 * slot the parent's `ret` needs too. Returns the child's pid, 0 in the
 * child, or -errno.
 */
	.text
	.globl vfork
	.type vfork, @function
vfork:
	pop %rdx			/* the return address; SYSCALL keeps rdx */
	mov $58, %eax			/* __NR_vfork */
	syscall
	push %rdx
	ret
	.size vfork, . - vfork
	.section .note.GNU-stack, "", @progbits
