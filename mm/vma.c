/*
 * The VMA set of an address space: a list sorted by address, and the
 * split/merge/range operations munmap, mprotect and madvise are built from
 * (Linux's mm/vma.c, on a list instead of a maple tree). Bookkeeping only:
 * no page tables, no arch includes, so the host tests run it under ASan.
 * The caller holds the mm's lock.
 */
#include "flushlab/layout.h"
#include "lib/errno.h"
#include "mm/mm_user.h"
#include "mm/vm_ops.h"
#include "mm/vma.h"
#include "mm/vm_ops.h"

void vma_set_init(struct vma_set *set)
{
	INIT_LIST_HEAD(&set->head);
	set->nr = 0;
	set->total_pages = 0;
}

static struct vm_area_struct *vma_next(struct vma_set *set, struct vm_area_struct *vma)
{
	return vma->vm_list.next == &set->head ? NULL : list_next_entry(vma, vm_list);
}

static struct vm_area_struct *vma_prev(struct vma_set *set, struct vm_area_struct *vma)
{
	return vma->vm_list.prev == &set->head
		   ? NULL
		   : list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

struct vm_area_struct *find_vma(struct vma_set *set, uintptr_t addr)
{
	struct vm_area_struct *vma;

	for_each_vma(set, vma) if (vma->vm_end > addr) return vma;
	return NULL;
}

struct vm_area_struct *find_vma_intersection(struct vma_set *set, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma = find_vma(set, start);

	return (vma && vma->vm_start < end) ? vma : NULL;
}

int vma_insert(struct vma_set *set, struct vm_area_struct *vma)
{
	struct vm_area_struct *next = find_vma(set, vma->vm_start);

	if (vma->vm_start >= vma->vm_end)
		return -EINVAL;
	if (next && next->vm_start < vma->vm_end)
		return -EEXIST;
	/* Before @next, or at the tail when nothing ends above vm_start. */
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &set->head);
	set->nr++;
	set->total_pages += vma_pages(vma);
	return 0;
}

void vma_remove(struct vma_set *set, struct vm_area_struct *vma)
{
	list_del(&vma->vm_list);
	set->nr--;
	set->total_pages -= vma_pages(vma);
}

/* Copy what a split keeps identical (everything but the range and the link). */
static void vma_copy_attrs(struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	dst->vm_flags = src->vm_flags;
	dst->vm_mm = src->vm_mm;
	dst->vm_pgoff = src->vm_pgoff;
	dst->vm_ops = src->vm_ops; /* both halves are of the same kind */
	dst->vm_private_data = src->vm_private_data;
	if (dst->vm_ops && dst->vm_ops->open)
		dst->vm_ops->open(dst); /* one more VMA of the kind (vm_area_free closes it) */
}

/* split_vma with a preallocated @new: cannot fail. */
static void __split_vma(struct vm_area_struct *vma, struct vm_area_struct *new, uintptr_t addr,
			bool new_below)
{
	unsigned long head_pages = (addr - vma->vm_start) / PAGE_SIZE;

	vma_copy_attrs(new, vma);
	if (new_below) {
		new->vm_start = vma->vm_start;
		new->vm_end = addr;
		vma->vm_start = addr;
		vma->vm_pgoff += head_pages;
		list_add_tail(&new->vm_list, &vma->vm_list); /* before vma */
	} else {
		new->vm_start = addr;
		new->vm_end = vma->vm_end;
		new->vm_pgoff += head_pages;
		vma->vm_end = addr;
		list_add(&new->vm_list, &vma->vm_list); /* after vma */
	}
}

struct vm_area_struct *split_vma(struct vma_set *set, struct vm_area_struct *vma, uintptr_t addr,
				 bool new_below)
{
	struct vm_area_struct *new;

	if (addr <= vma->vm_start || addr >= vma->vm_end || (addr & (PAGE_SIZE - 1)))
		return NULL;
	new = vm_area_alloc(vma->vm_mm);
	if (!new)
		return NULL;
	__split_vma(vma, new, addr, new_below);
	set->nr++; /* total_pages unchanged: the same range, in two */
	return new;
}

bool vma_can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags && a->vm_mm == b->vm_mm &&
	       !(a->vm_flags & VM_SPECIAL) && a->vm_ops == b->vm_ops &&
	       a->vm_private_data == b->vm_private_data &&
	       a->vm_pgoff + vma_pages(a) == b->vm_pgoff;
}

/* Absorb @next into @vma (adjacent, compatible); frees @next. */
static void vma_absorb_next(struct vma_set *set, struct vm_area_struct *vma,
			    struct vm_area_struct *next)
{
	vma->vm_end = next->vm_end;
	list_del(&next->vm_list);
	set->nr--;
	vm_area_free(next);
}

struct vm_area_struct *vma_merge_neighbours(struct vma_set *set, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(set, vma);
	struct vm_area_struct *next = vma_next(set, vma);

	if (next && vma_can_merge(vma, next))
		vma_absorb_next(set, vma, next);
	if (prev && vma_can_merge(prev, vma)) {
		vma_absorb_next(set, prev, vma);
		vma = prev;
	}
	return vma;
}

/*
 * Make [start, end) a whole number of VMAs: split the one straddling
 * @start and the one straddling @end, with VMAs allocated up front so
 * that either both splits happen or neither (-ENOMEM).
 */
