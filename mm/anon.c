/*
 * Private anonymous memory, the kind plain mmap(MAP_PRIVATE|MAP_ANONYMOUS)
 * makes: its table of operations (mm/vm_ops.h). A read fault maps the
 * shared zero page read-only and the first write replaces it (Linux's
 * do_anonymous_page and wp_page_copy); a write fault maps a zeroed 4 KiB
 * page at once; either may be one 2 MiB THP where the policy allows it
 * (mm/huge_memory.c). Zap, protection changes and flag advice split a THP
 * that a range cuts. Per-page accounting: a page mapped once has
 * _mapcount 0 (one mapping, Linux's -1 bias) and refcount 1 (the
 * mapping's reference); the zero page has neither, nor any RSS.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "uapi/mman.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"

/* ---- the zero page ---- */

/*
 * Linux's empty_zero_page and zero_pfn: one frame, zeroed at boot and
 * never written or freed after, that every anonymous read fault of a page
 * nobody has written maps read-only. Like Linux (vm_normal_page answers
 * NULL for it) no mapping takes a reference or a mapcount on it and none
 * counts it as RSS, so its struct page stays as zero_page_init left it:
 * zero_page_check compares it with that snapshot.
 */
unsigned long zero_pfn;
static struct page zero_page_boot; /* its struct page right after boot */

void zero_page_init(void)
{
	struct page *page = alloc_page(__GFP_PURPOSE(PURPOSE_OTHER) | __GFP_ZERO);

	if (!page)
		panic("memory: no frame for the zero page");
	zero_pfn = page_to_pfn(page);
	zero_page_boot = *page;
}

int zero_page_check(char *why, size_t len)
{
	const struct page *page = pfn_to_page(zero_pfn);
	const uint64_t *word = page_address(page);

	if (memcmp(page, &zero_page_boot, sizeof(*page))) {
		snprintf(why, len,
			 "zero page %#lx: refcount %d mapcount %d flags %#lx, at boot %d %d %#lx",
			 zero_pfn, page_ref_count(page), page_mapcount(page), page->flags,
			 page_ref_count(&zero_page_boot), page_mapcount(&zero_page_boot),
			 zero_page_boot.flags);
		return -EINVAL;
	}
	for (size_t i = 0; i < PAGE_SIZE / sizeof(*word); i++)
		if (word[i]) {
			snprintf(why, len, "zero page %#lx: word %zu is %#lx", zero_pfn, i,
				 word[i]);
			return -EINVAL;
		}
	snprintf(why, len, "zero page: pfn %#lx refcount %d mapcount %d flags %#lx, zero", zero_pfn,
		 page_ref_count(page), page_mapcount(page), page->flags);
	return 0;
}

/* The zero page's leaf: the VMA's protection without write (x86 has no write-only). */
static unsigned int zero_page_prot(const struct vm_area_struct *vma)
{
	return vm_flags_to_mmu_prot(vma->vm_flags) & ~MMU_WRITE;
}

/* Linux's do_anonymous_page for a read: the zero page, read-only. No RSS, no rmap. */
static int do_anonymous_zero_page(struct vm_area_struct *vma, uintptr_t addr)
{
	struct mm_struct *mm = vma->vm_mm;

	return arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(zero_pfn), zero_page_prot(vma),
				 &mm->pgtables_pages);
}

/* ---- fault ---- */

/* Linux's do_anonymous_page: a new zeroed page at @addr (mm locked). 0 or -ENOMEM. */
static int do_anonymous_page(struct vm_area_struct *vma, uintptr_t addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = alloc_page(GFP_USER_ANON);
	int err;

	if (!page)
		return -ENOMEM;
	err = arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(page_to_pfn(page)),
				vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages);
	if (err) {
		__free_page(page); /* tables made on the way stay, counted, freed at munmap */
		return err;
	}
	page_add_new_anon_rmap(page);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
	return 0;
}

