/*
 * thpdemo: the console's picture of a transparent huge page. In a scratch
 * address space it faults one 2 MiB page, prints the page-table path to it
 * (one PMD leaf, and the deposited table waiting beside it), drops one
 * 4 KiB page with MADV_DONTNEED (the split), prints the path again (the
 * deposit is now the PMD's table), collapses it back with MADV_COLLAPSE,
 * prints it a third time, and shows what each step cost in the ledger.
 */
#include "kernel/shell.h"
#include "lib/errno.h"
#include "mm/huge_memory.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/page.h"
#include "smp/tlbflush.h"

#define DEMO_VA 0x40000000UL

static void show(struct mm_struct *mm, const char *title)
{
	shell_printf("%s  (rss %lu pages, page tables %ld, deposited %ld at %#lx)\n", title,
		     get_mm_counter(mm, MM_ANONPAGES), mm->pgtables_pages, mm->nr_pmd_huge_pte,
		     (unsigned long)mm->pmd_huge_pte);
	arch_mmu_user_dump_pmd(mm_pgd_phys(mm), DEMO_VA);
}

static void cost(const struct tlb_ledger_totals *before, const char *what)
{
	struct tlb_ledger_totals now;

	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, before);
	shell_printf("%s: flushes thp_split=%lu thp_collapse=%lu user=%lu; thp_split_pmd=%lu "
		     "thp_split_page=%lu thp_collapse_alloc=%lu\n\n",
		     what, (unsigned long)now.by_cause[FLUSH_THP_SPLIT],
		     (unsigned long)now.by_cause[FLUSH_THP_COLLAPSE],
		     (unsigned long)now.by_cause[FLUSH_USER], thp_event_count(THP_SPLIT_PMD),
		     thp_event_count(THP_SPLIT_PAGE), thp_event_count(THP_COLLAPSE_ALLOC));
}

static int demo(struct mm_struct *mm)
{
	struct tlb_ledger_totals before;
	uintptr_t out;

	if (do_mmap(mm, DEMO_VA, HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out) ||
	    do_madvise(mm, DEMO_VA, HPAGE_PMD_SIZE, MADV_HUGEPAGE) ||
	    handle_mm_fault(mm, DEMO_VA, FAULT_FLAG_WRITE))
		return -ENOMEM;
	show(mm, "1. after a write fault at 0x40000000 (MADV_HUGEPAGE)");
	tlb_ledger_totals(&before);
	if (do_madvise(mm, DEMO_VA + 2 * PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED))
		return -EINVAL;
	show(mm, "2. after MADV_DONTNEED of 0x40002000 (split)");
	cost(&before, "   split");
	tlb_ledger_totals(&before);
	if (do_madvise(mm, DEMO_VA, HPAGE_PMD_SIZE, MADV_COLLAPSE))
		return -EAGAIN;
	show(mm, "3. after MADV_COLLAPSE of the 2 MiB");
	cost(&before, "   collapse");
	return 0;
}

static int cmd_thpdemo(int argc, char **argv)
{
	struct mm_struct *mm = mm_alloc();
	int err;

	if (!mm) {
		shell_error("thpdemo: no memory for an address space\n");
		return 1;
	}
	err = demo(mm);
	mmput(mm);
	if (err)
		shell_error("thpdemo: a step failed: %d (no 2 MiB page free?)\n", err);
	return err ? 1 : 0;
}
DEFINE_SHELL_COMMAND(thpdemo, "", "fault, split and collapse one THP, printing its page tables",
		     cmd_thpdemo);
