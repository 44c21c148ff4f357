/*
 * GDT and TSS setup, per CPU. Long mode ignores segment bases and limits for
 * code and data, so the descriptors only carry the L (64-bit) bit, DPL 0 and
 * present; the TSS exists for its interrupt stack table.
 */
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/cpu.h"

#define SEG_PRESENT (1ULL << 47)
#define SEG_CODE_DATA (1ULL << 44)
#define SEG_EXEC (1ULL << 43)
#define SEG_RW (1ULL << 41)
#define SEG_LONG (1ULL << 53)
#define TSS_AVAILABLE_64 (0x9ULL << 40)

static void set_tss_descriptor(uint64_t *slot, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | TSS_AVAILABLE_64 |
		  SEG_PRESENT | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

void gdt_init_cpu(struct cpu_tables *t)
{
	struct descriptor_ptr ptr = { sizeof(t->gdt) - 1, (uint64_t)t->gdt };

	t->gdt[0] = 0;
	t->gdt[1] = SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG;
	t->gdt[2] = SEG_PRESENT | SEG_CODE_DATA | SEG_RW;
	for (int i = 0; i < 3; i++)
		t->tss.ist[i] = (uint64_t)&t->ist_stacks[i][IST_STACK_SIZE];
	t->tss.iomap_base = sizeof(t->tss); /* no I/O permission bitmap */
	set_tss_descriptor(&t->gdt[3], &t->tss);

	lgdt(&ptr);
	load_segments(GDT_KERNEL_CODE, GDT_KERNEL_DATA);
	ltr(GDT_TSS);
}
