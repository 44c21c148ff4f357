; The AP start-up trampoline: one page copied to a low page P (4 KiB aligned,
; below 1 MiB). A STARTUP IPI starts the AP in real mode at P:0 (CS = P >> 4,
; IP = 0). It goes to 32-bit protected mode, turns on PAE, long mode and
; paging with the trampoline's own page tables (identity map of low memory
; plus the kernel's upper half), jumps to 64-bit code and calls the C entry
; on the stack the boot CPU left in the data block. Position-independent:
; the boot CPU patches every absolute address into the data block first.

bits 16
section .rodata
align 4096
global smp_trampoline_start, smp_trampoline_end, smp_trampoline_data
global smp_trampoline_gdt, smp_trampoline_pm32, smp_trampoline_lm64

%define OFF(x) ((x) - smp_trampoline_start)

smp_trampoline_start:
	cli
	cld
	xor esi, esi
	mov si, cs
	shl esi, 4                      ; esi = P, kept through the mode switches
	mov ax, cs
	mov ds, ax
	o32 lgdt [OFF(tr_gdtr)]
	mov eax, cr0
	and eax, 0x9ffffff1             ; CD, NW, TS, EM off (reset leaves caches off)
	or eax, 0x00000001              ; PE
	mov cr0, eax
	jmp dword far [OFF(tr_pm32)]    ; CS = 0x08: flat 32-bit code

bits 32
smp_trampoline_pm32:
tramp32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov eax, cr4
	or eax, 1 << 5                  ; PAE
	mov cr4, eax
	mov eax, [esi + OFF(tr_cr3)]    ; must lie below 4 GiB (32-bit CR3 load)
	mov cr3, eax
	mov ecx, 0xc0000080             ; EFER: LME (+ NXE etc.) as the boot CPU has it
	mov eax, [esi + OFF(tr_efer)]
	mov edx, [esi + OFF(tr_efer) + 4]
	wrmsr
	mov eax, cr0
	or eax, 0x80000000              ; PG: long mode active from here
	mov cr0, eax
	jmp far [esi + OFF(tr_lm64)]    ; CS = 0x18: 64-bit code

bits 64
smp_trampoline_lm64:
tramp64:
	mov esi, esi                    ; upper half undefined after the switch
	mov rsp, [rsi + OFF(tr_stack)]
	mov rdi, [rsi + OFF(tr_arg)]
	mov rax, [rsi + OFF(tr_entry)]
	xor ebp, ebp                    ; ends every backtrace
	call rax                        ; ap_entry(percpu): never returns
.hang:
	cli
	hlt
	jmp .hang

align 16
smp_trampoline_gdt:
tr_gdt:
	dq 0
	dq 0x00cf9b000000ffff           ; 0x08 32-bit code, flat, accessed
	dq 0x00cf93000000ffff           ; 0x10 data, flat, accessed
	dq 0x00af9b000000ffff           ; 0x18 64-bit code
tr_gdt_end:

; The data block: struct trampoline_data in smp/smp_priv.h, field for field.
align 16
smp_trampoline_data:
tr_gdtr:
	dw tr_gdt_end - tr_gdt - 1      ; +0 limit
	dd 0                            ; +2 base = P + OFF(tr_gdt)  (patched)
	dw 0
tr_pm32:
	dd 0                            ; +8 P + OFF(tramp32)  (patched)
	dw 0x08
	dw 0
tr_lm64:
	dd 0                            ; +16 P + OFF(tramp64)  (patched)
	dw 0x18
	dw 0
tr_cr3:	dq 0                            ; +24 the trampoline PML4
tr_efer: dq 0                           ; +32
tr_stack: dq 0                          ; +40 this AP's stack top
tr_entry: dq 0                          ; +48 ap_entry
tr_arg:	dq 0                            ; +56 this AP's struct percpu
smp_trampoline_end:
