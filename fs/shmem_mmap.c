/*
 * mmap of tmpfs and memfd files: a VMA kind of its own (shmem_vm_ops,
 * mm/vm_ops.h) whose faults map page-cache pages, and the reverse map
 * (Linux's i_mmap) that lets truncate and punch-hole unmap a page from
 * every process that maps it. MAP_SHARED maps the cache's page itself;
 * MAP_PRIVATE maps it read-only and copies it into an anonymous page on
 * the first write (Linux's do_cow_fault/wp_page_copy). Each VMA holds a
 * reference to its inode, so an unlinked file lives while mapped.
 *
 * The reverse map is per (inode, mm), not per VMA: splits and merges
 * change VMAs under the mm's lock without the file's, so each mm that maps
 * the file has one entry counting its VMAs of it (vm_ops open when a VMA
 * is copied, close when one is freed), and unmap_mapping_pages walks that
 * mm's VMAs under its own lock.
 */
#include "fs/internal.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "task/task.h"
#include "uapi/mman.h"

#define MAX_MAPPING_MMS NR_TASKS /* processes that may map one file at once */

/*
 * One mm that maps an inode, with how many of its VMAs do. An inode's
 * entries are one array of MAX_MAPPING_MMS (under i_mmap_lock), made at
 * its first mmap, so a VMA that appears later (a split, fork's copy) never
 * allocates: only an mm with a VMA of the file has an entry, and there are
 * never more such mms than task slots.
 */
struct shmem_rmap {
	struct mm_struct *mm; /* NULL: a free slot; else mmgrab'd while the entry lives */
	int nr_vmas;
};

const struct vm_operations_struct shmem_vm_ops;

/* Give @inode its entries (first mmap): 0 or -ENOMEM. */
static int rmap_alloc(struct inode *inode)
{
	struct page *page;

	if (READ_ONCE(inode->i_rmap))
		return 0;
	_Static_assert(MAX_MAPPING_MMS * sizeof(struct shmem_rmap) <= PAGE_SIZE, "one page");
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		return -ENOMEM;
	spin_lock(&inode->i_mmap_lock);
	if (!inode->i_rmap) {
		inode->i_rmap = page_address(page);
		page = NULL;
	}
	spin_unlock(&inode->i_mmap_lock);
	if (page)
		__free_pages(page, 0); /* another mmap made them first */
	return 0;
}

void shmem_rmap_free(struct inode *inode)
{
	if (inode->i_rmap)
		__free_pages(
		    pfn_to_page(((uintptr_t)inode->i_rmap - direct_map_base) >> PAGE_SHIFT), 0);
}

/* A VMA of @inode appears in @mm (rmap_alloc ran): its inode reference and its count. */
static void rmap_get(struct inode *inode, struct mm_struct *mm)
{
	struct shmem_rmap *r = inode->i_rmap, *slot = NULL;

	spin_lock(&inode->i_mmap_lock);
	for (int i = 0; i < MAX_MAPPING_MMS && !(slot && slot->mm == mm); i++)
		if (r[i].mm == mm || (!slot && !r[i].mm))
			slot = &r[i];
	BUG_ON(!slot); /* more mms than task slots map it: impossible */
	if (!slot->mm) {
		slot->mm = mm;
		mmgrab(mm);
	}
	slot->nr_vmas++;
	spin_unlock(&inode->i_mmap_lock);
	ihold(inode);
}

static void rmap_put(struct inode *inode, struct mm_struct *mm)
{
	struct shmem_rmap *r = inode->i_rmap;
	struct mm_struct *gone = NULL;

	spin_lock(&inode->i_mmap_lock);
	for (int i = 0; i < MAX_MAPPING_MMS; i++) {
		if (r[i].mm == mm) {
			if (--r[i].nr_vmas == 0) {
				gone = mm;
				r[i].mm = NULL;
			}
			break;
		}
	}
	spin_unlock(&inode->i_mmap_lock);
	if (gone)
		mmdrop(gone); /* never the last: the VMA's mm is alive (its lock is held) */
	iput(inode);
}

