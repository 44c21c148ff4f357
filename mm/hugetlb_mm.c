/*
 * hugetlb in user address spaces: mmap(MAP_HUGETLB) with Linux's
 * reservations, the fault that maps a whole huge page with one PMD or PUD
 * (or, in a page already mapped piecewise by HGM, one 4 KiB PTE), unmap,
 * and the checker's view, behind hugetlb_vm_ops (mm/vm_ops.h). Private
 * anonymous mappings only. A folio belongs
 * to the block of the VMA that faulted it until no entry maps any part of
 * it; then it goes back to its pool (mm/hugetlb.c) after the flush.
 */
#include "kernel/ratelimit.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/hugetlb_mapcount.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "uapi/mman.h"
#include "smp/tlbflush.h"

/* ---- mmap ---- */

static struct hstate *flags_to_hstate(int flags)
{
	unsigned int shift = ((unsigned int)flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;

	if (!shift)
		return &default_hstate;
	if (shift == 21)
		return &hstates[0];
	if (shift == 30)
		return &hstates[1];
	return NULL;
}

long hugetlb_mmap_prepare(struct vm_area_desc *desc, int flags, uintptr_t addr)
{
	struct hstate *h = flags_to_hstate(flags);
	uintptr_t end;
	unsigned long n;
	size_t len;
	int err;

	if (!h)
		return -EINVAL; /* Linux: no hstate of that size */
	if ((flags & MAP_FIXED) && (addr & (huge_page_size(h) - 1)))
		return -EINVAL;
	len = ALIGN_UP(desc->len, huge_page_size(h));
	if (!len)
		return -ENOMEM;
	n = len >> (PAGE_SHIFT + h->order);
	err = hugetlb_mapcount_map_begin(h, n); /* the scheme stays until these blocks go */
	if (err)
		return err;
	if (!(flags & MAP_NORESERVE) && hugetlb_reserve_pages(h, n)) {
		hugetlb_mapcount_map_end(n);
		return -ENOMEM;
	}
	desc->len = len;
	desc->align = huge_page_size(h);
	desc->vm_flags |= VM_HUGETLB;
	desc->vm_ops = &hugetlb_vm_ops;
	desc->private_data = h;
	if ((flags & MAP_FIXED) && user_range_check(addr, len, &end)) {
		hugetlb_mmap_cancel(desc);
		return -ENOMEM; /* rounded up to the huge page size, it no longer fits */
	}
	return 0;
}

void hugetlb_mmap_cancel(const struct vm_area_desc *desc)
{
	struct hstate *h = desc->private_data;
	unsigned long n = desc->len >> (PAGE_SHIFT + h->order);

	if (!(desc->vm_flags & VM_NORESERVE))
		hugetlb_unreserve_pages(h, n);
	hugetlb_mapcount_map_end(n);
}

/* Linux's hugetlb_vm_op_split: a VMA is cut only at a huge page boundary. */
static int hugetlb_may_split(struct vm_area_struct *vma, uintptr_t addr)
{
	return (addr & (huge_page_size(hstate_vma(vma)) - 1)) ? -EINVAL : 0;
}

/* Not implemented for hugetlb VMAs (docs/hgm.md): mprotect says so. */
static int hugetlb_mprotect(struct vm_area_struct *vma, uintptr_t start, uintptr_t end,
			    unsigned long newflags)
{
	(void)vma, (void)start, (void)end, (void)newflags;
	return -EOPNOTSUPP;
}

/* ---- the folio a block maps ---- */

struct first_leaf {
	uintptr_t block;
	uint64_t base; /* the frame that maps @block's first byte */
};

static int first_leaf_fn(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct first_leaf *f = arg;

	f->base = m->pa - (va - f->block);
	return 1;
}

struct page *hugetlb_block_folio(struct mm_struct *mm, uintptr_t block, const struct hstate *h)
{
	struct first_leaf f = {block, 0};

	if (!arch_mmu_user_walk(mm->pgd, block, block + huge_page_size(h), first_leaf_fn, &f, NULL))
		return NULL;
	return pfn_to_page(PFN_DOWN(f.base));
}

/* ---- fault ---- */

static void rss_add(struct mm_struct *mm, long units)
{
	add_mm_counter(mm, MM_HUGEPAGES, units);
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
}

/* A block nothing maps: a fresh zeroed folio, one hstate-level leaf. */
static int fault_new_folio(struct vm_area_struct *vma, uintptr_t block)
{
	struct mm_struct *mm = vma->vm_mm;
	struct hstate *h = hstate_vma(vma);
	bool resv = !(vma->vm_flags & VM_NORESERVE);
	struct page *head = alloc_hugetlb_folio(h, resv);
	int err;

	if (!head)
		return -EIO; /* no page in the pool: SIGBUS, as Linux's VM_FAULT_SIGBUS */
	if (hugetlb_mapcount_scheme() == HUGETLB_MAPCOUNT_SUBPAGE && PageVmemmapOptimized(head)) {
		if (printk_ratelimit()) /* the pool grew with HVO on after the mmap */
			printk("hugetlb: fault at %#lx: scheme subpage cannot count in an HVO "
			       "page\n",
			       block);
		free_huge_folio(h, head, resv);
		return -EFAULT;
	}
	memset(page_address(head), 0, huge_page_size(h));
	err = arch_mmu_user_map_huge(mm->pgd, block, PFN_PHYS(page_to_pfn(head)), hstate_level(h),
				     vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages);
	if (err) {
		free_huge_folio(h, head, resv);
		return err;
	}
	hugetlb_add_rmap(head, 0, hstate_level(h), hstate_level(h));
	hugetlb_pxd_populate(head);
	rss_add(mm, 1L << h->order);
	return 0;
}

/*
 * A hole in a folio mapped piecewise (MADV_DONTNEED dropped it): map the
 * one 4 KiB subpage, zeroed, as a fresh anonymous page would be.
 */
static int fault_hole(struct vm_area_struct *vma, uintptr_t block, uintptr_t addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct hstate *h = hstate_vma(vma);
	struct page *head = hugetlb_block_folio(mm, block, h);
	unsigned long idx = (addr - block) >> PAGE_SHIFT;
	int err;

	BUG_ON(!head); /* a populated hstate entry always has a leaf (hugetlb_zap keeps it so) */
	memset(page_address(head + idx), 0, PAGE_SIZE);
	err = arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(page_to_pfn(head + idx)),
				vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages);
	if (err)
		return err;
	hugetlb_add_rmap(head, idx, PG_LEVEL_4K, hstate_level(h));
	rss_add(mm, 1);
	return 0;
}

static int hugetlb_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags)
{
	struct hstate *h = hstate_vma(vma);
	uintptr_t block = addr & ~(huge_page_size(h) - 1);

	(void)flags;
	switch (arch_mmu_user_huge_state(vma->vm_mm->pgd, block, hstate_level(h))) {
	case PMD_STATE_NONE:
		return fault_new_folio(vma, block);
	case PMD_STATE_TABLE:
		return fault_hole(vma, block, addr);
	default:
		return 0; /* a leaf maps it: another thread was first */
	}
}

/* ---- unmap ---- */

struct zap_block {
	struct mm_struct *mm;
	struct page *head;
	uintptr_t block;
	enum pg_level hlevel;
	bool clear; /* clear each leaf (a partial zap) or only uncount it */
	long units;
};

static int zap_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct zap_block *z = arg;

	if (z->clear && m->level == PG_LEVEL_4K)
		BUG_ON(!arch_mmu_user_unmap(z->mm->pgd, va));
	else if (z->clear)
		BUG_ON(!arch_mmu_user_unmap_huge(z->mm->pgd, va, m->level));
	hugetlb_remove_rmap(z->head, (va - z->block) >> PAGE_SHIFT, m->level, z->hlevel);
	z->units += (long)(pg_level_size(m->level) >> PAGE_SHIFT);
	return 0;
}

static void tlb_free_table(uint64_t table_pa, void *arg)
{
	tlb_remove_table_pa(arg, table_pa);
}

/* Queue @head for its pool after the flush (chained through head[2], which HVO keeps writable). */
static void queue_folio(struct mmu_gather *tlb, struct page *head, bool rereserve)
{
	head[2].private = rereserve;
	list_add_tail(&head[2].lru, &tlb->hugetlb_folios);
}

/* One block: its part [s, e) goes; the whole block too when nothing else maps it. */
static void zap_one_block(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t block,
			  uintptr_t s, uintptr_t e, bool unmap)
{
	struct hstate *h = hstate_vma(vma);
	struct zap_block z = {vma->vm_mm, NULL, block, hstate_level(h), false, 0};
	uint64_t pgd = z.mm->pgd, size = huge_page_size(h);
	bool whole = s == block && e == block + size, resv = !(vma->vm_flags & VM_NORESERVE);

	if (unmap)
		hugetlb_mapcount_map_end(1); /* the block leaves the address space */
	if (arch_mmu_user_huge_state(pgd, block, z.hlevel) == PMD_STATE_NONE) {
		if (unmap && resv)
			hugetlb_unreserve_pages(h, 1); /* never faulted: its promise goes */
		return;
	}
	z.head = hugetlb_block_folio(z.mm, block, h);
	z.clear = !whole;
	arch_mmu_user_walk(pgd, s, e, zap_leaf, &z, NULL);
	add_mm_counter(z.mm, MM_HUGEPAGES, -z.units);
	if (!whole && hugetlb_block_folio(z.mm, block, h))
		return; /* other parts stay mapped: the folio and its tables stay */
	if (!arch_mmu_user_unmap_huge(pgd, block, z.hlevel))
		arch_mmu_user_unlink_tables(pgd, block, z.hlevel, tlb_free_table, tlb,
					    &z.mm->pgtables_pages);
	hugetlb_pxd_clear(z.head);
	queue_folio(tlb, z.head, !unmap && resv);
}

/*
 * Unmap [start, end) of @vma into @tlb. @final: the VMA goes away (whole
 * huge pages only; unused reservations are given back); else
 * MADV_DONTNEED, whose edges HGM splits down to 4 KiB first (may fail:
 * -ENOMEM, nothing unmapped). A folio left with no entry goes back to its
 * pool after the flush (hugetlb_zap_finish).
 */
static int hugetlb_zap(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		       uintptr_t end, bool final)
{
	uint64_t size = huge_page_size(hstate_vma(vma));
	long err;

	BUG_ON(final && ((start | end) & (size - 1)));
	if (!final) {
		err = hugetlb_split_edge(vma->vm_mm, vma, start)
			  ?: hugetlb_split_edge(vma->vm_mm, vma, end);
		if (err)
			return (int)err;
	}
	for (uintptr_t b = start & ~(size - 1); b < end; b += size)
		zap_one_block(tlb, vma, b, MAX(start, b), MIN(end, b + size), final);
	tlb_flush_range_add(tlb, start, end);
	return 0;
}

/* After the flush: give the folios hugetlb_zap queued back to their pools. */
static void hugetlb_zap_finish(struct mmu_gather *tlb)
{
	while (!list_empty(&tlb->hugetlb_folios)) {
		struct page *tail2 = list_first_entry(&tlb->hugetlb_folios, struct page, lru);
		struct page *head = tail2 - 2;
		struct hstate *h = size_to_hstate((PAGE_SIZE / 1024) << compound_order(head));

		list_del(&tail2->lru);
		memset(&tail2->lru, 0, sizeof(tail2->lru));
		BUG_ON(!h || hugetlb_folio_count(head));
		free_huge_folio(h, head, tail2->private);
		tail2->private = 0;
	}
}

/* ---- the checker ---- */

struct check_block {
	struct page *head;
	uintptr_t block;
	enum pg_level hlevel;
	unsigned int prot;
	struct hugetlb_walk_counts w;
	const char *bad;
};

static int check_leaf_fn(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct check_block *c = arg;
	unsigned long idx = (va - c->block) >> PAGE_SHIFT,
		      n = pg_level_size(m->level) >> PAGE_SHIFT;

	if (m->pa != PFN_PHYS(page_to_pfn(c->head)) + (va - c->block))
		c->bad = "a leaf maps another folio, or the wrong part of it";
	else if (m->prot != c->prot)
		c->bad = "a leaf's protection is not its VMA's";
	else if (m->level > c->hlevel)
		c->bad = "a leaf larger than the huge page";
	else if (hugetlb_mapcount_scheme() == HUGETLB_MAPCOUNT_SUBPAGE && m->level < c->hlevel)
		for (unsigned long i = 0; i < n && !c->bad; i++)
			if (hugetlb_page_mapcount(c->head, idx + i) != 1)
				c->bad = "subpage: a mapped subpage's count is not 1";
	if (c->bad)
		return -EINVAL;
	c->w.hstate_leaves += m->level == c->hlevel;
	c->w.pmd_leaves += m->level == PG_LEVEL_2M && c->hlevel == PG_LEVEL_1G;
	c->w.pte_leaves += m->level == PG_LEVEL_4K;
	c->w.units += n;
	return 0;
}

static const char *check_block(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t block,
			       unsigned long *units)
{
	struct hstate *h = hstate_vma(vma);
	struct check_block c = {hugetlb_block_folio(mm, block, h),   block, hstate_level(h),
				vm_flags_to_mmu_prot(vma->vm_flags), {0},   NULL};

	if (arch_mmu_user_huge_state(mm->pgd, block, c.hlevel) == PMD_STATE_NONE)
		return NULL;
	if (!c.head)
		return "a populated hstate-level entry maps nothing";
	if (!PageHead(c.head) || !PageHugeTLB(c.head) || compound_order(c.head) != h->order)
		return "the leaves do not map a hugetlb page of the VMA's size";
	c.w.populated = true;
	arch_mmu_user_walk(mm->pgd, block, block + huge_page_size(h), check_leaf_fn, &c, NULL);
	*units += c.w.units;
	return c.bad ?: hugetlb_check_counts(c.head, h->order, &c.w);
}

int hugetlb_check_mm(struct mm_struct *mm, char *why, size_t len, unsigned long *units)
{
	struct vm_area_struct *vma;

	for_each_vma(&mm->vmas, vma)
	{
		uint64_t size;

		if (!is_vm_hugetlb_page(vma))
			continue;
		size = huge_page_size(hstate_vma(vma));
		if ((vma->vm_start | vma->vm_end) & (size - 1)) {
			snprintf(why, len, "hugetlb VMA %#lx-%#lx not aligned to %lu kB",
				 vma->vm_start, vma->vm_end, (unsigned long)(size >> 10));
			return -EINVAL;
		}
		for (uintptr_t b = vma->vm_start; b < vma->vm_end; b += size) {
			const char *bad = check_block(mm, vma, b, units);

			if (bad) {
				snprintf(why, len, "hugetlb page at %#lx (%s): %s", b,
					 hugetlb_mapcount_scheme_name(hugetlb_mapcount_scheme()),
					 bad);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * fork of a private hugetlb mapping: Linux shares the folio read-only and
 * copies a huge page on the first write; not implemented here, so the
 * fork answers -ENOSYS, counted under the call's number with the program
 * (the syscalls debug file), and says why on the console (MADV_DONTFORK
 * skips the VMA).
 */
static int hugetlb_dup(struct fork_copy *c, struct vm_area_struct *dst, struct vm_area_struct *src)
{
	printk("fork: private hugetlb mapping %#lx-%#lx: copy-on-write of huge pages is not "
	       "implemented (ENOSYS; MADV_DONTFORK skips it)\n",
	       src->vm_start, src->vm_end);
	/* @dst never reserved huge pages: it must not meet hugetlb's teardown. */
	vma_remove(&c->dst->vmas, dst);
	dst->vm_ops = NULL;
	vm_area_free(dst);
	return -ENOSYS;
}

/* mremap may shrink (munmap) but not grow or move it: not implemented (Linux can). */
static int hugetlb_mremap(struct vm_area_struct *vma)
{
	return -EINVAL;
}

const struct vm_operations_struct hugetlb_vm_ops = {
    .name = "hugetlb",
    .fault = hugetlb_fault,
    .zap = hugetlb_zap,
    .zap_finish = hugetlb_zap_finish,
    .may_split = hugetlb_may_split,
    .mprotect = hugetlb_mprotect,
    .collapse = hgm_collapse_range,
    .dup = hugetlb_dup,
    .mremap = hugetlb_mremap,
};
