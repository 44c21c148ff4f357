/*
 * Page-table dumps in the format of Linux's ptdump (CONFIG_PTDUMP_DEBUGFS,
 * arch/x86/mm/dump_pagetables.c): one line per run of entries that share a
 * level and the same flags, with the range, its size, the flags and the
 * level, and a `---[ name ]---` marker where a region of the layout begins.
 * /sys/kernel/debug/page_tables/kernel shows the kernel half, so a student
 * can see the direct map's large pages, the vmemmap's 2 MiB and 4 KiB
 * mappings and HVO's read-only tails. Reads the live tables lock-free, as
 * arch_mmu_query does: a dump taken while they change is a snapshot.
 */
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/ptdump.h"
#include "kernel/pseudofs.h"

#define _PAGE_USER (1ULL << 2)
#define _PAGE_PWT (1ULL << 3)
#define _PAGE_PCD (1ULL << 4)
#define _PAGE_PAT_4K (1ULL << 7) /* in a 4 KiB leaf, bit 7 is PAT, not PSE */
/* The flags a dump shows; entries differing only in others coalesce. */
#define SHOWN_FLAGS                                                                                \
	(_PAGE_USER | _PAGE_RW | _PAGE_PWT | _PAGE_PCD | _PAGE_PSE | _PAGE_GLOBAL | _PAGE_NX)

static const char *const level_names[] = {"pte", "pmd", "pud", "pgd"};

static const struct ptdump_marker kernel_markers[] = {
    {DIRECT_MAP_BASE, "Low Kernel Mapping (direct map)"},
    {SCRATCH_BASE, "Scratch Area (tests)"},
    {VMEMMAP_BASE, "Vmemmap"},
    {KERNEL_VIRT_BASE, "High Kernel Mapping"},
    {0, NULL},
};

struct ptdump_state {
	struct seq_buf *s;
	const struct ptdump_marker *marker; /* the next one to print */
	uint64_t start;			    /* the current run */
	pte_t flags;			    /* its flags; 0 for a hole */
	int level;			    /* its level, -1 before the first entry */
};

/* Linux's size column: a number and a unit, K to P. */
static void print_size(struct seq_buf *s, uint64_t bytes)
{
	static const char units[] = "KMGTP";
	int u = 0;

	bytes >>= 10;
	while (u < 4 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	seq_printf(s, "%9lu%c ", bytes, units[u]);
}

/* One line for [start, end): the run in @st. */
static void print_run(struct ptdump_state *st, uint64_t end)
{
	pte_t f = st->flags;
	struct seq_buf *s = st->s;

	seq_printf(s, "0x%016lx-0x%016lx   ", st->start, end);
	print_size(s, end - st->start);
	if (!f) {
		seq_printf(s, "%-33s%s\n", "", level_names[st->level]);
		return;
	}
	seq_printf(s, "%s %s %s %s %s %s %s %s\n", (f & _PAGE_USER) ? "USR" : "   ",
		   (f & _PAGE_RW) ? "RW" : "ro", (f & _PAGE_PWT) ? "PWT" : "   ",
		   (f & _PAGE_PCD) ? "PCD" : "   ", (f & _PAGE_PSE) ? "PSE" : "   ",
		   (f & _PAGE_GLOBAL) ? "GLB" : "   ", (f & _PAGE_NX) ? "NX" : "x ",
		   level_names[st->level]);
}

/* The entry mapping [va, va + size) at @level has @flags: extend or end the run. */
static void note_page(struct ptdump_state *st, uint64_t va, int level, pte_t flags)
{
	bool at_marker = st->marker->name && va >= st->marker->start;

	if (st->level >= 0 && (flags != st->flags || level != st->level || at_marker))
		print_run(st, va);
	else if (st->level >= 0)
		return; /* the run goes on */
	while (st->marker->name && va >= st->marker->start) {
		seq_printf(st->s, "---[ %s ]---\n", st->marker->name);
		st->marker++;
	}
	st->start = va;
	st->flags = flags;
	st->level = level;
}

static uint64_t canonical(uint64_t va)
{
	return (va & (1ULL << 47)) ? (va | 0xffff000000000000ULL) : va;
}

static void walk_table(struct ptdump_state *st, const pte_t *table, int level, uint64_t base)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		uint64_t va = canonical(base + ((uint64_t)i << (12 + 9 * level)));
		pte_t e = READ_ONCE(table[i]);
		bool leaf = level == 0 || (level <= 2 && (e & _PAGE_PSE));

		if (!(e & _PAGE_PRESENT))
			note_page(st, va, level, 0);
		else if (leaf)
			note_page(st, va, level, (e & SHOWN_FLAGS) & ~(level ? 0 : _PAGE_PAT_4K));
		else
			walk_table(st, phys_to_table(e & PTE_PFN_MASK), level - 1, va);
	}
}

void ptdump_walk(struct seq_buf *s, const pte_t *pml4, int first, int last,
		 const struct ptdump_marker *markers)
{
	static const struct ptdump_marker none = {0, NULL};
	struct ptdump_state st = {s, markers ? markers : &none, 0, 0, -1};

	for (int i = first; i <= last; i++) {
		uint64_t va = canonical((uint64_t)i << PGDIR_SHIFT);
		pte_t e = READ_ONCE(pml4[i]);

		if (e & _PAGE_PRESENT)
			walk_table(&st, phys_to_table(e & PTE_PFN_MASK), 2, va);
		else
			note_page(&st, va, 3, 0);
	}
	/* The end of the top slot is 2^64, which wraps to 0 (the size stays right). */
	if (st.level >= 0)
		print_run(&st, last == PTRS_PER_TABLE - 1
				   ? 0
				   : canonical((uint64_t)(last + 1) << PGDIR_SHIFT));
}

static int kernel_show(struct seq_buf *s, void *data)
{
	ptdump_walk(s, kernel_pml4, KERNEL_PML4_FIRST, PTRS_PER_TABLE - 1, kernel_markers);
	return 0;
}

DEFINE_PSEUDO_FILE(kernel_file, "/sys/kernel/debug/page_tables/kernel", kernel_show, NULL, 0444);