/* A split's new half, or fork's copy in the child's mm: nothing to allocate. */
static void shmem_vma_open(struct vm_area_struct *vma)
{
	rmap_get(vma->vm_private_data, vma->vm_mm);
}

static void shmem_vma_close(struct vm_area_struct *vma)
{
	rmap_put(vma->vm_private_data, vma->vm_mm);
}

static unsigned long linear_page_index(const struct vm_area_struct *vma, uintptr_t addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

static unsigned int leaf_prot(const struct vm_area_struct *vma)
{
	unsigned int prot = vm_flags_to_mmu_prot(vma->vm_flags);

	return (vma->vm_flags & VM_SHARED) ? prot : prot & ~MMU_WRITE;
}

/* A private mapping's own copy of @src at @addr (a not-present leaf): 0 or -ENOMEM. */
static int map_private_copy(struct vm_area_struct *vma, uintptr_t addr, struct page *src)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = alloc_page(GFP_USER_ANON);
	int err;

	if (!page)
		return -ENOMEM;
	memcpy(page_address(page), page_address(src), PAGE_SIZE);
	err = arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(page_to_pfn(page)),
				vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages);
	if (err) {
		__free_page(page);
		return err;
	}
	page_add_new_anon_rmap(page);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	return 0;
}

/*
 * A not-present leaf: the file's page at that offset (a new zeroed one for
 * a hole), mapped with a reference and a mapcount; a write fault of a
 * private mapping maps its own copy at once. Past the end of the file:
 * -EIO, which the fault path makes SIGBUS (BUS_ADRERR), as Linux's
 * VM_FAULT_SIGBUS. A page being unmapped by a truncate or punch is
 * not mapped again: 0, and the access faults again once it is done.
 */
static int shmem_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags)
{
	struct inode *inode = vma->vm_private_data;
	struct address_space *m = &inode->i_mapping;
	unsigned long index = linear_page_index(vma, addr);
	struct page *page = NULL;
	int err;

	spin_lock(&m->tree_lock);
	if (index >= (inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT)
		err = -EIO;
	else if (index >= m->unmap_start && index < m->unmap_end)
		err = 0; /* retried by the access */
	else
		err = (page = find_or_create_page(m, index)) ? 0 : -ENOMEM;
	if (page)
		get_page(page);
	spin_unlock(&m->tree_lock);
	if (!page)
		return err;
	if (!(vma->vm_flags & VM_SHARED) && (flags & FAULT_FLAG_WRITE)) {
		err = map_private_copy(vma, addr, page);
		put_page(page);
		return err;
	}
	err = arch_mmu_user_map(vma->vm_mm->pgd, addr, PFN_PHYS(page_to_pfn(page)), leaf_prot(vma),
				&vma->vm_mm->pgtables_pages);
	if (err) {
		put_page(page);
		return err;
	}
	page_dup_rmap(page); /* -1 -> 0 for the first mapping: Linux's bias */
	add_mm_counter(vma->vm_mm, MM_SHMEMPAGES, 1);
	return 0;
}

/*
 * A write to a read-only leaf of a private mapping. Our own copy that a
 * fork still shares is anonymous memory's case (do_wp_page: reuse it if
 * no one else holds it, else copy). A file page is copied: the old
 * leaf is cleared and flushed from every CPU of the mm before the copy is
 * mapped (Linux's ptep_clear_flush in wp_page_copy): until then another
 * thread could still read the file page through a cached translation
 * after this one wrote the copy, and see the write vanish.
 */
static int shmem_wp_fault(struct vm_area_struct *vma, uintptr_t addr, const struct mmu_mapping *m)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *old = pfn_to_page(PFN_DOWN(m->pa));
	struct mmu_gather tlb;
	int err;

	if (vma->vm_flags & VM_SHARED)
		return -EFAULT; /* a shared file page is mapped writable: never here */
	if (page_purpose(old) != PURPOSE_SHMEM) /* our copy, shared with a fork */
		return do_wp_page(vma, addr, m->pa);
	get_page(old); /* the copy's source, until it is made */
	arch_mmu_user_unmap(mm->pgd, addr);
	page_remove_rmap(old);
	add_mm_counter(mm, MM_SHMEMPAGES, -1);
	tlb_gather_mmu(&tlb, mm);
	tlb_flush_range_add(&tlb, addr, addr + PAGE_SIZE);
	tlb_remove_page(&tlb, old); /* the mapping's reference; the cache and we hold more */
	tlb_finish_mmu(&tlb);
	err = map_private_copy(vma, addr, old); /* -ENOMEM: the leaf is gone, a retry refaults */
	put_page(old);
	return err;
}

