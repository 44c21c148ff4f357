; The SYSCALL entry and the two returns to ring 3, and the kernel-stack
; switch. Every path that crosses rings swaps GS exactly once each way: in
; the kernel MSR_GS_BASE holds this CPU's struct percpu; in ring 3 it holds
; the user's value (0: flushlab enables no FSGSBASE, and a selector load
; gives base 0), kept in MSR_KERNEL_GS_BASE while the kernel runs.
;
; The frame built here is a struct trap_frame (arch/x86_64/traps.h), the
; same one isr.asm builds for an interrupt from ring 3, at the same place:
; the top of the task's kernel stack. So a syscall, a fault or a tick from
; user mode all leave the user registers at one address per task.

bits 64
section .text

%define PERCPU_TOP_OF_STACK 24          ; arch/x86_64/syscall.h, asserted in syscall.c
%define PERCPU_USER_RSP_SCRATCH 32
%define USER_DS (0x20 | 3)              ; arch/x86_64/gdt.h
%define USER_CS (0x28 | 3)
%define SYSCALL_VECTOR -1               ; trap_frame.vector of a syscall frame
%define FRAME_R11 32                    ; offsets in struct trap_frame
%define FRAME_RCX 96
%define FRAME_RIP 136
%define FRAME_RFLAGS 152
%define TASK_SIZE 0x00007ffffffff000    ; mm/mm_user.h

extern do_syscall_64, schedule_tail
global entry_SYSCALL_64, ret_to_user_iret, ret_from_fork_asm, ret_from_kernel_thread
global __switch_to_asm

%include "arch/x86_64/trap_frame.inc"

; SYSCALL left the user RIP in RCX and RFLAGS in R11, cleared IF, DF, TF,
; AC, NT and IOPL (MSR_SYSCALL_MASK), and did not touch RSP: we are in ring
; 0 on the user's stack with the user's GS until the first three
; instructions are done. With IF clear no interrupt can arrive in that
; window; NMI, #MC and #DB can, and use IST stacks and a GS check of their
; own (isr.asm, paranoid entry).
entry_SYSCALL_64:
	swapgs
	mov [gs:PERCPU_USER_RSP_SCRATCH], rsp
	mov rsp, [gs:PERCPU_TOP_OF_STACK]
	push USER_DS                            ; ss
	push qword [gs:PERCPU_USER_RSP_SCRATCH] ; rsp
	push r11                                ; rflags
	push USER_CS                            ; cs
	push rcx                                ; rip
	push 0                                  ; error code
	push SYSCALL_VECTOR
	PUSH_GPRS
	mov rdi, rsp                            ; 176 bytes below a 16-aligned top
	call do_syscall_64                      ; returns with interrupts off

	; SYSRET loads RIP from RCX without a canonical check in ring 0 first:
	; on Intel a non-canonical RCX raises #GP in ring 0, after RSP is
	; already the user's (SDM vol. 2B SYSRET, "#GP(0) If the return
	; instruction pointer is non-canonical" in 64-bit mode; the 2012
	; CVE-2012-0217). So SYSRET only to RIPs below TASK_SIZE: every one is
	; canonical, and the last page below the hole is never mapped, so no
	; SYSCALL executed in user space can leave a larger RCX. do_syscall_64
	; already kills a task whose frame says otherwise; this check is the
	; last line of defence and takes the IRETQ path.
	;
	; SYSRET also loads RCX and R11 with RIP and RFLAGS, so it can only
	; return to a frame whose RCX and R11 hold exactly those (Linux's
	; syscall_return_via_sysret test): a plain system call's frame does,
	; one that rt_sigreturn restored or a signal handler's does not, and
	; takes IRETQ, which restores every register.
	mov rcx, [rsp + FRAME_RIP]
	mov r11, TASK_SIZE
	cmp rcx, r11
	jae ret_to_user_iret
	cmp rcx, [rsp + FRAME_RCX]
	jne ret_to_user_iret
	mov r11, [rsp + FRAME_RFLAGS]
	cmp r11, [rsp + FRAME_R11]
	jne ret_to_user_iret
	POP_GPRS
	mov rcx, [rsp + 16]                     ; rip
	mov r11, [rsp + 32]                     ; rflags: SYSRET loads them from r11
	mov rsp, [rsp + 40]                     ; the user stack, still ring 0, IF = 0
	swapgs
	o64 sysret

; Return to ring 3 through the whole trap_frame at RSP (a new task's first
; entry, or a syscall whose RIP was not fit for SYSRET). Interrupts are off.
ret_to_user_iret:
	POP_GPRS
	add rsp, 16                             ; vector and error code
	swapgs
	iretq

; A new task's first __switch_to_asm returns here, with its struct
; trap_frame (built by the task layer) right above and the previous task
; in RAX; schedule_tail finishes that switch (RSP is 16-aligned here, as a
; call wants).
ret_from_fork_asm:
	mov rdi, rax
	call schedule_tail
	cli
	jmp ret_to_user_iret

; A kernel thread's first __switch_to_asm returns here (task/kthread.c laid
; the frame): RBX holds the C function to run in ring 0, RAX the previous
; task. schedule_tail finishes that switch; the function never returns.
ret_from_kernel_thread:
	mov rdi, rax
	call schedule_tail
	call rbx
	ud2

; void *__switch_to_asm(uintptr_t *prev_sp, uintptr_t next_sp, void *prev):
; the callee-saved registers of the System V ABI are all the state a kernel
; context keeps across a call; everything else the compiler already
; spilled. RDX (@prev) is not touched by the switch, so the context we
; switch to gets it back in RAX: who ran before it, as Linux's
; __switch_to_asm returns it.
__switch_to_asm:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	mov rax, rdx
	ret
