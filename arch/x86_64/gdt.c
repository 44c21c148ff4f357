/*
 * GDT and TSS setup, per CPU. Long mode ignores segment bases and limits for
 * code and data, so the descriptors only carry the L (64-bit) bit, the DPL
 * and present; the TSS exists for rsp0 (entry from ring 3) and its
 * interrupt stack table. The selector order is argued in gdt.h.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/syscall.h"

#define SEG_PRESENT (1ULL << 47)
#define SEG_CODE_DATA (1ULL << 44)
#define SEG_EXEC (1ULL << 43)
#define SEG_RW (1ULL << 41)
#define SEG_LONG (1ULL << 53)
#define SEG_DPL3 (3ULL << 45)
#define TSS_AVAILABLE_64 (0x9ULL << 40)

/* An AP's tables and struct percpu come from one order-3 block (smp/smp.c). */
_Static_assert(sizeof(struct cpu_tables) + 256 <= 32768, "per-CPU tables outgrow 32 KiB");

static void set_tss_descriptor(uint64_t *slot, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | TSS_AVAILABLE_64 | SEG_PRESENT |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_init_cpu(struct cpu_tables *t)
{
	struct descriptor_ptr ptr = {sizeof(t->gdt) - 1, (uint64_t)t->gdt};

	t->gdt[0] = 0;
	t->gdt[GDT_KERNEL_CODE / 8] = SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG;
	t->gdt[GDT_KERNEL_DATA / 8] = SEG_PRESENT | SEG_CODE_DATA | SEG_RW;
	t->gdt[GDT_USER32_CODE / 8] = 0; /* never loaded: we only SYSRET to 64-bit mode */
	t->gdt[GDT_USER_DATA / 8] = SEG_PRESENT | SEG_CODE_DATA | SEG_RW | SEG_DPL3;
	t->gdt[GDT_USER_CODE / 8] =
	    SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG | SEG_DPL3;
	for (int i = 0; i < 3; i++)
		t->tss.ist[i] = (uint64_t)&t->ist_stacks[i][IST_STACK_SIZE];
	t->tss.ist[IST_DEBUG - 1] = (uint64_t)&t->debug_stack[IST_DEBUG_STACK_SIZE];
	t->tss.iomap_base = sizeof(t->tss); /* no I/O permission bitmap */
	set_tss_descriptor(&t->gdt[GDT_TSS / 8], &t->tss);

	lgdt(&ptr);
	load_segments(GDT_KERNEL_CODE, GDT_KERNEL_DATA);
	ltr(GDT_TSS);
	syscall_init_cpu(); /* STAR names the selectors above */
}

/* This CPU's tables: the GDTR base is the address of cpu_tables.gdt, its first field. */
void tss_set_rsp0(uintptr_t rsp0)
{
	struct descriptor_ptr ptr;
	struct cpu_tables *t;

	sgdt(&ptr);
	t = (struct cpu_tables *)ptr.base;
	t->tss.rsp[0] = rsp0;
}
