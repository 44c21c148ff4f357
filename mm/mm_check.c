/*
 * The user address-space invariant checker (mm_debug.c's twin for one mm):
 * walk the page tables and compare with the VMAs, every mapped page's
 * _mapcount, refcount and purpose, the RSS counter and the page-table
 * count. Tests run it after every scenario; a later /proc file can too.
 * Also /proc/PID/maps formatting, which reads the same structures.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"

struct check_state {
	struct mm_struct *mm;
	char *why;
	size_t len;
	unsigned long leaves;
};

static int check_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct check_state *c = arg;
	struct vm_area_struct *vma = find_vma(&c->mm->vmas, va);
	struct page *page = pfn_to_page(PFN_DOWN(m->pa));

	c->leaves++;
	if (!vma || vma->vm_start > va)
		snprintf(c->why, c->len, "leaf at %#lx outside every VMA", va);
	else if (m->prot != vm_flags_to_mmu_prot(vma->vm_flags))
		snprintf(c->why, c->len, "leaf at %#lx: prot %#x, VMA wants %#x", va, m->prot,
			 vm_flags_to_mmu_prot(vma->vm_flags));
	else if (page_purpose(page) != PURPOSE_ANON)
		snprintf(c->why, c->len, "leaf at %#lx: frame %#lx is not an anon page", va, m->pa);
	else if (page_mapcount(page) != 1 || page_ref_count(page) != 1)
		snprintf(c->why, c->len, "leaf at %#lx: mapcount %d refcount %d (want 1, 1)", va,
			 page_mapcount(page), page_ref_count(page));
	else
		return 0;
	return -EINVAL;
}

static int check_vmas(struct mm_struct *mm, char *why, size_t len)
{
	struct vm_area_struct *vma;
	uintptr_t prev_end = 0;
	unsigned long nr = 0, pages = 0;

	for_each_vma(&mm->vmas, vma) {
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
	struct check_state c = { mm, why, len, 0 };
	unsigned long tables = 0;
	int ret;

	mm_lock(mm);
	ret = check_vmas(mm, why, len);
	if (!ret)
		ret = arch_mmu_user_walk(mm->pgd, 0, TASK_SIZE, check_leaf, &c, &tables);
	if (!ret && c.leaves != get_mm_counter(mm, MM_ANONPAGES)) {
		snprintf(why, len, "RSS %lu, page tables map %lu pages",
			 get_mm_counter(mm, MM_ANONPAGES), c.leaves);
		ret = -EINVAL;
	}
	if (!ret && (long)tables != mm->pgtables_pages) {
		snprintf(why, len, "page-table count %ld, walk found %lu", mm->pgtables_pages,
			 tables);
		ret = -EINVAL;
	}
	mm_unlock(mm);
	return ret;
}

size_t mm_format_maps(struct mm_struct *mm, char *buf, size_t len)
{
	struct vm_area_struct *vma;
	size_t n = 0;

	mm_lock(mm);
	for_each_vma(&mm->vmas, vma) {
		unsigned long f = vma->vm_flags;
		int w = snprintf(buf + n, len - n, "%08lx-%08lx %c%c%cp %08lx 00:00 0\n",
				 vma->vm_start, vma->vm_end, (f & VM_READ) ? 'r' : '-',
				 (f & VM_WRITE) ? 'w' : '-', (f & VM_EXEC) ? 'x' : '-', 0UL);

		if (w < 0 || (size_t)w >= len - n) {
			n = len ? len - 1 : 0;
			break;
		}
		n += w;
	}
	mm_unlock(mm);
	return n;
}
