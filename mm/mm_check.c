/*
 * The user address-space invariant checker (page_alloc_check.c's twin for one mm):
 * walk the page tables and compare with the VMAs, every mapped page's
 * _mapcount, refcount and purpose, the RSS counter and the page-table
 * count. Tests run it after every scenario, and /proc/PID/mm_check. Device
 * mappings (mm/devdax_mmap.c) are checked by their own rule: no RSS, no
 * refcount, every leaf of the align's size on the device's right bytes;
 * so is the shared zero page: only in anonymous VMAs, never writable,
 * never counted (zero_page_check watches its struct page).
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/huge_memory.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"

/*
 * A 4 KiB leaf of a tmpfs or memfd page (fs/shmem_mmap.c): the page cache
 * (or a truncate on its way) holds a reference besides each mapping's; a
 * private mapping maps it read-only (a write copies it first).
 */
static const char *check_file_leaf(const struct vm_area_struct *vma, const struct mmu_mapping *m,
				   struct page *page)
{
	unsigned int want = vm_flags_to_mmu_prot(vma->vm_flags);

	if (!(vma->vm_flags & VM_SHARED))
		want &= ~MMU_WRITE;
	if (vma_is_anonymous(vma) || !vma->vm_private_data)
		return "a page-cache page in a VMA without a file";
	if (m->prot != want)
		return "prot is not the VMA's (read-only if private)";
	if (page_mapcount(page) < 1 || page_ref_count(page) < page_mapcount(page) + 1)
		return "refcount below mapcount + 1 (the cache's)";
	return NULL;
}

struct check_state {
	struct mm_struct *mm;
	char *why;
	size_t len;
	unsigned long leaves;	   /* 4 KiB units */
	unsigned long huge;	   /* 2 MiB leaves */
	unsigned long file_leaves; /* 4 KiB page-cache pages */
};

/* A 2 MiB leaf: inside one VMA wholly, that VMA's protection, a well-counted THP. */
static int check_huge_leaf(struct check_state *c, uintptr_t va, const struct mmu_mapping *m,
			   struct vm_area_struct *vma)
{
	const char *bad = thp_check_mapped_page(pfn_to_page(PFN_DOWN(m->pa)));

	c->leaves += HPAGE_PMD_NR;
	c->huge++;
	if (!vma || vma->vm_start > va || vma->vm_end < va + HPAGE_PMD_SIZE)
		snprintf(c->why, c->len, "2 MiB leaf at %#lx not inside one VMA", va);
	else if (m->prot != vm_flags_to_mmu_prot(vma->vm_flags))
		snprintf(c->why, c->len, "2 MiB leaf at %#lx: prot %#x, VMA wants %#x", va, m->prot,
			 vm_flags_to_mmu_prot(vma->vm_flags));
	else if (bad)
		snprintf(c->why, c->len, "2 MiB leaf at %#lx: %s", va, bad);
	else
		return 0;
	return -EINVAL;
}

/* Pages of @vma a fork may share copy-on-write: a private writable anonymous or file VMA's. */
static bool shares_cow(const struct vm_area_struct *vma)
{
	return is_cow_mapping(vma->vm_flags) && !is_vm_hugetlb_page(vma);
}

/*
 * A leaf of a private writable VMA may be read-only while fork's
 * copy-on-write is pending: until the write fault that copies or reuses it
 * (the other side may have copied already, leaving it ours alone).
 */
static bool cow_readonly_ok(const struct vm_area_struct *vma, const struct mmu_mapping *m,
			    const struct page *page)
{
	return shares_cow(vma) && m->prot == (vm_flags_to_mmu_prot(vma->vm_flags) & ~MMU_WRITE);
}

/* A leaf of the shared zero page: in an anonymous VMA, its protection without write. */
static int check_zero_leaf(struct check_state *c, uintptr_t va, const struct mmu_mapping *m,
			   struct vm_area_struct *vma)
{
	unsigned int want;

	if (!vma || vma->vm_start > va || vma->vm_ops != &anon_vm_ops) {
		snprintf(c->why, c->len, "zero page at %#lx outside every anonymous VMA", va);
		return -EINVAL;
	}
	want = vm_flags_to_mmu_prot(vma->vm_flags) & ~MMU_WRITE;
	if (m->prot == want)
		return 0;
	snprintf(c->why, c->len, "zero page at %#lx: prot %#x, want %#x", va, m->prot, want);
	return -EINVAL;
}

