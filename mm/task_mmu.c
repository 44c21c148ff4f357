/*
 * What /proc/PID/{maps,smaps,smaps_rollup,pagemap} say about an mm, in
 * Linux's formats (fs/proc/task_mmu.c: show_map_vma, show_smap,
 * pagemap_read), so tools written for Linux parse them unchanged. Each
 * holds the mm's lock while it reads the VMAs and page tables, so one
 * answer is one consistent state.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/huge_memory.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_mm.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"

/* Linux's [stack]: the VMA holding the first stack's top (exec maps it below STACK_TOP). */
static bool vma_is_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start < STACK_TOP && STACK_TOP <= vma->vm_end;
}

/*
 * One maps line, as Linux's show_map_vma prints it: the fields, one space,
 * and only when the mapping has a name, padding so it starts at column 74
 * (a nameless line keeps its trailing space, as Linux's does). No files
 * are mapped here, so device and inode are 00:00 0; a device-dax mapping's
 * offset is its physical address, as the device file's.
 */
static void show_map_vma(struct seq_buf *s, const struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	bool dax = vma_is_devdax(vma);
	size_t start = s->len;
	const char *name = NULL;
	int width;

	seq_printf(s, "%08lx-%08lx %c%c%c%c %08lx 00:00 0 ", vma->vm_start, vma->vm_end,
		   (f & VM_READ) ? 'r' : '-', (f & VM_WRITE) ? 'w' : '-', (f & VM_EXEC) ? 'x' : '-',
		   (f & VM_MAYSHARE) ? 's' : 'p', dax ? PFN_PHYS(vma->vm_pgoff) : 0UL);
	if (dax)
		name = devdax_vma_name(vma);
	else if (vma_is_stack(vma))
		name = "[stack]";
	if (name) {
		/* Linux's seq_setwidth(25 + 6 * 8 - 1), seq_pad: to column 72, a space */
		width = (int)(s->len - start) < 72 ? 72 - (int)(s->len - start) : 0;
		seq_printf(s, "%*s", width + 1, "");
		seq_printf(s, dax ? "/dev/%s" : "%s", name);
	}
	seq_puts(s, "\n");
}

int mm_show_maps(struct seq_buf *s, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	mm_lock(mm);
	for_each_vma(&mm->vmas, vma) show_map_vma(s, vma);
	mm_unlock(mm);
	return 0;
}

/* ---- smaps ---- */

struct mem_size_stats {
	const struct vm_area_struct *vma;
	unsigned long resident, pss_x4096; /* bytes; Pss in 1/4096 bytes, as Linux's PSS_SHIFT */
	unsigned long shared_dirty, private_clean, private_dirty;
	unsigned long anonymous, anon_thp, private_hugetlb, shared_hugetlb;
};

/*
 * Count one leaf. An anonymous page is dirty when its VMA is writable:
 * every page of its own was written (a read maps the shared zero page, and
 * the first write replaces it), and Linux's write fault marks its PTE
 * dirty. The zero page and a device-dax leaf are not counted, as Linux's
 * vm_normal_page finds no normal page behind either. A page mapped more
 * than once is shared.
 */
static int smaps_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct mem_size_stats *mss = arg;
	unsigned long size = pg_level_size(m->level);
	const struct page *page;
	int mapcount;

	if (vma_is_devdax(mss->vma) || is_zero_pfn(m->pa >> PAGE_SHIFT))
		return 0;
	if (mss->vma->vm_flags & VM_HUGETLB) {
		mss->private_hugetlb += size; /* no shared hugetlb mappings here */
		return 0;
	}
	page = pfn_to_page(m->pa >> PAGE_SHIFT);
	mapcount = m->level == PG_LEVEL_4K ? page_mapcount(page) : 1;
	mss->resident += size;
	mss->anonymous += size;
	if (m->level == PG_LEVEL_2M)
		mss->anon_thp += size;
	if (mapcount > 1) {
		mss->shared_dirty += size;
		mss->pss_x4096 += (size << 12) / (unsigned long)mapcount;
	} else {
		mss->pss_x4096 += size << 12;
		if (mss->vma->vm_flags & VM_WRITE)
			mss->private_dirty += size;
		else
			mss->private_clean += size;
	}
	return 0;
}

/* Linux's VmFlags mnemonics, by vm_flags bit; NULL where flushlab has no such flag. */
static const char *const vm_flag_names[32] = {
    [0] = "rd",	 [1] = "wr",  [2] = "ex",  [3] = "sh",	[4] = "mr",  [5] = "mw",
    [6] = "me",	 [7] = "ms",  [8] = "gd",  [10] = "pf", [13] = "lo", [14] = "io",
    [15] = "sr", [16] = "rr", [17] = "dc", [18] = "de", [20] = "ac", [21] = "nr",
    [22] = "ht", [28] = "mm", [29] = "hg", [30] = "nh",
};

static unsigned long vma_kernel_pagesize(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_HUGETLB)
		return huge_page_size(hstate_vma(vma));
	return PAGE_SIZE;
}

static void kb(struct seq_buf *s, const char *name, unsigned long bytes)
{
	seq_printf(s, "%-16s%8lu kB\n", name, bytes >> 10);
}

