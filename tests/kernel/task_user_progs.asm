; Tiny hand-made static ELF programs for tests/kernel/task_ktest.c: each
; does one hostile or corner-case thing at the user/kernel boundary, and
; the test checks the wait status it ends with (and that the kernel lives).
; One PT_LOAD maps the whole file at 0x400000 with the flags given.

bits 64
default rel
section .rodata

%define LOAD_ADDR 0x400000
%define PF_RX 5

%macro USER_ELF 2                       ; symbol, p_flags
align 16
global %1, %1_size
%1:
	db 0x7f, 'E', 'L', 'F', 2, 1, 1, 0  ; ELFCLASS64, LSB, EV_CURRENT
	times 8 db 0
	dw 2, 62                            ; ET_EXEC, EM_X86_64
	dd 1
	dq LOAD_ADDR + (%1.code - %1)       ; e_entry
	dq 64, 0                            ; e_phoff, e_shoff
	dd 0
	dw 64, 56, 1, 64, 0, 0              ; ehsize, phentsize, phnum, shentsize...
	dd 1, %2                            ; PT_LOAD, p_flags
	dq 0, LOAD_ADDR, LOAD_ADDR          ; p_offset, p_vaddr, p_paddr
	dq %1.end - %1, %1.end - %1, 0x1000 ; p_filesz, p_memsz, p_align
%1.code:
%endmacro

%macro USER_ELF_END 1
%1.end:
%1_size: dq %1.end - %1
%endmacro

%macro EXIT 1
	mov edi, %1
	mov eax, 60
	syscall
%endmacro

; exit(42)
USER_ELF uprog_exit42, PF_RX
	EXIT 42
USER_ELF_END uprog_exit42

; An unknown system call answers -ENOSYS (38); exit with it.
USER_ELF uprog_enosys, PF_RX
	mov eax, 1000
	syscall
	neg eax
	mov edi, eax
	mov eax, 60
	syscall
USER_ELF_END uprog_enosys

; #UD: SIGILL
USER_ELF uprog_ud2, PF_RX
	ud2
USER_ELF_END uprog_ud2

; HLT in ring 3 is privileged: #GP, SIGSEGV
USER_ELF uprog_hlt, PF_RX
	hlt
USER_ELF_END uprog_hlt

; INT3: SIGTRAP
USER_ELF uprog_int3, PF_RX
	int3
USER_ELF_END uprog_int3

; A jump into the kernel half: #PF at a kernel address from ring 3, SIGSEGV
USER_ELF uprog_jump_kernel, PF_RX
	mov rax, 0xffffffff80000000
	jmp rax
USER_ELF_END uprog_jump_kernel

; A jump to a non-canonical address: #GP, SIGSEGV
USER_ELF uprog_jump_noncanonical, PF_RX
	mov rax, 0x0000800000000000
	jmp rax
USER_ELF_END uprog_jump_noncanonical

; A write to its own read-only text: protection fault, SIGSEGV
USER_ELF uprog_write_text, PF_RX
	lea rax, [uprog_write_text]
	mov byte [rax], 0
	EXIT 0
USER_ELF_END uprog_write_text

; TF set right before SYSCALL: the single-step #DB is delivered at the
; kernel's first SYSCALL instruction, still on the user stack and GS (it
; must be ignored there, on its IST stack); SYSRET then brings TF back and
; the next user instruction traps in ring 3: SIGTRAP.
USER_ELF uprog_tf_syscall, PF_RX
	mov eax, 39                         ; getpid
	pushfq
	or qword [rsp], 0x100               ; TF
	popfq
	syscall
	EXIT 0
USER_ELF_END uprog_tf_syscall

; GS and FS bases survive SWAPGS on every tick and syscall: set both with
; arch_prctl, spin long enough for ticks to arrive from ring 3, make a
; system call, then exit with [gs:0] + [fs:0] = 40 + 2.
USER_ELF uprog_fsgs, PF_RX
	mov edi, 0x1001                     ; ARCH_SET_GS
	lea rsi, [.gsword]
	mov eax, 158
	syscall
	mov edi, 0x1002                     ; ARCH_SET_FS
	lea rsi, [.fsword]
	mov eax, 158
	syscall
	mov ecx, 30000000
.spin:
	dec ecx
	jnz .spin
	mov eax, 39
	syscall
	mov edi, [gs:0]
	add edi, [fs:0]
	mov eax, 60
	syscall
.gsword: dd 40
.fsword: dd 2
USER_ELF_END uprog_fsgs
