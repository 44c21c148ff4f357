/*
 * hgmdemo: the console's picture of a 1 GiB hugetlb page mapped at high
 * granularity, under each mapcount scheme in turn. In a scratch address
 * space it maps and faults one 1 GiB page, splits it to 512 PMDs, splits
 * the first half of those to PTEs, punches holes (three 4 KiB pages, one
 * whole 2 MiB block), and prints the PMD table as 512 characters and where
 * each scheme keeps its counts; then it collapses straight to 1 GiB and
 * prints the RMWs that took. tools/hgm_picture.py draws docs/hgm-schemes.svg
 * from these lines. Needs a free 1 GiB page (HVO off for subpage).
 */
#include "flushlab/layout.h"
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/hugetlb_mapcount.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"

#define DEMO_VA 0x40000000UL

static int count_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	(*(unsigned long *)arg)++;
	return 0;
}

/* One character per PMD slot: H 2 MiB leaf, T full PTE table, t one with holes, . none. */
static void pmd_map(struct mm_struct *mm, char *map, unsigned long *pmds, unsigned long *ptes)
{
	for (int i = 0; i < 512; i++) {
		uintptr_t va = DEMO_VA + (uintptr_t)i * HPAGE_PMD_SIZE;
		enum pmd_state st = arch_mmu_user_huge_state(mm_pgd_phys(mm), va, PG_LEVEL_2M);
		unsigned long n = 0;

		if (st == PMD_STATE_TABLE)
			arch_mmu_user_walk(mm_pgd_phys(mm), va, va + HPAGE_PMD_SIZE, count_leaf, &n,
					   NULL);
		*pmds += st == PMD_STATE_LEAF;
		*ptes += n;
		map[i] = st == PMD_STATE_LEAF	? 'H'
			 : st == PMD_STATE_NONE ? '.'
			 : n == 512		? 'T'
						: 't';
	}
	map[512] = '\0';
}

static int build(struct mm_struct *mm)
{
	uintptr_t out;

	if (do_mmap(mm, DEMO_VA, PUD_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_HUGETLB | MAP_HUGE_1GB, &out))
		return -ENOMEM;
	if (handle_mm_fault(mm, DEMO_VA, FAULT_FLAG_WRITE) ||
	    do_madvise(mm, DEMO_VA, PUD_SIZE, MADV_SPLIT) ||
	    do_madvise(mm, DEMO_VA, PUD_SIZE / 2, MADV_SPLIT) ||
	    do_madvise(mm, DEMO_VA + 5 * HPAGE_PMD_SIZE + 3 * PAGE_SIZE, 3 * PAGE_SIZE,
		       MADV_DONTNEED) ||
	    do_madvise(mm, DEMO_VA + 300 * HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, MADV_DONTNEED))
		return -EAGAIN;
	return 0;
}

static void show(struct mm_struct *mm, const char *scheme)
{
	static char map[513];
	struct page *head = hugetlb_block_folio(mm, DEMO_VA, &hstates[1]);
	unsigned long pmds = 0, ptes = 0, counted = 0;

	pmd_map(mm, map, &pmds, &ptes);
	for (unsigned long i = 0; i < (1UL << HUGETLB_ORDER_1G); i++)
		counted += page_mapcount(head + i) > 0;
	/* Two lines of 256: the console's printf stops at 512 characters a call. */
	shell_printf("hgmdemo scheme=%s pmd_map_lo=%.256s\n", scheme, map);
	shell_printf("hgmdemo scheme=%s pmd_map_hi=%s\n", scheme, map + 256);
	shell_printf("hgmdemo scheme=%s pud=table pmd_leaves=%lu pte_leaves=%lu folio_count=%d "
		     "folio_mapcount=%ld page_mapcount_0=%ld subpages_counted=%lu\n",
		     scheme, pmds, ptes, hugetlb_folio_count(head),
		     hugetlb_folio_mapcount(head, HUGETLB_ORDER_1G), hugetlb_page_mapcount(head, 0),
		     counted);
}

static int demo(const char *scheme)
{
	struct mm_struct *mm;
	unsigned long inc, dec;
	int err = hugetlb_set_mapcount_scheme(scheme);

	if (err)
		return err;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	err = build(mm);
	if (!err) {
		show(mm, scheme);
		inc = hugetlb_mapcount_incs();
		dec = hugetlb_mapcount_decs();
		err = do_madvise(mm, DEMO_VA, PUD_SIZE, MADV_COLLAPSE);
		shell_printf("hgmdemo scheme=%s collapse_1g_inc=%lu collapse_1g_dec=%lu\n", scheme,
			     hugetlb_mapcount_incs() - inc, hugetlb_mapcount_decs() - dec);
	}
	mmput(mm);
	return err;
}

static int cmd_hgmdemo(int argc, char **argv)
{
	static const char *const schemes[] = {"subpage", "head", "pxd"};
	enum hugetlb_mapcount_scheme old = hugetlb_mapcount_scheme();
	int err = 0;

	for (unsigned int i = 0; i < 3 && !err; i++)
		err = demo(schemes[i]);
	hugetlb_set_mapcount_scheme(hugetlb_mapcount_scheme_name(old));
	if (err)
		shell_error("hgmdemo: %s (a free 1 GiB page with HVO off is needed; no hugetlb "
			    "mapping may exist)\n",
			    err == -EBUSY    ? "EBUSY"
			    : err == -ENOMEM ? "no 1 GiB page or no memory"
					     : "a step failed");
	return err ? 1 : 0;
}
DEFINE_SHELL_COMMAND(hgmdemo, "",
		     "map a 1 GiB hugetlb page at mixed granularity under each mapcount scheme",
		     cmd_hgmdemo);
