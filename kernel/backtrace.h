/*
 * Symbolized backtraces, for exceptions and panics. Symbols come from the
 * kernel's own ELF .symtab, which the loader copies and hands over in
 * boot_info, so no second link pass is needed to embed them.
 */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include <stdint.h>

struct boot_info;

void symbols_init(const struct boot_info *bi);
/* The function containing @addr, and @addr's offset into it; NULL if none. */
const char *symbolize(uint64_t addr, uint64_t *offset);
/* The same, with the function's size (Linux's %pS: name+0xoff/0xsize). */
const char *symbolize_sized(uint64_t addr, uint64_t *offset, uint64_t *size);
/* Print @rip, then walk the frame-pointer chain from @rbp. */
void backtrace_print(uint64_t rip, uint64_t rbp);

#endif