struct zap_args {
	struct mmu_gather *tlb;
	struct mm_struct *mm;
	unsigned long nr; /* leaves cleared */
};

static int zap_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct zap_args *z = arg;
	struct page *page = pfn_to_page(PFN_DOWN(m->pa));
	bool file = page_purpose(page) == PURPOSE_SHMEM;

	BUG_ON(m->level != PG_LEVEL_4K || !arch_mmu_user_unmap(z->mm->pgd, va));
	page_remove_rmap(page);
	add_mm_counter(z->mm, file ? MM_SHMEMPAGES : MM_ANONPAGES, -1);
	/*
	 * Never page->lru for a page another holder may be unmapping at this
	 * moment (a file page is in the cache and maybe in other mms'
	 * gathers): tlb_remove_page links only a page this mapping alone
	 * holds and keeps the others in the gather's array. It may flush
	 * early, so this leaf's address is in the range first. A written
	 * file page makes Linux's flush on leaving its table.
	 */
	tlb_flush_range_add(z->tlb, va, va + PAGE_SIZE);
	tlb_remove_file_page(z->tlb, page, va, file && (m->prot & MMU_WRITE));
	z->nr++;
	return 0;
}

static unsigned long zap_range(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
			       uintptr_t end)
{
	struct zap_args z = {tlb, vma->vm_mm, 0};

	arch_mmu_user_walk(vma->vm_mm->pgd, start, end, zap_one, &z, NULL);
	if (z.nr)
		tlb_flush_range_add(tlb, start, end);
	tlb_end_file_zap(tlb); /* the last table's dirty pages */
	return z.nr;
}

/* munmap, exit, MADV_DONTNEED: the leaves go; the file keeps its pages. */
static int shmem_zap(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		     uintptr_t end, bool final)
{
	zap_range(tlb, vma, start, end);
	return 0;
}

struct protect_args {
	struct vm_area_struct *vma;
};

static int protect_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct vm_area_struct *vma = ((struct protect_args *)arg)->vma;
	struct page *page = pfn_to_page(PFN_DOWN(m->pa));
	unsigned int prot = leaf_prot(vma);

	if (page_purpose(page) != PURPOSE_SHMEM) /* a copy a fork still shares stays read-only */
		prot = cow_leaf_prot(true, m->pa, vm_flags_to_mmu_prot(vma->vm_flags));
	arch_mmu_user_protect(vma->vm_mm->pgd, va, prot);
	return 0;
}

static void shmem_change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma)
{
	struct protect_args p = {vma};

	arch_mmu_user_walk(vma->vm_mm->pgd, vma->vm_start, vma->vm_end, protect_one, &p, NULL);
	tlb_flush_range_add(tlb, vma->vm_start, vma->vm_end);
}

/* Linux's mprotect: write only where the mmap could have asked for it (VM_MAYWRITE). */
static int shmem_mprotect(struct vm_area_struct *vma, uintptr_t start, uintptr_t end,
			  unsigned long newflags)
{
	return (newflags & VM_WRITE) && !(vma->vm_flags & VM_MAYWRITE) ? -EACCES : 0;
}

