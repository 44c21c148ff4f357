/*
 * Pinning device memory through /dev/daxR.N's ioctls (include/uapi/dax.h),
 * modelled on pin_user_pages_fast()/unpin_user_pages(): walk the caller's
 * page tables over a mapped range and take references on the struct pages
 * behind it, per 4 KiB page or per compound page, counting every refcount
 * write. What [martins-2020] measured (docs/references.md): with a head refcount, pinning 1 GiB is
 * 512 writes at align=2M and one at 1G instead of 262144.
 *
 * Why this is correct on a born-deduplicated vmemmap: a compound page's
 * refcount lives in its head only. Tails are read (compound_head() reads
 * the tail's mask, which the shared read-only tail page holds) and never
 * written: both modes write compound_head(page), and a head always sits
 * in the first vmemmap page of its compound page, which has a frame of its
 * own mapped read-write (devdax_vmemmap.c). At align=4K every page is its
 * own head, so both modes write each page once. A write to a shared tail
 * would fault (read-only): the devdax ktest checks that it never happens
 * by reading the shared tail page back unchanged.
 */
#include "arch/x86_64/uaccess.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "uapi/dax.h"
#include "mm/devmem.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"

/*
 * Outstanding pins in the system. Also what bounds a refcount: a pin adds
 * at most 2^18 to one head (a 1 GiB compound page), so 16 pins stay far
 * below INT_MAX.
 */
#define DAX_MAX_PINS 16
#define PIN_BUSY ((const void *)1) /* a slot being filled or released */

struct dax_pin_rec {
	const void *owner; /* the open file; NULL: slot free */
	struct dev_dax *d;
	unsigned long pfn, nr; /* contiguous device pfns it holds */
	unsigned int mode;
};

static struct dax_pin_rec pins[DAX_MAX_PINS];
static struct spinlock pin_lock;

static void ref_add(struct page *head, int n)
{
	__atomic_add_fetch(&head->_refcount, n, __ATOMIC_SEQ_CST);
}

/*
 * Add @sign to the references on pfns [pfn, pfn + nr): per 4 KiB page or
 * per compound page. Returns the refcount writes made.
 */
static unsigned long refs_apply(unsigned long pfn, unsigned long nr, unsigned int mode, int sign)
{
	unsigned long writes = 0, end = pfn + nr;

	while (pfn < end) {
		struct page *head = compound_head(pfn_to_page(pfn));
		unsigned long head_pfn = page_to_pfn(head);
		unsigned long n = MIN(end, head_pfn + (1UL << compound_order(head))) - pfn;

		if (mode == DAX_PIN_HEAD) {
			ref_add(head, sign * (int)n); /* folio_ref_add: one write */
			writes++;
		} else {
			for (unsigned long i = 0; i < n; i++)
				ref_add(head, sign); /* try_grab_compound_head(head, 1) */
			writes += n;
		}
		pfn += n;
	}
	return writes;
}

struct pin_walk {
	uintptr_t start, end;
	unsigned long next_pfn, done, writes;
	unsigned int mode;
};

/* One leaf of the walk: pin the part of it inside the range. */
static int pin_leaf(uintptr_t va, const struct mmu_mapping *m, void *arg)
{
	struct pin_walk *w = arg;
	uintptr_t lo = MAX(va, w->start), hi = MIN(va + pg_level_size(m->level), w->end);
	unsigned long pfn = PFN_DOWN(m->pa + (lo - va)), n = (hi - lo) >> PAGE_SHIFT;

	/* A hole: the VMA is mapped whole, so a bug; what was pinned is undone by the caller. */
	if (lo != w->start + (w->done << PAGE_SHIFT) || pfn != w->next_pfn)
		return -EFAULT;
	if (w->mode == DAX_PIN_HEAD && m->level != PG_LEVEL_4K) {
		/* A PMD or PUD leaf maps one whole compound page (its size is the align). */
		ref_add(compound_head(pfn_to_page(pfn)), (int)n); /* gup_huge_pmd's folio_ref_add */
		w->writes++;
	} else {
		w->writes += refs_apply(pfn, n, w->mode, 1);
	}
	w->done += n;
	w->next_pfn += n;
	return 0;
}

/* Claim a free slot (PIN_BUSY until set_owner), or NULL. */
static struct dax_pin_rec *rec_alloc(struct dev_dax *d)
{
	struct dax_pin_rec *r = NULL;

	spin_lock(&pin_lock);
	for (int i = 0; i < DAX_MAX_PINS && !r; i++)
		if (!pins[i].owner) {
			r = &pins[i];
			*r = (struct dax_pin_rec){.owner = PIN_BUSY, .d = d};
		}
	spin_unlock(&pin_lock);
	return r;
}

