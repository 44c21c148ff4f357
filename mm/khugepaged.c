/*
 * Collapse (the collapse half of Linux's mm/khugepaged.c): replace the 512
 * small pages under one page table by one 2 MiB page. Best effort, as the
 * THP design asks: any doubt, any failed allocation, any PTE that changed
 * while the lock was dropped, and it gives up with nothing lost. Two
 * callers, told apart by struct collapse_control as in Linux:
 * madvise(MADV_COLLAPSE) here, and the khugepaged thread's scan
 * (khugepaged_scan.c), which also obeys the enabled policy and max_ptes_none.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"

#define HPAGE_MASK (~(HPAGE_PMD_SIZE - 1))

/* What the scan saw: every PTE's frame (0 = none), and the VMA's shape. */
struct collapse_snap {
	uint64_t pa[HPAGE_PMD_NR];
	uintptr_t vm_start, vm_end;
	unsigned long vm_flags;
	int nr_none;
};

struct scan_args {
	struct collapse_snap *snap;
	uintptr_t haddr;
	unsigned int prot;
	int bad;
};

/* MADV_COLLAPSE: any eligible VMA, the enabled knob aside, any number of empty PTEs. */
static const struct collapse_control madvise_cc = {.is_khugepaged = false,
						   .max_ptes_none = HPAGE_PMD_NR};

/*
 * A small page we may take: order 0, anon, mapped once, no other
 * reference, VMA's protection. The zero page counts as none (Linux's
 * none_or_zero): the collapse gives that part zeroes and drops the leaf.
 */
static int scan_pte(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct scan_args *a = arg;
	struct page *page = pfn_to_page(PFN_DOWN(m->pa));

	if (m->level == PG_LEVEL_4K && is_zero_pfn(PFN_DOWN(m->pa)))
		return 0;
	if (m->level != PG_LEVEL_4K || m->prot != a->prot || PageCompound(page) ||
	    page_purpose(page) != PURPOSE_ANON || page_mapcount(page) != 1 ||
	    page_ref_count(page) != 1) {
		a->bad = 1;
		return -EINVAL;
	}
	a->snap->pa[(va - a->haddr) >> PAGE_SHIFT] = m->pa;
	return 0;
}

/*
 * With the lock held: fill @snap for the block at @haddr. 0 if it can be
 * collapsed, 1 if it is a huge leaf already, else -EINVAL (not eligible,
 * or more empty PTEs than @cc allows) or -EAGAIN (a page we may not take).
 * An mm whose last user is gone has no VMA: -EINVAL before any walk.
 */
static int collapse_scan(struct mm_struct *mm, uintptr_t haddr, struct collapse_snap *snap,
			 const struct collapse_control *cc)
{
	struct vm_area_struct *vma = find_vma(&mm->vmas, haddr);
	struct scan_args a = {snap, haddr, 0, 0};
	enum pmd_state st;

	if (!vma || !thp_vma_allowable(vma, haddr, cc->is_khugepaged))
		return -EINVAL;
	st = arch_mmu_user_pmd_state(mm->pgd, haddr);
	if (st == PMD_STATE_LEAF)
		return 1;
	if (st == PMD_STATE_NONE)
		return -EINVAL; /* no page table: nothing to collapse (a fault maps huge) */
	memset(snap, 0, sizeof(*snap));
	snap->vm_start = vma->vm_start;
	snap->vm_end = vma->vm_end;
	snap->vm_flags = vma->vm_flags;
	a.prot = vm_flags_to_mmu_prot(vma->vm_flags);
	arch_mmu_user_walk(mm->pgd, haddr, haddr + HPAGE_PMD_SIZE, scan_pte, &a, NULL);
	if (a.bad)
		return -EAGAIN;
	for (int i = 0; i < HPAGE_PMD_NR; i++)
		snap->nr_none += !snap->pa[i];
	if (cc->is_khugepaged &&
	    (snap->nr_none == HPAGE_PMD_NR || snap->nr_none > (int)cc->max_ptes_none))
		return -EINVAL; /* Linux's SCAN_EXCEED_NONE_PTE, or nothing to copy */
	return 0;
}

/* With the lock retaken: is everything as the scan left it? @now is scratch. */
static bool collapse_still_valid(struct mm_struct *mm, uintptr_t haddr,
				 const struct collapse_snap *snap, struct collapse_snap *now,
				 const struct collapse_control *cc)
{
	struct vm_area_struct *vma = find_vma(&mm->vmas, haddr);

	if (!vma || vma->vm_start != snap->vm_start || vma->vm_end != snap->vm_end ||
	    vma->vm_flags != snap->vm_flags)
		return false;
	if (collapse_scan(mm, haddr, now, cc))
		return false;
	return !memcmp(now->pa, snap->pa, sizeof(now->pa));
}

/*
 * One small page into the huge one, 64 bytes at a time: eight loads, then
 * eight stores, as Linux's copy_page_regs (arch/x86/lib/copy_page_64.S)
 * does. On hardware this is memcpy's speed. Under TCG it is ~6x faster
 * than memcpy's load-store-load-store loop (docs/compare-linux.md,
 * "thp_split"): both frames sit at the same offset of two 2 MiB-aligned
 * blocks, so they share a slot of QEMU's direct-mapped soft TLB, and a
 * loop that alternates between them swaps that slot with its victim TLB
 * on every access. Blocks of eight make that 32 swaps per KiB, not 256.
 */