/* No THP of file pages here: the huge-page advices are refused, as for a non-THP tmpfs. */
static int shmem_madvise(struct vm_area_struct *vma, int advice)
{
	return advice == MADV_HUGEPAGE || advice == MADV_COLLAPSE ? -EINVAL : 0;
}

/* MADV_REMOVE: a punch-hole of the file (Linux: vfs_fallocate), for shared writable mappings. */
static int shmem_remove_prepare(struct vm_area_struct *vma, uintptr_t start, void **obj,
				uint64_t *off)
{
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	ihold(vma->vm_private_data);
	*obj = vma->vm_private_data;
	*off = ((uint64_t)vma->vm_pgoff << PAGE_SHIFT) + (start - vma->vm_start);
	return 0;
}

static int shmem_remove(void *obj, uint64_t off, uint64_t len)
{
	int err = tmpfs_fallocate(obj, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len);

	iput(obj);
	return err;
}

/*
 * fork's copy. A shared mapping copies no leaf: the child's VMA joins the
 * reverse map and faults the cache's pages in as it touches them, which
 * is Linux's choice too (vma_needs_copy: a file VMA without anonymous
 * pages is left to the fault path), and so fork makes no flush for it.
 * A private mapping copies its leaves, as Linux's does once it has
 * anonymous pages: the file's pages stay read-only in both, and the
 * copies written so far are shared copy-on-write like anonymous memory
 * (read-only in both, one flush of the parent at the end of fork;
 * shmem_wp_fault copies or reuses them at the next write).
 */
static int shmem_dup(struct fork_copy *c, struct vm_area_struct *dst, struct vm_area_struct *src)
{
	shmem_vma_open(dst); /* before any leaf: a failed fork's teardown closes it */
	if (src->vm_flags & VM_SHARED)
		return 0;
	c->cow = true;
	return copy_present_leaves(c, src);
}

const struct vm_operations_struct shmem_vm_ops = {
    .name = "shmem",
    .fault = shmem_fault,
    .wp_fault = shmem_wp_fault,
    .zap = shmem_zap,
    .mprotect = shmem_mprotect,
    .change_protection = shmem_change_protection,
    .madvise = shmem_madvise,
    .open = shmem_vma_open,
    .close = shmem_vma_close,
    .dup = shmem_dup,
    .remove_prepare = shmem_remove_prepare,
    .remove = shmem_remove,
};

