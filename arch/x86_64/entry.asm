; Kernel entry from the UEFI loader. The loader has switched to the boot page
; tables (direct map, identity map, higher-half image) with interrupts off,
; and passes the physical address of struct boot_info in rdi. We record the
; TSC (for the boot-time line), take our own stack and call kmain.

bits 64
section .text.entry
global _start
extern kmain
extern kernel_entry_tsc

_start:
	cli
	cld
	mov r12, rdi                    ; keep boot_info across rdtsc
	rdtsc
	shl rdx, 32
	or rax, rdx
	mov [rel kernel_entry_tsc], rax
	lea rsp, [rel boot_stack_top]
	xor ebp, ebp                    ; ends every backtrace
	mov rdi, r12
	call kmain
.hang:
	hlt
	jmp .hang

section .bss
align 4096
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	resb 32768
boot_stack_top:
