/*
 * High-granularity mapping of hugetlb pages (the 2023 HGM RFC, [houghton-2023] in
 * docs/references.md): MADV_SPLIT maps part of a folio with smaller entries, one level at a time (1
 * GiB PUD -> 512 PMDs -> 512 PTEs each), and MADV_COLLAPSE maps it back with 2 MiB or straight with
 * 1 GiB entries. The folio never moves: only page tables and mapcounts change, so a collapse
 * allocates nothing and cannot fail for want of memory; a split needs page tables and may. Each
 * step is counted in the flush ledger (FLUSH_HGM_SPLIT/_COLLAPSE).
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/hugetlb_mapcount.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "mm/pgtable_alloc.h"
#include "smp/tlbflush.h"

static unsigned long hgm_stat[NR_HGM_STATS];

unsigned long hgm_stat_read(enum hgm_stat i)
{
	return __atomic_load_n(&hgm_stat[i], __ATOMIC_RELAXED);
}

static void stat_add(enum hgm_stat i, unsigned long v)
{
	__atomic_add_fetch(&hgm_stat[i], v, __ATOMIC_RELAXED);
}

static unsigned long level_pages(enum pg_level level)
{
	return pg_level_size(level) >> PAGE_SHIFT;
}

/* ---- split ---- */

/* The leaves a split of one block turns into tables: at most 512 (a PUD's 2 MiB leaves). */
struct split_batch {
	uintptr_t va[512];
	enum pg_level level[512];
	uint64_t table[512];
	uint64_t pa[512]; /* the frames the cleared leaves mapped */
	int n;
};

static int collect_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct split_batch *b = arg;

	if (m->level != PG_LEVEL_4K && b->n < 512) {
		b->va[b->n] = va;
		b->level[b->n++] = m->level;
	}
	return 0;
}

/*
 * Why break-before-make, and why one flush for the batch. Each leaf below
 * changes page size (1 GiB -> 2 MiB, or 2 MiB -> 4 KiB) with the same
 * frames. The Intel SDM (vol. 3, 4.10.2.3) leaves it undefined which
 * translation a CPU uses if it holds both sizes for one address, and AMD
 * family 10h erratum 383 makes that a machine check; the SDM's way out
 * (4.10.4.1-4.10.4.2) is to invalidate the old translation before the new
 * one can be cached. So every old leaf is cleared first; then one
 * flush_tlb_mm_range over the batch's span goes to mm_cpumask (a CPU
 * outside it has not loaded this root since it last flushed it); only then
 * are the tables linked. A lazy CPU is skipped, as Linux skips it for a
 * THP split: it runs no user code, so it never looks up these addresses,
 * and it flushes everything before it runs this mm again (smp/tlb_mm.c).
 * Between clear and link an access faults and waits on the mm lock we hold.
 * The link relies on every target having flushed, not only read the
 * request (SDM 4.10.5; an early-ack target could cache a smaller entry
 * from the new table beside its old large one): TLB_BBM makes the engine
 * ack late whatever the shootdown protocol.
 */
static void split_commit(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t block,
			 struct split_batch *b)
{
	const struct hstate *h = hstate_vma(vma);
	unsigned int prot = vm_flags_to_mmu_prot(vma->vm_flags);
	struct page *head = hugetlb_block_folio(mm, block, h);
	uint64_t *pa = b->pa;

	for (int i = 0; i < b->n; i++)
		pa[i] = arch_mmu_user_unmap_huge(mm->pgd, b->va[i], b->level[i]);
	flush_tlb_mm_range_cause(mm, b->va[0], b->va[b->n - 1] + pg_level_size(b->level[b->n - 1]),
				 b->level[0] == PG_LEVEL_1G ? 30 : 21, TLB_BBM, FLUSH_HGM_SPLIT);
	for (int i = 0; i < b->n; i++) {
		unsigned long idx = (b->va[i] - block) >> PAGE_SHIFT;
		enum pg_level sub = b->level[i] - 1;

		arch_mmu_user_huge_populate(mm->pgd, b->va[i], b->level[i], b->table[i], pa[i],
					    prot);
		mm->pgtables_pages++;
		hugetlb_remove_rmap(head, idx, b->level[i], hstate_level(h));
		for (unsigned long j = 0; j < 512; j++)
			hugetlb_add_rmap(head, idx + j * level_pages(sub), sub, hstate_level(h));
	}
	stat_add(HGM_SPLITS, (unsigned long)b->n);
}

/* Split every leaf above 4 KiB in [s, e) of one block of @vma: 0 or -ENOMEM (nothing changed). */
static long split_block(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t block,
			uintptr_t s, uintptr_t e, struct split_batch *b)
{
	b->n = 0;
	arch_mmu_user_walk(mm->pgd, s, e, collect_leaf, b, NULL);
	if (!b->n)
		return 0;
	/* A 1 GiB leaf alone, or only 2 MiB leaves: one level per call, so one size per batch. */
	for (int i = 0; i < b->n; i++) {
		b->table[i] = pgtable_alloc_page();
		if (!b->table[i]) {
			while (i--)
				pgtable_free_page(b->table[i]);
			return -ENOMEM;
		}
	}
	split_commit(mm, vma, block, b);
	return 0;
}

/* Scratch for one batch (12 KiB): an order-2 block, not the stack. */
#define BATCH_ORDER 2
_Static_assert(sizeof(struct split_batch) <= (PAGE_SIZE << BATCH_ORDER), "split batch");

static long split_vma_range(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t s,
			    uintptr_t e, struct split_batch *b)
{
	uint64_t size = huge_page_size(hstate_vma(vma));
	long err = 0;

	for (uintptr_t blk = s & ~(size - 1); blk < e && !err; blk += size)
		err = split_block(mm, vma, blk, MAX(s, blk), MIN(e, blk + size), b);
	return err;
}

long hgm_split_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct page *scratch = alloc_pages(GFP_KERNEL | __GFP_NOWARN, BATCH_ORDER);
	struct vm_area_struct *vma;
	long err = 0;

	if (!scratch)
		return -ENOMEM;
	mm_lock(mm);
	if (!vma_range_mapped(&mm->vmas, start, end))
		err = -ENOMEM;
	for (vma = find_vma(&mm->vmas, start); !err && vma && vma->vm_start < end;
	     vma = find_vma(&mm->vmas, vma->vm_end))
		err = is_vm_hugetlb_page(vma)
			  ? split_vma_range(mm, vma, MAX(start, vma->vm_start),
					    MIN(end, vma->vm_end), page_address(scratch))
			  : -EINVAL; /* only hugetlb pages are split this way */
	mm_unlock(mm);
	__free_pages(scratch, BATCH_ORDER);
	return err;
}

long hugetlb_split_edge(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t addr)
{
	struct page *scratch;
	struct mmu_mapping m;
	long err = 0;

	if (addr <= vma->vm_start || addr >= vma->vm_end)
		return 0;
	scratch = alloc_pages(GFP_KERNEL | __GFP_NOWARN, BATCH_ORDER);
	if (!scratch)
		return -ENOMEM;
	/* A leaf straddles @addr while @addr is not aligned to its size: split it, once per level.
	 */
	while (!err && !arch_mmu_user_query(mm->pgd, addr, &m) &&
	       (addr & (pg_level_size(m.level) - 1))) {
		uintptr_t leaf = addr & ~(pg_level_size(m.level) - 1);
		uint64_t size = huge_page_size(hstate_vma(vma));

		err = split_block(mm, vma, leaf & ~(size - 1), leaf, leaf + PAGE_SIZE,
				  page_address(scratch));
	}
	__free_pages(scratch, BATCH_ORDER);
	return err;
}

/* ---- collapse ---- */

/* One collapse's walk: uncount every leaf, zero the holes, find the units mapped. */
struct collapse_walk {
	struct page *head;
	uintptr_t block, next; /* @next: first byte not yet seen */
	enum pg_level hlevel;
	unsigned long units;
};

static void zero_hole(struct collapse_walk *c, uintptr_t from, uintptr_t to)
{
	if (to > from) /* unmapped since MADV_DONTNEED: it must read as zeroes again */
		memset(page_address(c->head + ((from - c->block) >> PAGE_SHIFT)), 0, to - from);
}

static int uncount_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct collapse_walk *c = arg;

	BUG_ON(m->pa != PFN_PHYS(page_to_pfn(c->head)) + (va - c->block)); /* HGM never moves */
	zero_hole(c, c->next, va);
	hugetlb_remove_rmap(c->head, (va - c->block) >> PAGE_SHIFT, m->level, c->hlevel);
	c->units += level_pages(m->level);
	c->next = va + pg_level_size(m->level);
	return 0;
}

/* Uncount [s, e) of @c's folio (a walk of its live tables). */
static void collapse_walk(struct mm_struct *mm, struct collapse_walk *c, uintptr_t s, uintptr_t e)
{
	c->next = s;
	arch_mmu_user_walk(mm->pgd, s, e, uncount_leaf, c, NULL);
	zero_hole(c, c->next, e);
}

static void collect_table(uint64_t table_pa, void *arg)
{
	list_add_tail(&pfn_to_page(PFN_DOWN(table_pa))->lru, arg);
}

static void free_tables(struct list_head *tables)
{
	unsigned long n = 0;

	while (!list_empty(tables)) {
		struct page *pt = list_first_entry(tables, struct page, lru);

		list_del(&pt->lru);
		pgtable_free_page(PFN_PHYS(page_to_pfn(pt)));
		n++;
	}
	stat_add(HGM_PT_PAGES_FREED, n);
}

/*
 * Why this order. A collapse changes the page size of [s, e) upwards
 * (4 KiB or 2 MiB leaves -> one 2 MiB or 1 GiB leaf), so, as for a split
 * (SDM vol. 3, 4.10.2.3; AMD erratum 383), no CPU may hold an old
 * translation once the new leaf is visible: clear first, flush, then map.
 * Clearing is one store per replaced table (the entry that points at it:
 * a PUD for straight-to-1G, whatever mix lies below), and the tables are
 * freed, so the flush is freed_tables: it reaches lazy CPUs too, whose
 * paging-structure caches may still point into the tables (the rule of
 * smp/tlb_mm.c). Only after it returns are the tables freed and the leaf
 * linked (not present -> present needs no flush: SDM 4.10.2.1). The flush
 * stride is 4 KiB over the whole range, which is past the ceiling, so each
 * CPU does one full flush: that drops the 2 MiB and 4 KiB entries and the
 * paging-structure caches alike (4.10.4.1). Freeing and linking both rely
 * on every target having flushed, not only read the request (4.10.5):
 * the flags make the engine ack late whatever the shootdown protocol.
 */
static void collapse_flush(struct mm_struct *mm, uintptr_t s, uintptr_t e)
{
	uint64_t t0 = rdtsc();

	flush_tlb_mm_range_cause(mm, s, e, PAGE_SHIFT, TLB_FREED_TABLES | TLB_BBM,
				 FLUSH_HGM_COLLAPSE);
	stat_add(HGM_COLLAPSE_FLUSH_NS, cycles_to_ns(rdtsc() - t0));
}

/* Straight to one hstate-level leaf: the block's entry holds a table (any mix below). */
static void collapse_to_hstate(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t block)
{
	const struct hstate *h = hstate_vma(vma);
	struct collapse_walk c = {hugetlb_block_folio(mm, block, h), block, block, hstate_level(h),
				  0};
	struct list_head tables = LIST_HEAD_INIT(tables);
	uint64_t t0 = rdtsc();

	collapse_walk(mm, &c, block, block + huge_page_size(h));
	stat_add(HGM_COLLAPSE_WALK_NS, cycles_to_ns(rdtsc() - t0));
	arch_mmu_user_unlink_tables(mm->pgd, block, c.hlevel, collect_table, &tables,
				    &mm->pgtables_pages);
	collapse_flush(mm, block, block + huge_page_size(h));
	free_tables(&tables);
	BUG_ON(arch_mmu_user_map_huge(mm->pgd, block, PFN_PHYS(page_to_pfn(c.head)), c.hlevel,
				      vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages));
	hugetlb_add_rmap(c.head, 0, c.hlevel, c.hlevel);
	add_mm_counter(mm, MM_HUGEPAGES, (long)((1UL << h->order) - c.units));
	stat_add(HGM_COLLAPSES_HSTATE, 1);
}