long shmem_mmap(struct mm_struct *mm, struct inode *inode, bool writable, uintptr_t addr,
		size_t len, int prot, int flags, uint64_t off, uintptr_t *out)
{
	bool shared = (flags & MAP_TYPE) == MAP_SHARED || (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
	long vm_prot = calc_vm_prot_bits(prot);
	struct vm_area_desc desc = {
	    .align = PAGE_SIZE, .vm_ops = &shmem_vm_ops, .private_data = inode};
	long err;

	if (!len)
		return -EINVAL;
	if (len > TASK_SIZE || ((len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) < len)
		return -ENOMEM;
	desc.len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (vm_prot < 0 || (!shared && (flags & MAP_TYPE) != MAP_PRIVATE) ||
	    (flags & (MAP_HUGETLB | MAP_GROWSDOWN)))
		return -EINVAL;
	if (shared && (prot & PROT_WRITE) && !writable)
		return -EACCES; /* Linux: a shared writable mapping needs an fd open for writing */
	if ((off >> PAGE_SHIFT) + (desc.len >> PAGE_SHIFT) > PAGE_CACHE_MAX_PAGES)
		return -EOVERFLOW;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if ((flags & MAP_FIXED) && ((addr & (PAGE_SIZE - 1)) || addr > TASK_SIZE - desc.len))
		return addr & (PAGE_SIZE - 1) ? -EINVAL : -ENOMEM;
	desc.pgoff = off >> PAGE_SHIFT;
	desc.vm_flags = (unsigned long)vm_prot | VM_MAYREAD | VM_MAYEXEC |
			(shared ? VM_SHARED | VM_MAYSHARE : 0) |
			(writable || !shared ? VM_MAYWRITE : 0);
	err = rmap_alloc(inode);
	if (err)
		return err;
	rmap_get(inode, mm); /* before: a merge into a neighbour closes it again */
	err = mmap_region(mm, &desc, &addr, flags);
	if (err) {
		rmap_put(inode, mm);
		return err;
	}
	*out = addr;
	return 0;
}

/* The rmap's mms, each grabbed, into @mms: how many. */
static int collect_mms(struct inode *inode, struct mm_struct **mms)
{
	struct shmem_rmap *r = inode->i_rmap;
	int n = 0;

	spin_lock(&inode->i_mmap_lock);
	for (int i = 0; r && i < MAX_MAPPING_MMS; i++) {
		if (r[i].mm) {
			mmgrab(r[i].mm);
			mms[n++] = r[i].mm;
		}
	}
	spin_unlock(&inode->i_mmap_lock);
	return n;
}

/*
 * Truncate and punch-hole: clear every leaf that maps a page of [first,
 * last) of @inode, in every mm, anonymous copies of private mappings
 * included (Linux's even_cows for truncate), each mm flushed once, under
 * FLUSH_SHMEM_UNMAP, on the CPUs of its mm_cpumask (tlb_finish_mmu, which
 * puts the mappings' page references only after that flush).
 *
 * Why the flush, and why before the free (SDM vol. 3A 4.10.4.1 and
 * 4.10.4.3; AMD APM vol. 2, 5.5.3): clearing a present 4 KiB leaf does
 * not remove the translation from any TLB that cached it, and every CPU
 * in the mm's mask may have (a thread running there touched the page, or
 * speculation did, 4.10.2.3). Until each has executed INVLPG (or a CR3
 * load without PCID, or an INVPCID of the PCID) it may still read and
 * write the frame. The truncate's caller still holds the page cache's
 * reference to every page of the range (it deletes them from the cache
 * only after this returns), and each mapping's reference is put only
 * after its mm's flush: so no page of the range can go back to the
 * allocator, and be reused, while a CPU may still hold a translation to
 * it. Lazy CPUs that hold the mm are skipped as for any user flush that
 * frees no table: they flush when they switch back into it
 * (smp/tlb_mm.c). Returns the flushes made (mms that had a leaf there).
 */
unsigned long unmap_mapping_pages(struct inode *inode, unsigned long first, unsigned long last)
{
	struct mm_struct *mms[MAX_MAPPING_MMS];
	int n = collect_mms(inode, mms);
	unsigned long flushes = 0;

	for (int i = 0; i < n; i++) {
		struct mm_struct *mm = mms[i];
		struct vm_area_struct *vma;
		struct mmu_gather tlb;
		unsigned long nr = 0;

		mm_lock(mm);
		tlb_gather_mmu(&tlb, mm);
		tlb.cause = FLUSH_SHMEM_UNMAP;
		for_each_vma(&mm->vmas, vma)
		{
			unsigned long lo = MAX(first, vma->vm_pgoff);
			unsigned long hi = MIN(last, vma->vm_pgoff + vma_pages(vma));

			if (vma->vm_ops != &shmem_vm_ops || vma->vm_private_data != inode ||
			    lo >= hi)
				continue;
			nr += zap_range(&tlb, vma,
					vma->vm_start + ((lo - vma->vm_pgoff) << PAGE_SHIFT),
					vma->vm_start + ((hi - vma->vm_pgoff) << PAGE_SHIFT));
		}
		tlb_finish_mmu(&tlb);
		mm_unlock(mm);
		mmdrop(mm);
		flushes += nr != 0;
	}
	return flushes;
}