static void show_smap(struct seq_buf *s, struct mm_struct *mm, const struct vm_area_struct *vma)
{
	struct mem_size_stats mss = {.vma = vma};
	uintptr_t huge_start = ALIGN_UP(vma->vm_start, HPAGE_PMD_SIZE);
	bool thp_eligible = !(vma->vm_flags & VM_HUGETLB) && !vma_is_devdax(vma) &&
			    huge_start + HPAGE_PMD_SIZE <= vma->vm_end &&
			    thp_vma_allowable(vma, huge_start, true);

	arch_mmu_user_walk(mm->pgd, vma->vm_start, vma->vm_end, smaps_leaf, &mss, NULL);
	show_map_vma(s, vma);
	kb(s, "Size:", vma->vm_end - vma->vm_start);
	kb(s, "KernelPageSize:", vma_kernel_pagesize(vma));
	kb(s, "MMUPageSize:", vma_kernel_pagesize(vma));
	kb(s, "Rss:", mss.resident);
	kb(s, "Pss:", mss.pss_x4096 >> 12);
	kb(s, "Pss_Dirty:", (mss.pss_x4096 >> 12) - mss.private_clean);
	kb(s, "Shared_Clean:", 0);
	kb(s, "Shared_Dirty:", mss.shared_dirty);
	kb(s, "Private_Clean:", mss.private_clean);
	kb(s, "Private_Dirty:", mss.private_dirty);
	kb(s, "Anonymous:", mss.anonymous);
	kb(s, "KSM:", 0);      /* no KSM here */
	kb(s, "LazyFree:", 0); /* no MADV_FREE here */
	kb(s, "AnonHugePages:", mss.anon_thp);
	kb(s, "ShmemPmdMapped:", 0); /* no shmem here */
	kb(s, "FilePmdMapped:", 0);  /* no file mappings here */
	kb(s, "Shared_Hugetlb:", mss.shared_hugetlb);
	kb(s, "Private_Hugetlb:", mss.private_hugetlb);
	kb(s, "Swap:", 0); /* no swap here */
	kb(s, "SwapPss:", 0);
	kb(s, "Locked:", (vma->vm_flags & VM_LOCKED) ? mss.pss_x4096 >> 12 : 0);
	seq_printf(s, "THPeligible:    %d\nVmFlags: ", thp_eligible);
	for (int bit = 0; bit < 32; bit++)
		if ((vma->vm_flags & (1UL << bit)) && vm_flag_names[bit])
			seq_printf(s, "%s ", vm_flag_names[bit]);
	seq_puts(s, "\n");
}

int mm_show_smaps(struct seq_buf *s, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	mm_lock(mm);
	for_each_vma(&mm->vmas, vma) show_smap(s, mm, vma);
	mm_unlock(mm);
	return 0;
}

int mm_show_smaps_rollup(struct seq_buf *s, struct mm_struct *mm)
{
	struct vm_area_struct *first, *last;
	unsigned long rss, huge;

	mm_lock(mm);
	rss = get_mm_counter(mm, MM_ANONPAGES);
	huge = (unsigned long)mm->nr_pmd_huge_pte; /* one deposit per 2 MiB leaf (checked) */
	if (!list_empty(&mm->vmas.head)) {
		first = list_first_entry(&mm->vmas.head, struct vm_area_struct, vm_list);
		last = list_entry(mm->vmas.head.prev, struct vm_area_struct, vm_list);
		seq_printf(s, "%08lx-%08lx ---p 00000000 00:00 0%26s[rollup]\n", first->vm_start,
			   last->vm_end, "");
	}
	mm_unlock(mm);
	seq_printf(s, "%-16s%8lu kB\n%-16s%8lu kB\n%-16s%8lu kB\n", "Rss:", rss * 4,
		   "Anonymous:", rss * 4, "AnonHugePages:", huge * 2048);
	return 0;
}

/* ---- pagemap ---- */

#define PM_ENTRY_BYTES 8
#define PM_PFRAME_MASK ((1ULL << 55) - 1) /* bits 0-54 */
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_PRESENT (1ULL << 63)

/*
 * Linux's pagemap entry for @va: bit 63 present, bits 0-54 the frame
 * (Linux shows it to CAP_SYS_ADMIN only; every process here runs as
 * root, so every reader sees it), bit 56 a page this mm alone maps.
 * Soft-dirty (55), file/shared (61) and swap (62) are 0: no soft-dirty
 * tracking, no file pages, no swap here. A huge leaf gives the frame of
 * the 4 KiB piece @va falls in, as Linux's pagemap_pmd_range does.
 */
static uint64_t pagemap_entry(struct mm_struct *mm, uintptr_t va)
{
	struct vm_area_struct *vma = find_vma(&mm->vmas, va);
	struct mmu_mapping m;
	uint64_t e;

	if (!vma || va < vma->vm_start || arch_mmu_user_query(mm->pgd, va, &m))
		return 0;
	e = PM_PRESENT | ((m.pa >> PAGE_SHIFT) & PM_PFRAME_MASK);
	if (!vma_is_devdax(vma) && !(vma->vm_flags & VM_HUGETLB) &&
	    (m.level != PG_LEVEL_4K || page_mapcount(pfn_to_page(m.pa >> PAGE_SHIFT)) == 1))
		e |= PM_MMAP_EXCLUSIVE;
	return e;
}

long mm_read_pagemap(struct mm_struct *mm, char *buf, size_t count, uint64_t pos)
{
	uint64_t index = pos / PM_ENTRY_BYTES, n;

	if (pos % PM_ENTRY_BYTES || count % PM_ENTRY_BYTES)
		return -EINVAL; /* Linux's pagemap_read: whole entries only */
	if (index >= TASK_SIZE >> PAGE_SHIFT)
		return 0;
	n = MIN(count / PM_ENTRY_BYTES, (TASK_SIZE >> PAGE_SHIFT) - index);
	mm_lock(mm);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t e = pagemap_entry(mm, (uintptr_t)((index + i) << PAGE_SHIFT));

		memcpy(buf + i * PM_ENTRY_BYTES, &e, PM_ENTRY_BYTES);
	}
	mm_unlock(mm);
	return (long)(n * PM_ENTRY_BYTES);
}
