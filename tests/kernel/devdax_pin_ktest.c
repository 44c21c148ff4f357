/*
 * Device-dax user mappings and pins, in the kernel: an instance on the
 * simulated region (its bytes are never touched here: only page tables and
 * struct pages are) is mapped into a fresh mm with leaves of its align,
 * checked by mm_check_invariants, pinned per page and per head with exact
 * refcount-write counts, unpinned back to the same refcounts, and Linux's
 * errors are checked for bad mappings, cuts, pins and a busy destroy.
 */
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "uapi/dax.h"
#include "mm/devmem.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

#define MB (1UL << 20)

/* A device on the simulated region, whose region a test may map: a copy not marked simulated. */
struct dax_env {
	struct dev_dax *d;
	struct devmem_region *real, fake;
	struct mm_struct *mm;
	uintptr_t addr;
};

static int env_up(struct ktest *t, struct dax_env *e, uint64_t size, unsigned long align)
{
	struct devdax_create req = {.size = size, .align = align, .memmap = DAX_MEMMAP_DEDUP};

	req.region = -1;
	for (int i = 0; i < devmem_nr_regions; i++)
		if (devmem_regions[i].simulated)
			req.region = i;
	if (req.region < 0)
		return -ENODEV;
	if (devdax_create(&req, &e->d))
		return -ENOMEM;
	e->real = e->d->region;
	e->fake = *e->real;
	e->fake.simulated = false; /* mapped, never touched: see the file's comment */
	e->d->region = &e->fake;
	e->mm = mm_alloc();
	if (!e->mm)
		return -ENOMEM;
	return 0;
}

static void env_down(struct ktest *t, struct dax_env *e)
{
	char why[128];

	if (e->mm) {
		KEXPECT_EQ(t, 0, mm_check_invariants(e->mm, why, sizeof(why)));
		mmput(e->mm);
	}
	KEXPECT_EQ(t, 0UL, e->d->nr_mapped);
	KEXPECT_EQ(t, 0UL, e->d->nr_pins);
	e->d->region = e->real;
	KEXPECT_EQ(t, 0, devdax_destroy(e->d->name));
}

static long map(struct dax_env *e, uint64_t len, int flags, uint64_t off)
{
	return do_mmap_devdax(e->mm, e->d, true, 0, len, PROT_READ | PROT_WRITE, flags, off,
			      &e->addr);
}

/*
 * Map 8 MiB (or 1 GiB at align 1G), check its leaves, pin it in @mode and
 * check the writes and the first head's refcount, unpin, check it again.
 */
static void map_and_pin(struct ktest *t, unsigned long align, uint64_t size, unsigned int mode,
			uint64_t want_writes)
{
	struct dax_env e = {0};
	struct dax_pin a = {0};
	struct page *head, tail0;
	struct mmu_mapping m;
	char why[128];
	int ref0;

	if (env_up(t, &e, size, align))
		KTEST_SKIP(t, "no simulated region or no memory for it");
	KASSERT_EQ(t, 0L, map(&e, size, MAP_SHARED, 0));
	KEXPECT_EQ(t, 0UL, e.addr % align);
	KEXPECT_EQ(t, 0, mm_check_invariants(e.mm, why, sizeof(why)));
	KEXPECT_EQ(t, 0, arch_mmu_user_query(mm_pgd_phys(e.mm), e.addr + size - 1, &m));
	KEXPECT_EQ(t, (uint64_t)align, pg_level_size(m.level));
	KEXPECT_EQ(t, e.d->start + size - 1, m.pa);
	KEXPECT_EQ(t, -EBUSY, devdax_destroy(e.d->name)); /* mapped */
	head = pfn_to_page(PFN_DOWN(e.d->start));
	ref0 = page_ref_count(head);
	if (align > PAGE_SIZE)
		tail0 = head[100]; /* in a shared read-only vmemmap page at 2M/1G */
	a = (struct dax_pin){e.addr, size, mode, 0, 0, 0};
	KASSERT_EQ(t, 0L, devdax_pin(e.d, &e, e.mm, &a));
	KEXPECT_EQ(t, size / PAGE_SIZE, a.nr_pages);
	KEXPECT_EQ(t, want_writes, a.refcount_writes);
	KEXPECT_EQ(t, ref0 + (int)(align / PAGE_SIZE), page_ref_count(head));
	if (align > PAGE_SIZE)
		KEXPECT_EQ(t, 0, memcmp(&tail0, &head[100], sizeof(tail0))); /* never written */
	KEXPECT_EQ(t, 1UL, e.d->nr_pins);
	KEXPECT_EQ(t, 0L, do_munmap(e.mm, e.addr, size)); /* a pin outlives its mapping */
	KEXPECT_EQ(t, -EBUSY, devdax_destroy(e.d->name)); /* pinned */
	KEXPECT_EQ(t, 0L, devdax_unpin(&e, &a));
	KEXPECT_EQ(t, want_writes, a.refcount_writes);
	KEXPECT_EQ(t, ref0, page_ref_count(head));
	KEXPECT_EQ(t, -EINVAL, devdax_unpin(&e, &a)); /* already unpinned */
	env_down(t, &e);
}