static int vma_isolate_range(struct vma_set *set, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *first = find_vma(set, start);
	struct vm_area_struct *last = find_vma(set, end - 1);
	struct vm_area_struct *spare[2] = {NULL, NULL};
	bool split_first = first && first->vm_start < start && first->vm_end > start;
	bool split_last = last && last->vm_start < end && last->vm_end > end;

	if (split_first && !(spare[0] = vm_area_alloc(first->vm_mm)))
		return -ENOMEM;
	if (split_last && !(spare[1] = vm_area_alloc(last->vm_mm))) {
		if (spare[0])
			vm_area_free(spare[0]);
		return -ENOMEM;
	}
	if (split_first) {
		__split_vma(first, spare[0], start, true); /* keeps @first as the upper part */
		set->nr++;
	}
	if (split_last) {
		__split_vma(last, spare[1], end, false); /* keeps @last as the lower part */
		set->nr++;
	}
	return 0;
}

int vma_unmap_range(struct vma_set *set, uintptr_t start, uintptr_t end, vma_range_fn zap,
		    void *arg)
{
	struct vm_area_struct *vma, *next;
	int err;

	if (!find_vma_intersection(set, start, end))
		return 0;
	err = vma_isolate_range(set, start, end);
	if (err)
		return err;
	for (vma = find_vma(set, start); vma && vma->vm_start < end; vma = next) {
		next = vma_next(set, vma);
		if (zap)
			zap(vma, arg);
		vma_remove(set, vma);
		vm_area_free(vma);
	}
	return 0;
}

bool vma_range_mapped(struct vma_set *set, uintptr_t start, uintptr_t end)
{
	struct vm_area_struct *vma = find_vma(set, start);
	uintptr_t covered = start;

	for (; vma && vma->vm_start <= covered && covered < end; vma = vma_next(set, vma))
		covered = vma->vm_end;
	return covered >= end;
}

int vma_change_flags(struct vma_set *set, uintptr_t start, uintptr_t end, unsigned long clear,
		     unsigned long set_bits, vma_range_fn fn, void *arg)
{
	struct vm_area_struct *vma, *next;
	int err;

	if (!vma_range_mapped(set, start, end))
		return -ENOMEM;
	err = vma_isolate_range(set, start, end);
	if (err)
		return err;
	for (vma = find_vma(set, start); vma && vma->vm_start < end; vma = vma_next(set, vma)) {
		vma->vm_flags = (vma->vm_flags & ~clear) | set_bits;
		if (fn)
			fn(vma, arg);
	}
	/* Merge what became compatible: from the VMA before the range to the one after. */
	vma = find_vma(set, start ? start - 1 : 0);
	while (vma && vma->vm_start <= end) {
		next = vma_next(set, vma);
		if (next && vma_can_merge(vma, next))
			vma_absorb_next(set, vma, next);
		else
			vma = next;
	}
	return 0;
}

uintptr_t vma_get_unmapped_area(struct vma_set *set, size_t len, uintptr_t low, uintptr_t high)
{
	struct vm_area_struct *vma;
	uintptr_t gap_end = high;

	if (!len || len > high - low)
		return 0;
	/* Walk down from the top: each gap is [this VMA's end, gap_end). */
	for (vma = list_empty(&set->head)
		       ? NULL
		       : list_entry(set->head.prev, struct vm_area_struct, vm_list);
	     vma; vma = vma_prev(set, vma)) {
		if (vma->vm_start >= gap_end)
			continue; /* wholly above the window */
		if (vma->vm_end <= gap_end && gap_end - vma->vm_end >= len)
			break;
		gap_end = vma->vm_start;
		if (gap_end < low || gap_end - low < len)
			return 0;
	}
	return (gap_end >= low && gap_end - low >= len) ? gap_end - len : 0;
}

int user_range_check(uintptr_t addr, size_t len, uintptr_t *end)
{
	size_t aligned;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return -EINVAL;
	aligned = (len + (PAGE_SIZE - 1)) & ~(PAGE_SIZE - 1);
	if (aligned < len)
		return -ENOMEM; /* Linux: PAGE_ALIGN(len) wrapped to 0 */
	if (addr + aligned < addr)
		return -EINVAL; /* wrap-around */
	if (addr + aligned > TASK_SIZE)
		return -ENOMEM;
	*end = addr + aligned;
	return 0;
}

long calc_vm_prot_bits(int prot)
{
	long vm = 0;

	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -1;
	if (prot & PROT_READ)
		vm |= VM_READ;
	if (prot & PROT_WRITE)
		vm |= VM_WRITE;
	if (prot & PROT_EXEC)
		vm |= VM_EXEC;
	return vm;
}

int mmap_check_flags(int prot, int flags)
{
	if (calc_vm_prot_bits(prot) < 0)
		return -EINVAL;
	switch (flags & MAP_TYPE) {
	case MAP_PRIVATE:
		break;
	case MAP_SHARED:
	case MAP_SHARED_VALIDATE:
		if (flags & MAP_HUGETLB)
			return -EOPNOTSUPP; /* shared hugetlb: not implemented, said at run time */
		break; /* shared anonymous memory (mm/anon_shared.c); files: below */
	default:
		return -EINVAL;
	}
	/* Unknown bits: Linux ignores them for MAP_PRIVATE (only MAP_SHARED_VALIDATE checks). */
	if (!(flags & MAP_ANONYMOUS))
		return -EOPNOTSUPP; /* no files to map (the ramfs is read-only, not mmapable) */
	if (flags & MAP_GROWSDOWN)
		return -EOPNOTSUPP; /* stack growth is not implemented */
	return 0;
}