/*
 * A fault on a not-present page: one 2 MiB leaf when the policy allows it
 * and no page table is there yet (Linux's create_huge_pmd: a range that has
 * 4 KiB pages is khugepaged's business; with use_zero_page 0, as here, a
 * read maps a real huge page too), else, or when the huge page cannot be
 * had, the zero page for a read and a zeroed 4 KiB page for a write.
 */
static int anon_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags)
{
	uintptr_t haddr = addr & ~(HPAGE_PMD_SIZE - 1);

	khugepaged_enter_vma(vma); /* an eligible VMA puts its mm on khugepaged's list */
	if (thp_vma_allowable(vma, haddr, true) &&
	    arch_mmu_user_pmd_state(vma->vm_mm->pgd, haddr) == PMD_STATE_NONE &&
	    !do_huge_pmd_anonymous_page(vma, addr))
		return 0;
	if (!(flags & FAULT_FLAG_WRITE))
		return do_anonymous_zero_page(vma, addr);
	return do_anonymous_page(vma, addr);
}

/*
 * The first write to the zero page at @addr (Linux's do_wp_page ->
 * wp_page_copy): a zeroed page of its own replaces it, writable.
 *
 * The flush, against the Intel SDM (vol. 3, 4.10): the 4 KiB leaf goes
 * from present (the zero page, read-only) to present (another frame,
 * writable). Any CPU that ran this mm may hold the old translation in its
 * TLB (4.10.2.3: a present leaf may be cached, speculatively too), and
 * through it a read does not fault: it would read the zero page, not what
 * this thread writes next. The optional-invalidation case of 4.10.4.3
 * (R/W going 0 -> 1, where a stale entry only causes a page fault that
 * itself invalidates it) does not apply, because the frame changes too;
 * so the entry must be invalidated (4.10.4.2: INVLPG of the address) on
 * every CPU that may cache it, which on x86 is one INVLPG each, sent by
 * IPI to the others (4.10.5: no hardware propagates it). Hence one
 * targeted flush of this page on mm_cpumask, counted as
 * zero_page_break. As Linux's ptep_clear_flush, the old leaf is cleared
 * first, flushed, and only then the new one set: no CPU can then use the
 * old entry (or set its accessed bit) once the new frame is reachable,
 * and a thread that faults in between finds the leaf present after our
 * unlock and retries (handle_mm_fault's spurious case). The page size is
 * 4 KiB before and after, so no break-before-make of page sizes is
 * involved (no TLB_BBM); no table is freed (no TLB_FREED_TABLES), and the
 * zero page is never freed, so an early-acking target, which drops the
 * entry before it returns to ring 3, and a lazy CPU, which catches up on
 * tlb_gen before it runs this mm again (smp/tlb_mm.c), may both read the
 * zero page at most speculatively. No PCID is special: the engine flushes
 * or invalidates every ASID slot this mm has on each CPU.
 */
static int wp_page_copy(struct vm_area_struct *vma, uintptr_t addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = alloc_page(GFP_USER_ANON); /* first: a failure changes nothing */

	if (!page)
		return -ENOMEM;
	BUG_ON(arch_mmu_user_unmap(mm->pgd, addr) != PFN_PHYS(zero_pfn));
	flush_tlb_mm_range_cause(mm, addr, addr + PAGE_SIZE, PAGE_SHIFT, 0, FLUSH_ZERO_PAGE_BREAK);
	/* The page table stays: this map allocates nothing and cannot fail. */
	BUG_ON(arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(page_to_pfn(page)),
				 vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages));
	page_add_new_anon_rmap(page);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
	return 0;
}

/*
 * A write to a present read-only leaf of a writable VMA: only the zero
 * page is mapped so (fork's copy-on-write will be the other case); any
 * other leaf stricter than its VMA is a bug mprotect never makes.
 */