/*
 * The range must be inside one readable mapping of @d (else -EFAULT, as
 * GUP answers for an address it cannot pin). The mm lock keeps the leaves
 * in place while the walk reads them.
 */
static int pin_range(struct dev_dax *d, struct mm_struct *mm, struct dax_pin *a,
		     struct dax_pin_rec *r)
{
	struct vm_area_struct *vma;
	struct pin_walk w = {a->addr, a->addr + a->len, 0, 0, 0, a->mode};
	int ret = -EFAULT;

	mm_lock(mm);
	vma = find_vma(&mm->vmas, w.start);
	if (vma && vma->vm_start <= w.start && w.end <= vma->vm_end && vma_is_devdax(vma) &&
	    vma->vm_private_data == d && (vma->vm_flags & VM_ACCESS_FLAGS)) {
		w.next_pfn =
		    PFN_DOWN(d->start) + vma->vm_pgoff + ((w.start - vma->vm_start) >> PAGE_SHIFT);
		ret = arch_mmu_user_walk(mm->pgd, w.start, w.end, pin_leaf, &w, NULL);
		if (!ret && w.done != a->len >> PAGE_SHIFT)
			ret = -EFAULT;
		if (ret) /* give back what was taken: contiguous, so one call */
			refs_apply(w.next_pfn - w.done, w.done, w.mode, -1);
	}
	mm_unlock(mm);
	if (ret)
		return ret;
	r->pfn = w.next_pfn - w.done;
	r->nr = w.done;
	r->mode = a->mode;
	a->nr_pages = w.done;
	a->refcount_writes = w.writes;
	return 0;
}

static void set_owner(struct dax_pin_rec *r, const void *owner)
{
	spin_lock(&pin_lock);
	r->owner = owner;
	spin_unlock(&pin_lock);
}

/* Claim @owner's slot @r for release: true if it was @owner's (now PIN_BUSY). */
static bool rec_claim(struct dax_pin_rec *r, const void *owner)
{
	bool mine;

	spin_lock(&pin_lock);
	mine = r->owner == owner;
	if (mine)
		r->owner = PIN_BUSY;
	spin_unlock(&pin_lock);
	return mine;
}

long devdax_pin(struct dev_dax *d, const void *owner, struct mm_struct *mm, struct dax_pin *a)
{
	struct dax_pin_rec *r;
	int ret;

	if (a->mode != DAX_PIN_PAGE && a->mode != DAX_PIN_HEAD)
		return -EINVAL;
	if (!a->len || (a->addr | a->len) & (PAGE_SIZE - 1) || a->addr + a->len < a->addr)
		return -EINVAL;
	r = rec_alloc(d);
	if (!r)
		return -ENOSPC; /* DAX_MAX_PINS outstanding: unpin first */
	ret = pin_range(d, mm, a, r);
	if (ret) {
		set_owner(r, NULL);
		return ret;
	}
	a->handle = (uint32_t)(r - pins);
	devdax_count(d, &d->nr_pins, 1);
	devdax_count(d, &d->pinned_pages, (long)r->nr);
	set_owner(r, owner);
	return 0;
}

/*
 * Drop the claimed pin @r (no page-table walk: it holds its pfns, as
 * unpin_user_pages holds its pages), then free the slot.
 */
static unsigned long rec_release(struct dax_pin_rec *r)
{
	unsigned long writes = refs_apply(r->pfn, r->nr, r->mode, -1);

	devdax_count(r->d, &r->d->pinned_pages, -(long)r->nr);
	devdax_count(r->d, &r->d->nr_pins, -1);
	set_owner(r, NULL);
	return writes;
}

long devdax_unpin(const void *owner, struct dax_pin *a)
{
	struct dax_pin_rec *r;

	if (a->handle >= DAX_MAX_PINS)
		return -EINVAL;
	r = &pins[a->handle];
	if (!rec_claim(r, owner))
		return -EINVAL; /* not a pin of this file */
	a->nr_pages = r->nr;
	a->mode = r->mode;
	a->refcount_writes = rec_release(r);
	return 0;
}

long devdax_ioctl(struct dev_dax *d, const void *owner, struct mm_struct *mm, unsigned long cmd,
		  uintptr_t uarg)
{
	struct dax_pin a;
	long ret;

	if (cmd != DAX_IOC_PIN && cmd != DAX_IOC_UNPIN)
		return -ENOTTY;
	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	ret = cmd == DAX_IOC_PIN ? devdax_pin(d, owner, mm, &a) : devdax_unpin(owner, &a);
	if (!ret && copy_to_user(uarg, &a, sizeof(a)))
		ret = -EFAULT; /* a pin stays: its owner's close releases it */
	return ret;
}

void devdax_pin_release(const void *owner)
{
	for (int i = 0; i < DAX_MAX_PINS; i++)
		if (rec_claim(&pins[i], owner))
			rec_release(&pins[i]);
}