static int check_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct check_state *c = arg;
	struct vm_area_struct *vma = find_vma(&c->mm->vmas, va);
	struct page *page = pfn_to_page(PFN_DOWN(m->pa));

	if (vma && vma->vm_start <= va && is_vm_hugetlb_page(vma))
		return 0; /* hugetlb_check_mm's */
	if (vma && vma->vm_start <= va && vma_is_devdax(vma))
		return devdax_check_leaf(vma, va, m, c->why, c->len); /* no RSS, no refcount */
	if (m->level != PG_LEVEL_4K && m->level != PG_LEVEL_2M) {
		snprintf(c->why, c->len, "1 GiB leaf at %#lx outside every device or hugetlb VMA",
			 va);
		return -EINVAL;
	}
	if (m->level == PG_LEVEL_2M)
		return check_huge_leaf(c, va, m, vma);
	if (is_zero_pfn(PFN_DOWN(m->pa)))
		return check_zero_leaf(c, va, m, vma); /* no RSS: not in c->leaves */
	if (vma && vma->vm_start <= va && page_purpose(page) == PURPOSE_SHMEM) {
		const char *bad = check_file_leaf(vma, m, page);

		c->file_leaves++;
		if (!bad)
			return 0;
		snprintf(c->why, c->len, "file leaf at %#lx: %s", va, bad);
		return -EINVAL;
	}
	c->leaves++;
	if (!vma || vma->vm_start > va)
		snprintf(c->why, c->len, "leaf at %#lx outside every VMA", va);
	else if (m->prot != vm_flags_to_mmu_prot(vma->vm_flags) && !cow_readonly_ok(vma, m, page))
		snprintf(c->why, c->len, "leaf at %#lx: prot %#x, VMA wants %#x", va, m->prot,
			 vm_flags_to_mmu_prot(vma->vm_flags));
	else if (PageCompound(page))
		snprintf(c->why, c->len, "leaf at %#lx: a 4 KiB PTE maps part of a compound page",
			 va);
	else if (page_purpose(page) != PURPOSE_ANON)
		snprintf(c->why, c->len, "leaf at %#lx: frame %#lx is not an anon page", va, m->pa);
	else if (page_mapcount(page) < 1 || page_ref_count(page) < page_mapcount(page))
		snprintf(c->why, c->len,
			 "leaf at %#lx: mapcount %d refcount %d (want >= 1, >= mapcount)", va,
			 page_mapcount(page), page_ref_count(page));
	else if (page_mapcount(page) > 1 && shares_cow(vma) && (m->prot & MMU_WRITE))
		snprintf(c->why, c->len, "leaf at %#lx: writable, but %d mappings share the page",
			 va, page_mapcount(page));
	else
		return 0;
	return -EINVAL;
}

static int check_vmas(struct mm_struct *mm, char *why, size_t len)
{
	struct vm_area_struct *vma;
	uintptr_t prev_end = 0;
	unsigned long nr = 0, pages = 0;

	for_each_vma(&mm->vmas, vma)
	{
		if (vma->vm_start >= vma->vm_end || vma->vm_start < prev_end ||
		    (vma->vm_start | vma->vm_end) & (PAGE_SIZE - 1) || vma->vm_end > TASK_SIZE) {
			snprintf(why, len, "VMA %#lx-%#lx misplaced", vma->vm_start, vma->vm_end);
			return -EINVAL;
		}
		prev_end = vma->vm_end;
		nr++;
		pages += vma_pages(vma);
	}
	if (nr != mm->vmas.nr || pages != mm->vmas.total_pages) {
		snprintf(why, len, "VMA counters %lu/%lu, walk %lu/%lu", mm->vmas.nr,
			 mm->vmas.total_pages, nr, pages);
		return -EINVAL;
	}
	return 0;
}

int mm_check_invariants(struct mm_struct *mm, char *why, size_t len)
{
	struct check_state c = {mm, why, len, 0, 0, 0};
	unsigned long tables = 0, huge_units = 0;
	int ret;

	mm_lock(mm);
	ret = check_vmas(mm, why, len);
	if (!ret)
		ret = hugetlb_check_mm(mm, why, len, &huge_units);
	if (!ret && huge_units != get_mm_counter(mm, MM_HUGEPAGES)) {
		snprintf(why, len, "hugetlb RSS %lu, page tables map %lu pages",
			 get_mm_counter(mm, MM_HUGEPAGES), huge_units);
		ret = -EINVAL;
	}
	if (!ret)
		ret = arch_mmu_user_walk(mm->pgd, 0, TASK_SIZE, check_leaf, &c, &tables);
	if (!ret && c.file_leaves != get_mm_counter(mm, MM_SHMEMPAGES)) {
		snprintf(why, len, "shmem RSS %lu, page tables map %lu file pages",
			 get_mm_counter(mm, MM_SHMEMPAGES), c.file_leaves);
		ret = -EINVAL;
	}
	if (!ret && c.leaves != get_mm_counter(mm, MM_ANONPAGES)) {
		snprintf(why, len, "RSS %lu, page tables map %lu pages",
			 get_mm_counter(mm, MM_ANONPAGES), c.leaves);
		ret = -EINVAL;
	}
	if (!ret && (long)c.huge != mm->nr_pmd_huge_pte) {
		snprintf(why, len, "%lu 2 MiB leaves, %ld deposited tables", c.huge,
			 mm->nr_pmd_huge_pte);
		ret = -EINVAL;
	}
	if (!ret && (long)(tables + c.huge) != mm->pgtables_pages) {
		snprintf(why, len, "page-table count %ld, walk found %lu + %lu deposited",
			 mm->pgtables_pages, tables, c.huge);
		ret = -EINVAL;
	}
	mm_unlock(mm);
	return ret;
}
