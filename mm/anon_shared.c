/*
 * Shared anonymous memory, MAP_SHARED | MAP_ANONYMOUS: one object of
 * pages per mmap (Linux backs it by a shmem file, shmem_zero_setup; here
 * a page array until a tmpfs page cache can take its place). Every VMA
 * that maps the object, in any process (fork keeps the mapping, a split
 * makes two), holds a reference (vm_ops open/close); the object holds one
 * reference on each of its pages and each leaf another, with a mapcount.
 * So fork shares the pages themselves: no copy-on-write, no write-protect
 * flush; a page faulted in by one process is the page the other finds.
 * MADV_DONTNEED drops the leaves, and the next fault finds the same page.
 * The object's size is the mmap's: an access past it (after an mremap
 * grew the mapping) is SIGBUS, as on Linux (-EIO from the fault).
 */
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vm_ops.h"

struct anon_shared {
	int refs;		/* VMAs that map it, in every mm */
	unsigned long nr_pages; /* the size at mmap */
	struct spinlock lock;	/* pages[]: two mms may fault the same hole */
	struct page **pages;	/* NULL: a hole, filled at the first fault */
	struct page *array;	/* the pages holding pages[] */
	unsigned int array_order;
};

static struct kmem_cache anon_shared_cachep =
    KMEM_CACHE_INIT(anon_shared_cachep, "anon_shared", sizeof(struct anon_shared));

void *anon_shared_create(size_t len)
{
	unsigned long nr = len >> PAGE_SHIFT, bytes = nr * sizeof(struct page *);
	unsigned int order = 0;
	struct anon_shared *obj;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	if (order > MAX_PAGE_ORDER)
		return NULL; /* more than 2 GiB in one mapping: -ENOMEM */
	obj = kmem_cache_zalloc(&anon_shared_cachep);
	if (!obj)
		return NULL;
	obj->array = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!obj->array) {
		kmem_cache_free(&anon_shared_cachep, obj);
		return NULL;
	}
	obj->array_order = order;
	obj->pages = page_address(obj->array);
	obj->nr_pages = nr;
	obj->refs = 1; /* the VMA mmap makes */
	spin_lock_init(&obj->lock);
	return obj;
}

void anon_shared_put(void *data)
{
	struct anon_shared *obj = data;

	if (__atomic_sub_fetch(&obj->refs, 1, __ATOMIC_SEQ_CST))
		return;
	/* No VMA maps it: every leaf was zapped, a gather may still hold its own references. */
	for (unsigned long i = 0; i < obj->nr_pages; i++)
		if (obj->pages[i])
			put_anon_page(obj->pages[i]);
	__free_pages(obj->array, obj->array_order);
	kmem_cache_free(&anon_shared_cachep, obj);
}

static void shared_open(struct vm_area_struct *vma)
{
	struct anon_shared *obj = vma->vm_private_data;

	__atomic_add_fetch(&obj->refs, 1, __ATOMIC_SEQ_CST);
}

static void shared_close(struct vm_area_struct *vma)
{
	anon_shared_put(vma->vm_private_data);
}

/* The object's page for @addr, allocated for a hole; NULL: past the end, or no memory. */
static struct page *shared_page(struct vm_area_struct *vma, uintptr_t addr, int *err)
{
	struct anon_shared *obj = vma->vm_private_data;
	unsigned long idx = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct page *page, *fresh = NULL;

	*err = -EIO; /* SIGBUS */
	if (idx >= obj->nr_pages)
		return NULL;
	if (!READ_ONCE(obj->pages[idx]) && !(fresh = alloc_page(GFP_USER_ANON))) {
		*err = -ENOMEM;
		return NULL;
	}
	spin_lock(&obj->lock);
	page = obj->pages[idx];
	if (!page) {
		page = obj->pages[idx] = fresh; /* the object's reference */
		fresh = NULL;
	}
	get_page(page); /* the leaf's */
	spin_unlock(&obj->lock);
	if (fresh)
		__free_page(fresh); /* another mm filled the hole first */
	return page;
}

static int shared_fault(struct vm_area_struct *vma, uintptr_t addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	int err;
	struct page *page = shared_page(vma, addr, &err);

	if (!page)
		return err;
	err = arch_mmu_user_map(mm->pgd, addr, PFN_PHYS(page_to_pfn(page)),
				vm_flags_to_mmu_prot(vma->vm_flags), &mm->pgtables_pages);
	if (err) {
		put_anon_page(page);
		return err;
	}
	page_dup_rmap(page);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
	return 0;
}

struct shared_walk {
	struct mmu_gather *tlb;
	struct mm_struct *mm;
	unsigned int prot;
};

static int zap_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct shared_walk *w = arg;
	struct page *page = pfn_to_page(PFN_DOWN(arch_mmu_user_unmap(w->mm->pgd, va)));

	page_remove_rmap(page);
	add_mm_counter(w->mm, MM_ANONPAGES, -1);
	tlb_flush_range_add(w->tlb, va, va + PAGE_SIZE); /* tlb_remove_page may flush early */
	/* The object holds it too: put after the flush; written shared memory is a file's. */
	tlb_remove_file_page(w->tlb, page, va, m->prot & MMU_WRITE);
	return 0;
}

static int shared_zap(struct mmu_gather *tlb, struct vm_area_struct *vma, uintptr_t start,
		      uintptr_t end, bool final)
{
	struct shared_walk w = {tlb, vma->vm_mm, 0};

	arch_mmu_user_walk(vma->vm_mm->pgd, start, end, zap_one, &w, NULL);
	tlb_flush_range_add(tlb, start, end);
	tlb_end_file_zap(tlb); /* the last table's dirty pages */
	return 0;
}

static int protect_one(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct shared_walk *w = arg;

	return arch_mmu_user_protect(w->mm->pgd, va, w->prot);
}

static void shared_change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma)
{
	struct shared_walk w = {tlb, vma->vm_mm, vm_flags_to_mmu_prot(vma->vm_flags)};

	arch_mmu_user_walk(vma->vm_mm->pgd, vma->vm_start, vma->vm_end, protect_one, &w, NULL);
	tlb_flush_range_add(tlb, vma->vm_start, vma->vm_end);
}

/* fork: the child's VMA is one more reference; its leaves map the same pages (anon_dup). */
static int shared_dup(struct fork_copy *c, struct vm_area_struct *dst, struct vm_area_struct *src)
{
	shared_open(dst);
	return anon_dup(c, dst, src); /* not a cow mapping: nothing made read-only */
}

const struct vm_operations_struct anon_shared_vm_ops = {
    .name = "anon_shared",
    .open = shared_open,
    .close = shared_close,
    .fault = shared_fault,
    .zap = shared_zap,
    .change_protection = shared_change_protection,
    .dup = shared_dup,
};