/* The PTE tables of [s, e) inside the 1 GiB block @block become 2 MiB leaves, one flush. */
static void collapse_to_pmds(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t block,
			     uintptr_t s, uintptr_t e)
{
	const struct hstate *h = hstate_vma(vma);
	struct collapse_walk c = {hugetlb_block_folio(mm, block, h), block, s, PG_LEVEL_1G, 0};
	struct list_head tables = LIST_HEAD_INIT(tables);
	uint64_t todo[512 / 64] = {0}, t0 = rdtsc();
	unsigned long n = 0;

	for (uintptr_t b = s; b < e; b += HPAGE_PMD_SIZE)
		if (arch_mmu_user_huge_state(mm->pgd, b, PG_LEVEL_2M) == PMD_STATE_TABLE) {
			unsigned long i = (b - block) / HPAGE_PMD_SIZE;

			todo[i / 64] |= 1ULL << (i % 64);
			collapse_walk(mm, &c, b, b + HPAGE_PMD_SIZE);
			arch_mmu_user_unlink_tables(mm->pgd, b, PG_LEVEL_2M, collect_table, &tables,
						    &mm->pgtables_pages);
			n++;
		}
	stat_add(HGM_COLLAPSE_WALK_NS, cycles_to_ns(rdtsc() - t0));
	if (!n)
		return;
	collapse_flush(mm, s, e);
	free_tables(&tables);
	for (unsigned long i = 0; i < 512; i++) {
		uintptr_t b = block + i * HPAGE_PMD_SIZE;

		if (!(todo[i / 64] & (1ULL << (i % 64))))
			continue;
		BUG_ON(arch_mmu_user_map_huge(
		    mm->pgd, b, PFN_PHYS(page_to_pfn(c.head)) + (b - block), PG_LEVEL_2M,
		    vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages));
		hugetlb_add_rmap(c.head, (b - block) >> PAGE_SHIFT, PG_LEVEL_2M, PG_LEVEL_1G);
	}
	add_mm_counter(mm, MM_HUGEPAGES, (long)(n * HPAGE_PMD_NR - c.units));
	stat_add(HGM_COLLAPSES_PMD, n);
}

/* [s, e) of one hugetlb VMA: whole huge pages straight to hstate leaves, else 2 MiB blocks. */
static long collapse_vma_range(struct mm_struct *mm, struct vm_area_struct *vma, uintptr_t s,
			       uintptr_t e)
{
	const struct hstate *h = hstate_vma(vma);
	uint64_t size = huge_page_size(h);
	long found = 0;

	for (uintptr_t blk = s & ~(size - 1); blk < e; blk += size) {
		enum pmd_state st = arch_mmu_user_huge_state(mm->pgd, blk, hstate_level(h));
		uintptr_t ps = ALIGN_UP(MAX(s, blk), HPAGE_PMD_SIZE);
		uintptr_t pe = MIN(e, blk + size) & ~(HPAGE_PMD_SIZE - 1);

		if (blk >= s && blk + size <= e) {
			found = 1;
			if (st == PMD_STATE_TABLE)
				collapse_to_hstate(mm, vma, blk);
		} else if (hstate_level(h) == PG_LEVEL_1G && ps < pe) {
			found = 1;
			if (st == PMD_STATE_TABLE)
				collapse_to_pmds(mm, vma, blk, ps, pe);
		}
	}
	return found;
}

long hgm_collapse_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma;
	uint64_t t0 = rdtsc();
	long found = 0, err = 0;

	mm_lock(mm);
	if (!vma_range_mapped(&mm->vmas, start, end))
		err = -ENOMEM;
	for (vma = find_vma(&mm->vmas, start); !err && vma && vma->vm_start < end;
	     vma = find_vma(&mm->vmas, vma->vm_end))
		if (is_vm_hugetlb_page(vma))
			found |= collapse_vma_range(mm, vma, MAX(start, vma->vm_start),
						    MIN(end, vma->vm_end));
	mm_unlock(mm);
	stat_add(HGM_COLLAPSE_NS, cycles_to_ns(rdtsc() - t0));
	return err ? err : found ? 0 : -EINVAL;
}
