/*
 * Segmentation, as little as long mode needs: kernel and user code and data
 * segments and one TSS per CPU, whose rsp0 is the stack the CPU switches to
 * on an interrupt from ring 3, and whose interrupt stack table gives double
 * faults, NMIs, machine checks and debug traps their own known-good stacks.
 */
#ifndef ARCH_X86_64_GDT_H
#define ARCH_X86_64_GDT_H

#include <stdint.h>

/*
 * The order is fixed by SYSCALL/SYSRET, which take their selectors from
 * MSR_STAR, not from the GDT (Intel SDM vol. 2B SYSCALL/SYSRET, AMD APM
 * vol. 3): SYSCALL loads CS = STAR[47:32] and SS = STAR[47:32] + 8, so
 * kernel data must follow kernel code; 64-bit SYSRET loads
 * CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, so from the base slot on
 * come a 32-bit user code slot (the compat-mode SYSRET target, which we
 * never use but whose place the layout reserves), user data, then user
 * code: data before code, the reverse of the kernel pair. Linux's
 * __USER32_CS/__USER_DS/__USER_CS have the same shape.
 */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER32_CODE 0x18 /* STAR[63:48]: SYSRET's base selector */
#define GDT_USER_DATA 0x20
#define GDT_USER_CODE 0x28
#define GDT_TSS 0x30 /* two slots */
#define GDT_ENTRIES 8

/* Selectors as ring 3 holds them (RPL 3). */
#define USER_DS (GDT_USER_DATA | 3)
#define USER_CS (GDT_USER_CODE | 3)

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_DEBUG 4 /* #DB may hit the first SYSCALL instruction, on the user stack */
#define NR_IST_STACKS 4
#define IST_STACK_SIZE 8192

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

/* One CPU's descriptor tables and exception stacks. */
struct cpu_tables {
	uint64_t gdt[GDT_ENTRIES]; /* offset 0: sgdt finds the struct */
	struct tss64 tss;
	uint8_t ist_stacks[NR_IST_STACKS][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* Build and load this CPU's GDT and TSS, and point SYSCALL at the kernel. */
void gdt_init_cpu(struct cpu_tables *t);

/*
 * Set the stack the CPU switches to on an interrupt or exception from
 * ring 3 (TSS.rsp0) on this CPU. The context switch calls it with the
 * incoming task's kernel stack top, interrupts off.
 */
void tss_set_rsp0(uintptr_t rsp0);

#endif