static void pin_4k_page_mode_writes_each_page(struct ktest *t)
{
	map_and_pin(t, PAGE_SIZE, 8 * MB, DAX_PIN_PAGE, 2048);
}

static void pin_4k_head_mode_is_the_same(struct ktest *t)
{
	map_and_pin(t, PAGE_SIZE, 8 * MB, DAX_PIN_HEAD, 2048);
}

static void pin_2m_page_mode_writes_heads_per_page(struct ktest *t)
{
	map_and_pin(t, 2 * MB, 8 * MB, DAX_PIN_PAGE, 2048);
}

static void pin_2m_head_mode_writes_once_per_head(struct ktest *t)
{
	map_and_pin(t, 2 * MB, 8 * MB, DAX_PIN_HEAD, 4);
}

static void pin_1g_head_mode_writes_once(struct ktest *t)
{
	map_and_pin(t, GiB, GiB, DAX_PIN_HEAD, 1);
}

static void pin_1g_page_mode_writes_262144(struct ktest *t)
{
	map_and_pin(t, GiB, GiB, DAX_PIN_PAGE, 262144);
}

static void linux_errors_for_bad_maps_and_pins(struct ktest *t)
{
	struct dax_env e = {0};
	struct dax_pin a = {0};

	if (env_up(t, &e, 8 * MB, 2 * MB))
		KTEST_SKIP(t, "no simulated region or no memory for it");
	KEXPECT_EQ(t, -EINVAL, map(&e, 2 * MB, MAP_PRIVATE, 0)); /* shared only */
	KEXPECT_EQ(t, -EINVAL, map(&e, 4096, MAP_SHARED, 0));	 /* not whole align units */
	KEXPECT_EQ(t, -EINVAL, map(&e, 2 * MB, MAP_SHARED, 4096));
	KEXPECT_EQ(t, -ENXIO, map(&e, 4 * MB, MAP_SHARED, 6 * MB)); /* past the end */
	KEXPECT_EQ(t, -EACCES,
		   do_mmap_devdax(e.mm, e.d, false, 0, 2 * MB, PROT_WRITE, MAP_SHARED, 0, &e.addr));
	KASSERT_EQ(t, 0L, map(&e, 8 * MB, MAP_SHARED, 0));
	KEXPECT_EQ(t, -EINVAL, do_munmap(e.mm, e.addr + 4096, 4096)); /* would cut a leaf */
	KEXPECT_EQ(t, -EOPNOTSUPP, do_mprotect(e.mm, e.addr, 2 * MB, PROT_READ));
	KEXPECT_EQ(t, -EINVAL, do_madvise(e.mm, e.addr, 2 * MB, MADV_DONTNEED));
	/* Mapped whole at mmap: a fault that finds the leaf (a racing MAP_FIXED) retries. */
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, e.addr, FAULT_FLAG_WRITE));
	a = (struct dax_pin){e.addr, 2 * MB, 7, 0, 0, 0};
	KEXPECT_EQ(t, -EINVAL, devdax_pin(e.d, &e, e.mm, &a)); /* bad mode */
	a = (struct dax_pin){e.addr + 6 * MB, 4 * MB, DAX_PIN_HEAD, 0, 0, 0};
	KEXPECT_EQ(t, -EFAULT, devdax_pin(e.d, &e, e.mm, &a)); /* past the mapping */
	a = (struct dax_pin){e.addr, 2 * MB, DAX_PIN_HEAD, 0, 0, 0};
	KEXPECT_EQ(t, 0L, devdax_pin(e.d, &e, e.mm, &a));
	KEXPECT_EQ(t, -EINVAL, devdax_unpin(&a, &a)); /* not this owner's pin */
	devdax_pin_release(&e);			      /* what close does */
	KEXPECT_EQ(t, 0UL, e.d->pinned_pages);
	KEXPECT_EQ(t, 0L, do_munmap(e.mm, e.addr + 2 * MB, 2 * MB)); /* whole leaves: fine */
	env_down(t, &e);
}

static const struct ktest_case devdax_pin_cases[] = {
    KTEST_CASE(pin_4k_page_mode_writes_each_page),
    KTEST_CASE(pin_4k_head_mode_is_the_same),
    KTEST_CASE(pin_2m_page_mode_writes_heads_per_page),
    KTEST_CASE(pin_2m_head_mode_writes_once_per_head),
    KTEST_CASE(pin_1g_head_mode_writes_once),
    KTEST_CASE(pin_1g_page_mode_writes_262144),
    KTEST_CASE(linux_errors_for_bad_maps_and_pins),
    {0},
};
DEFINE_KTEST_SUITE(devdax_pin, devdax_pin_cases);
