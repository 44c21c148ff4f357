; Interrupt and exception entry stubs. Each vector gets a stub that pushes a
; dummy error code where the CPU pushes none, then its vector number, and
; jumps to one common path that saves every general register as a
; struct trap_frame (arch/x86_64/traps.h) and calls trap_dispatch(frame).
;
; GS discipline (see syscall.asm): an interrupt or exception from ring 3
; arrives with the user's GS base, so isr_common swaps on entry and again on
; the way out when the saved CS says ring 3. From ring 0 GS is already the
; kernel's, except in the few instructions around SWAPGS on the SYSCALL
; entry and both exits. Only NMI, #MC and #DB can arrive there (interrupts
; are off; a #DB from a user's TF on the SYSCALL instruction itself is
; delivered at its first kernel instruction); those three and #DF therefore
; come in on IST stacks (the stack may still be the user's) and through
; paranoid_entry, which looks at MSR_GS_BASE itself instead of trusting CS:
; a kernel GS base is negative (higher half), a user one is not. #DF is
; paranoid too: it may follow a fault anywhere, and it never returns.

bits 64
%include "arch/x86_64/trap_frame.inc"

section .text
extern trap_dispatch
extern x86_smap_enabled

%macro STUB_NOERR 1
isr_stub_%1:
	push 0
	push %1
	jmp isr_common
%endmacro

%macro STUB_ERR 1
isr_stub_%1:
	push %1
	jmp isr_common
%endmacro

;
; Entry hardening, before anything else runs (both argued here, used by
; isr_common and isr_paranoid):
;
; CLAC: an interrupt gate clears IF, TF, NT and RF but not AC (Intel SDM
; vol. 3, 6.12.1.3), and ring 3 may set AC (POPF). With CR4.SMAP a kernel
; running with AC set could touch user pages unchecked, so AC is cleared
; on every entry, as Linux's ASM_CLAC in each idtentry; IRETQ gives the
; interrupted context its own AC back (a uaccess window, uaccess.h). CLAC
; is #UD without SMAP, hence the test of x86_smap_enabled (a constant
; after boot, cpufeature.c). SYSCALL needs none: FMASK clears AC.
;
; LFENCE after the conditional SWAPGS (CVE-2019-1125, the "SWAPGS"
; Spectre v1 variant; Intel's advisory INTEL-SA-00284 and AMD's
; "SWAPGS" guidance, both recommending LFENCE): the CS test is a branch
; the CPU may predict wrongly. Mispredicted "from user", it speculatively
; runs SWAPGS and the GS-relative loads below read through the user's GS
; base; mispredicted "from kernel", it skips SWAPGS and reads through the
; user's base the other way round. Either way a later load can leak
; kernel memory through the cache. An LFENCE on each path, after the
; decision and before the first GS-relative load, waits until the branch
; has resolved (LFENCE does not execute until every prior instruction has
; completed locally, SDM vol. 2A LFENCE). Linux's
; FENCE_SWAPGS_USER_ENTRY / FENCE_SWAPGS_KERNEL_ENTRY; the SYSCALL entry's
; SWAPGS is unconditional and needs none.
%macro ENTRY_CLAC 0
	cmp byte [rel x86_smap_enabled], 0
	je %%no_smap
	clac
%%no_smap:
%endmacro

isr_common:
	ENTRY_CLAC
	test qword [rsp + 24], 3        ; saved CS (above vector, error code, RIP)
	jz .from_kernel
	swapgs
	lfence                          ; FENCE_SWAPGS_USER_ENTRY
	jmp .gs_ok
.from_kernel:
	lfence                          ; FENCE_SWAPGS_KERNEL_ENTRY
.gs_ok:
	PUSH_GPRS
	mov rdi, rsp                    ; 176 bytes pushed: rsp stays 16-aligned
	cld
	call trap_dispatch
	POP_GPRS
	add rsp, 16                     ; vector and error code
	test qword [rsp + 8], 3         ; saved CS
	jz .to_kernel
	cli                             ; no interrupt between SWAPGS and IRETQ
	swapgs
.to_kernel:
	iretq

; NMI, #MC, #DB, #DF: GS decided by the MSR, not by CS (see the top).
; RBX (callee-saved, so it survives trap_dispatch) remembers whether we
; swapped.
isr_paranoid:
	ENTRY_CLAC
	PUSH_GPRS
	xor ebx, ebx
	mov ecx, 0xc0000101             ; MSR_GS_BASE
	rdmsr
	test edx, edx                   ; high half negative: the kernel's percpu
	js .gs_kernel
	swapgs
	mov ebx, 1
.gs_kernel:
	lfence                          ; both paths: RDMSR does not serialise (see above)
	mov rdi, rsp
	cld
	call trap_dispatch
	test ebx, ebx
	jz .no_swap
	swapgs
.no_swap:
	POP_GPRS
	add rsp, 16
	iretq

%macro STUB_PARANOID_NOERR 1
isr_stub_%1:
	push 0
	push %1
	jmp isr_paranoid
%endmacro

%macro STUB_PARANOID_ERR 1
isr_stub_%1:
	push %1
	jmp isr_paranoid
%endmacro

; Vectors whose exceptions push an error code (SDM vol. 3, table 6-1).
%assign v 0
%rep 256
%if v == 1 || v == 2 || v == 18
	STUB_PARANOID_NOERR v
%elif v == 8
	STUB_PARANOID_ERR v
%elif v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21 || v == 29 || v == 30
	STUB_ERR v
%else
	STUB_NOERR v
%endif
%assign v v + 1
%endrep

section .rodata
align 8
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 256
	dq isr_stub_ %+ v
%assign v v + 1
%endrep
