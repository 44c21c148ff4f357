/*
 * Segmentation, as little as long mode needs: a code and a data segment and
 * one TSS per CPU, whose interrupt stack table gives double faults, NMIs and
 * machine checks their own known-good stacks.
 */
#ifndef ARCH_X86_64_GDT_H
#define ARCH_X86_64_GDT_H

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS 0x18

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
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
	uint64_t gdt[5]; /* null, code, data, TSS (two slots) */
	struct tss64 tss;
	uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* Build and load this CPU's GDT and TSS. */
void gdt_init_cpu(struct cpu_tables *t);

#endif
