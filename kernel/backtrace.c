/*
 * Backtraces by frame pointer (the kernel is built with
 * -fno-omit-frame-pointer; entry.asm zeroes %rbp so every chain ends). Each
 * step is checked before it is followed: a corrupt chain ends the trace
 * instead of faulting inside the fault handler.
 */
#include "kernel/backtrace.h"
#include "flushlab/boot_info.h"
#include "flushlab/elf64.h"
#include "lib/kernel.h"

#define BACKTRACE_MAX_DEPTH 32

static const Elf64_Sym *symtab;
static size_t nr_syms;
static const char *strtab;
static size_t strtab_size;

void symbols_init(const struct boot_info *bi)
{
	if (!bi->symtab.size || !bi->strtab.size)
		return;
	symtab = (const Elf64_Sym *)(DIRECT_MAP_BASE + bi->symtab.phys);
	nr_syms = bi->symtab.size / sizeof(Elf64_Sym);
	strtab = (const char *)(DIRECT_MAP_BASE + bi->strtab.phys);
	strtab_size = bi->strtab.size;
}

const char *symbolize_sized(uint64_t addr, uint64_t *offset, uint64_t *size)
{
	const Elf64_Sym *best = NULL;

	for (size_t i = 0; i < nr_syms; i++) {
		const Elf64_Sym *s = &symtab[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_name >= strtab_size)
			continue;
		if (addr >= s->st_value && addr < s->st_value + (s->st_size ? s->st_size : 1)) {
			best = s;
			break;
		}
	}
	if (!best)
		return NULL;
	*offset = addr - best->st_value;
	*size = best->st_size;
	return strtab + best->st_name;
}

const char *symbolize(uint64_t addr, uint64_t *offset)
{
	uint64_t size;

	return symbolize_sized(addr, offset, &size);
}

/* @lookup is the address to name: for a return address, the call before it. */
static void print_frame(int depth, uint64_t addr, uint64_t lookup)
{
	uint64_t off;
	const char *name = symbolize(lookup, &off);

	if (name)
		printk("  #%-2d %016lx %s+%#lx\n", depth, addr, name, off + (addr - lookup));
	else
		printk("  #%-2d %016lx ?\n", depth, addr);
}

/* A frame pointer we may dereference: kernel half, aligned, moving up the stack. */
static bool plausible_frame(uint64_t rbp, uint64_t prev)
{
	return rbp >= DIRECT_MAP_BASE && (rbp & 7) == 0 && rbp > prev && rbp - prev < 1024 * 1024 &&
	       rbp + 16 > rbp;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	uint64_t prev = rbp - 1;

	printk("Call trace:\n");
	print_frame(0, rip, rip);
	for (int depth = 1; depth < BACKTRACE_MAX_DEPTH; depth++) {
		if (!rbp || !plausible_frame(rbp, prev))
			return;
		uint64_t ret = ((const uint64_t *)rbp)[1];
		if (ret < KERNEL_VIRT_BASE)
			return;
		print_frame(depth, ret, ret - 1);
		prev = rbp;
		rbp = ((const uint64_t *)rbp)[0];
	}
}