static __attribute__((noinline)) void collapse_copy_page(void *to, const void *from)
{
	uint64_t *d = to;
	const uint64_t *s = from;

	for (unsigned int w = 0; w < PAGE_SIZE / 8; w += 8) {
		uint64_t r0 = s[w], r1 = s[w + 1], r2 = s[w + 2], r3 = s[w + 3];
		uint64_t r4 = s[w + 4], r5 = s[w + 5], r6 = s[w + 6], r7 = s[w + 7];

		d[w] = r0;
		d[w + 1] = r1;
		d[w + 2] = r2;
		d[w + 3] = r3;
		d[w + 4] = r4;
		d[w + 5] = r5;
		d[w + 6] = r6;
		d[w + 7] = r7;
	}
}

/*
 * Replace the table by the 2 MiB leaf, lock held, nothing left to fail.
 * The page size of these addresses changes from 4 KiB to 2 MiB: as for a
 * split (huge_memory.c argues it from the SDM, 4.10.2.3, and AMD erratum
 * 383), the old translations must be gone from every CPU before the new
 * leaf is visible. So: unlink the table (now no walk reaches the small
 * pages), flush the range on mm_cpumask with freed_tables (lazy CPUs too:
 * their paging-structure caches may point at the table we are about to
 * reuse as the deposit), and only then copy, so no write through a stale
 * TLB entry can land in a small page after we read it; then link the leaf.
 * Both the reuse and the link rely on every target having flushed, not
 * only read the request (SDM 4.10.5): TLB_FREED_TABLES | TLB_BBM make the
 * engine ack late whatever the shootdown protocol.
 */
static void collapse_commit(struct mm_struct *mm, uintptr_t haddr, struct page *hpage,
			    const struct collapse_snap *snap)
{
	struct vm_area_struct *vma = find_vma(&mm->vmas, haddr);
	uint64_t table = arch_mmu_user_pmd_take_table(mm->pgd, haddr);

	BUG_ON(!table);
	flush_tlb_mm_range_cause(mm, haddr, haddr + HPAGE_PMD_SIZE, PAGE_SHIFT,
				 TLB_FREED_TABLES | TLB_BBM, FLUSH_THP_COLLAPSE);
	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		void *dst = page_address(hpage + i);
		struct page *small;

		if (!snap->pa[i]) {
			memset(dst, 0, PAGE_SIZE); /* a none or zero-page PTE becomes zeroes */
			continue;
		}
		small = pfn_to_page(PFN_DOWN(snap->pa[i]));
		collapse_copy_page(dst, page_address(small));
		page_remove_rmap(small);
		__free_page(small); /* unreachable since the flush */
	}
	/* The old table, zeroed and flushed, is the new leaf's deposit: counted already. */
	mm->pgtables_pages--;
	BUG_ON(arch_mmu_user_map_pmd(mm->pgd, haddr, PFN_PHYS(page_to_pfn(hpage)),
				     vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages));
	thp_account_pmd_map(mm, hpage, table);
	add_mm_counter(mm, MM_ANONPAGES, snap->nr_none);
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
}

/* One 2 MiB block; takes and drops the lock. @scratch: COLLAPSE_SCRATCH_ORDER pages. */
long collapse_pmd(struct mm_struct *mm, uintptr_t haddr, void *scratch,
		  const struct collapse_control *cc)
{
	struct collapse_snap *snap = scratch;
	struct page *hpage;
	int ret;

	mm_lock(mm);
	ret = collapse_scan(mm, haddr, snap, cc);
	mm_unlock(mm);
	if (ret)
		return ret == 1 ? 0 : ret;
	if (thp_collapse_test_hook)
		thp_collapse_test_hook(mm, haddr);
	/* Allocated without the lock, as khugepaged does (it may take long in Linux). */
	hpage =
	    alloc_pages(__GFP_PURPOSE(PURPOSE_ANON) | __GFP_COMP | __GFP_NOWARN, HPAGE_PMD_ORDER);
	if (!hpage) {
		thp_count_event(THP_COLLAPSE_ALLOC_FAILED);
		return -ENOMEM;
	}
	mm_lock(mm);
	if (collapse_still_valid(mm, haddr, snap, snap + 1, cc)) {
		collapse_commit(mm, haddr, hpage, snap);
		hpage = NULL;
	}
	mm_unlock(mm);
	if (!hpage) {
		thp_count_event(THP_COLLAPSE_ALLOC);
		return 1;
	}
	__free_pages(hpage, HPAGE_PMD_ORDER);
	thp_count_event(THP_COLLAPSE_ABORT);
	return -EAGAIN;
}

/* Scratch for two snapshots (8 KiB and change): an order-2 block, not the stack. */
_Static_assert(2 * sizeof(struct collapse_snap) <= (PAGE_SIZE << COLLAPSE_SCRATCH_ORDER),
	       "snapshots");

long madvise_collapse(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	uintptr_t hstart = ALIGN_UP(start, HPAGE_PMD_SIZE), hend = end & HPAGE_MASK;
	struct page *scratch;
	long ret = 0, err;
	bool mapped;

	mm_lock(mm);
	mapped = vma_range_mapped(&mm->vmas, start, end);
	mm_unlock(mm);
	if (!mapped)
		return -ENOMEM;
	if (hstart >= hend)
		return -EINVAL; /* Linux: no whole 2 MiB block in the range */
	scratch = alloc_pages(GFP_KERNEL | __GFP_NOWARN, COLLAPSE_SCRATCH_ORDER);
	if (!scratch)
		return -ENOMEM;
	for (uintptr_t h = hstart; h < hend; h += HPAGE_PMD_SIZE)
		if ((err = collapse_pmd(mm, h, page_address(scratch), &madvise_cc)) < 0)
			ret = err; /* Linux goes on and reports the last failure */
	__free_pages(scratch, COLLAPSE_SCRATCH_ORDER);
	return ret;
}