static int anon_wp_fault(struct vm_area_struct *vma, uintptr_t addr, const struct mmu_mapping *m)
{
	if (m->level != PG_LEVEL_4K || !is_zero_pfn(PFN_DOWN(m->pa)))
		return -EFAULT;
	return wp_page_copy(vma, addr);
}

/* ---- zap ---- */

struct zap_args {
	struct mmu_gather *tlb;
	struct mm_struct *mm;
};

static int zap_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct zap_args *z = arg;
	uint64_t pa;
	struct page *page;

	if (m->level == PG_LEVEL_2M) {
		zap_huge_pmd(z->tlb, z->mm, va); /* whole: anon_zap split the cut ones */
		return 0;
	}
	pa = arch_mmu_user_unmap(z->mm->pgd, va);
	BUG_ON(!pa);
	if (is_zero_pfn(PFN_DOWN(pa)))
		return 0; /* nothing to put: only the flush anon_zap adds */
	page = pfn_to_page(PFN_DOWN(pa));
	page_remove_rmap(page);
	add_mm_counter(z->mm, MM_ANONPAGES, -1);
	list_add_tail(&page->lru,
		      &z->tlb->pages); /* the mapping's reference, put after the flush */
	return 0;
}

/* Every leaf of [start, end) goes; a 2 MiB leaf the range cuts is split first (cannot fail). */
static int anon_zap(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		    uintptr_t end, bool final)
{
	struct zap_args z = {tlb, vma->vm_mm};

	(void) final;
	split_huge_pmd_edges(vma->vm_mm, start, end);
	arch_mmu_user_walk(vma->vm_mm->pgd, start, end, zap_one, &z, NULL);
	tlb_flush_range_add(tlb, start, end);
	return 0;
}

/* ---- protection and advice ---- */

struct protect_args {
	uint64_t pgd;
	unsigned int prot;
};

static int protect_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct protect_args *p = arg;

	if (m->level == PG_LEVEL_2M) /* whole and readable: split otherwise */
		arch_mmu_user_protect_pmd(p->pgd, va, p->prot);
	else if (is_zero_pfn(PFN_DOWN(m->pa))) /* never writable: the next write breaks it */
		arch_mmu_user_protect(p->pgd, va, p->prot & ~MMU_WRITE);
	else
		arch_mmu_user_protect(p->pgd, va, p->prot);
	return 0;
}

static void anon_change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma)
{
	struct protect_args p = {vma->vm_mm->pgd, vm_flags_to_mmu_prot(vma->vm_flags)};

	if (p.prot & MMU_READ)
		split_huge_pmd_edges(vma->vm_mm, vma->vm_start, vma->vm_end);
	else /* PROT_NONE: a 2 MiB leaf is always present, so split them all */
		split_huge_pmd_range(vma->vm_mm, vma->vm_start, vma->vm_end);
	arch_mmu_user_walk(p.pgd, vma->vm_start, vma->vm_end, protect_one, &p, NULL);
	tlb_flush_range_add(tlb, vma->vm_start, vma->vm_end);
}

/*
 * A VMA split at an address inside a 2 MiB leaf would leave the leaf in two
 * VMAs: split the leaf too (Linux's vma_adjust_trans_huge). MADV_NOHUGEPAGE
 * splits every leaf of the range (split cannot fail).
 */
static void anon_advise(struct vm_area_struct *vma, int advice)
{
	if (advice == MADV_NOHUGEPAGE)
		split_huge_pmd_range(vma->vm_mm, vma->vm_start, vma->vm_end);
	else
		split_huge_pmd_edges(vma->vm_mm, vma->vm_start, vma->vm_end);
}

/* MADV_COLLAPSE is THP's madvise_collapse, mmap.c's default: no hook needed. */
const struct vm_operations_struct anon_vm_ops = {
    .name = "anon",
    .fault = anon_fault,
    .wp_fault = anon_wp_fault,
    .zap = anon_zap,
    .change_protection = anon_change_protection,
    .advise = anon_advise,
};
