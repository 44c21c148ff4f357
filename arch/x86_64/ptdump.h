/*
 * Page-table dumps in Linux's ptdump format (see ptdump.c), for the kernel
 * half at /sys/kernel/debug/page_tables/kernel and for any other root.
 */
#ifndef ARCH_X86_64_PTDUMP_H
#define ARCH_X86_64_PTDUMP_H

#include "arch/x86_64/pgtable.h"
#include "kernel/pseudofs.h"

/* A region of the layout: a `---[ name ]---` line where it begins. */
struct ptdump_marker {
	uint64_t start;
	const char *name; /* NULL ends a list */
};

/*
 * Dump the PML4 slots @first..@last of @pml4 into @s, coalescing runs of
 * one level and the same flags; @markers (ascending, NULL-terminated, or
 * NULL) name the regions.
 */
void ptdump_walk(struct seq_buf *s, const pte_t *pml4, int first, int last,
		 const struct ptdump_marker *markers);

#endif
