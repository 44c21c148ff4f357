/*
 * Page-table pages freed from a user address space, and the flushes that
 * must come first: every table munmap, MAP_FIXED or exit frees is counted
 * (mmu_gather_tables_freed) beside a freed-tables flush that covers it,
 * and that flush reaches a CPU holding the mm lazily (the ledger's
 * lazy_reached, counted by the target itself). The THP and HGM collapse
 * and hugetlb MADV_DONTNEED cases live in the thp and hgm suites; flushlab
 * has no mremap.
 */
#include "kernel/ktest.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "smp/cross_call.h"
#include "smp/smp.h"
#include "smp/tlbflush.h"
#include "tests/kernel/mm_ktest_util.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define BASE 0x10000000UL   /* 256 MiB: PML4 slot 0, alone in its PDPT, PD and PT */
#define TABLES_UNDER_BASE 3 /* the PT, PD and PDPT a fault at BASE makes */

static long map_fixed(struct mm_struct *mm, uintptr_t addr, size_t len)
{
	uintptr_t out = 0;

	return do_mmap(mm, addr, len, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out);
}

/* A fresh mm with one page at BASE, touched: NULL if that could not be had. */
static struct mm_struct *mm_with_one_page(void)
{
	struct mm_struct *mm = mm_alloc();

	if (mm && (map_fixed(mm, BASE, P) || handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE))) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* A fresh mm with one page at BASE, touched, then dropped: its 3 tables stay, empty. */
static struct mm_struct *mm_with_empty_tables(struct ktest *t)
{
	struct mm_struct *mm = mm_with_one_page();

	if (!mm || do_madvise(mm, BASE, P, MADV_DONTNEED)) {
		ktest_fail(t, __FILE__, __LINE__, "could not set up an mm with empty tables");
		if (mm)
			mmput(mm);
		return NULL;
	}
	return mm;
}

struct counts {
	unsigned long tables;
	struct tlb_ledger_totals ledger;
};

static void counts_now(struct counts *c)
{
	c->tables = mmu_gather_tables_freed();
	tlb_ledger_totals(&c->ledger);
}

/* @c becomes what happened since it was taken. */
static void counts_since(struct counts *c)
{
	struct counts now;

	counts_now(&now);
	tlb_ledger_delta(&now.ledger, &c->ledger);
	now.tables -= c->tables;
	*c = now;
}

/*
 * The defect: a munmap, or MAP_FIXED, over a range that holds no VMA
 * frees the empty tables beside it (the ones under BASE here) and, having
 * zapped nothing, used to free them with no flush at all. Each such call
 * must now send one freed-tables flush, to CPU 1 too when it has the mm
 * loaded; the test failed before the fix (0 flushes, 3 tables freed).
 */
static void no_vma_munmap_and_map_fixed_flush_freed_tables(struct ktest *t)
{
	struct mm_struct *mm = mm_with_empty_tables(t);
	struct load_args there = {mm, NULL};
	bool remote = nr_cpus_online >= 2;
	struct counts c;

	KASSERT_TRUE(t, mm);
	KEXPECT_EQ(t, TABLES_UNDER_BASE, mm->pgtables_pages);
	if (remote)
		smp_call_function_single(1, ktest_load_mm_here, &there, true);
	counts_now(&c);
	KEXPECT_EQ(t, 0, do_munmap(mm, BASE + P, P)); /* no VMA there */
	counts_since(&c);
	KEXPECT_EQ(t, TABLES_UNDER_BASE, c.tables);
	KEXPECT_EQ(t, 0, mm->pgtables_pages);
	KEXPECT_EQ(t, 1, c.ledger.by_cause[FLUSH_USER_FREED_TABLES]);
	KEXPECT_EQ(t, remote ? 1 : 0, c.ledger.remote_flush_received);
	/* Tables back under BASE, emptied again; MAP_FIXED over the hole beside them. */
	KASSERT_EQ(t, 0, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE));
	KASSERT_EQ(t, 0, do_madvise(mm, BASE, P, MADV_DONTNEED));
	counts_now(&c);
	KEXPECT_EQ(t, 0, map_fixed(mm, BASE + P, P));
	counts_since(&c);
	KEXPECT_EQ(t, TABLES_UNDER_BASE, c.tables);
	KEXPECT_EQ(t, 1, c.ledger.by_cause[FLUSH_USER_FREED_TABLES]);
	KEXPECT_EQ(t, remote ? 1 : 0, c.ledger.remote_flush_received);
	if (remote)
		smp_call_function_single(1, ktest_unload_mm_here, &there, true);
	mmput(mm);
}

/* CPU 1 holds @mm lazily while @op runs; @c: what @op did. The caller ends @lazy. */
static long lazy_op(struct lazy_cpu *lazy, struct mm_struct *mm, long (*op)(struct mm_struct *),
		    struct counts *c)
{
	long ret;

	ktest_lazy_start(lazy, 1, mm);
	counts_now(c);
	ret = op(mm);
	counts_since(c);
	return ret;
}

/* The path @op frees @want tables of @mm with CPU 1 lazy: it must reach CPU 1. */
static void expect_lazy_reached(struct ktest *t, struct mm_struct *mm,
				long (*op)(struct mm_struct *), unsigned long want)
{
	struct lazy_cpu lazy;
	struct counts c;

	KEXPECT_EQ(t, 0, lazy_op(&lazy, mm, op, &c));
	KEXPECT_EQ(t, want, c.tables);
	KEXPECT_EQ(t, 1, c.ledger.lazy_reached); /* 0 if the caller skipped lazy CPUs */
	KEXPECT_EQ(t, 0, c.ledger.lazy_skipped);
	KEXPECT_TRUE(t, ktest_cpu_lazy_for(1, mm)); /* reached, and still lazy */
	ktest_lazy_end(&lazy);
}

static long dontneed_base(struct mm_struct *mm)
{
	return do_madvise(mm, BASE, P, MADV_DONTNEED);
}

static long mmput_last(struct mm_struct *mm)
{
	mmput(mm); /* the last user: exit_mmap, then the root */
	return 0;
}

static long munmap_base(struct mm_struct *mm)
{
	return do_munmap(mm, BASE, P);
}

static long munmap_beside(struct mm_struct *mm)
{
	return do_munmap(mm, BASE + P, P);
}

static long map_fixed_beside(struct mm_struct *mm)
{
	return map_fixed(mm, BASE + P, P);
}

/*
 * munmap of a touched page, and munmap or MAP_FIXED over no VMA, free
 * tables: each flush reaches the lazy CPU 1 (fails if tlb_finish_mmu
 * passes freed_tables=false: lazy_reached 0, lazy_skipped 1).
 */
static void munmap_and_map_fixed_reach_lazy_cpus(struct ktest *t)
{
	long (*const ops[])(struct mm_struct *) = {munmap_beside, map_fixed_beside};
	struct mm_struct *mm;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	mm = mm_with_one_page();
	KASSERT_TRUE(t, mm);
	expect_lazy_reached(t, mm, munmap_base, TABLES_UNDER_BASE);
	mmput(mm);
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
		mm = mm_with_empty_tables(t);
		KASSERT_TRUE(t, mm);
		expect_lazy_reached(t, mm, ops[i], TABLES_UNDER_BASE);
		mmput(mm);
	}
}

/*
 * MADV_DONTNEED of anonymous memory frees pages, not tables (Linux keeps
 * them until munmap or exit): its flush may skip the lazy CPU, which then
 * catches up when it resumes. Should it ever free tables, this fails and
 * the flush must become freed_tables.
 */
static void anon_dontneed_frees_no_tables_and_may_skip_lazy(struct ktest *t)
{
	struct mm_struct *mm;
	struct lazy_cpu lazy;
	struct counts c;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	mm = mm_with_one_page();
	KASSERT_TRUE(t, mm);
	KEXPECT_EQ(t, 0, lazy_op(&lazy, mm, dontneed_base, &c));
	ktest_lazy_end(&lazy);
	KEXPECT_EQ(t, 0, c.tables);
	KEXPECT_EQ(t, TABLES_UNDER_BASE, mm->pgtables_pages);
	KEXPECT_EQ(t, 1, c.ledger.lazy_skipped);
	KEXPECT_EQ(t, 0, c.ledger.lazy_reached);
	mmput(mm);
}

/*
 * Exit frees every table and then the root: a CPU still holding the mm
 * lazily must have left it first (mm_leave_lazy_cpus; Linux keeps the mm
 * with mmgrab until lazy CPUs switch away). Fails if exit skips it: CPU 1
 * would still have the freed root in CR3.
 */
static void exit_leaves_no_lazy_cpu_on_the_mm(struct ktest *t)
{
	struct mm_struct *mm;
	struct lazy_cpu lazy;
	struct counts c;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	mm = mm_with_one_page();
	KASSERT_TRUE(t, mm);
	lazy_op(&lazy, mm, mmput_last, &c);
	KEXPECT_EQ(t, TABLES_UNDER_BASE, c.tables);
	KEXPECT_EQ(t, 1, c.ledger.lazy_leave_ipis);
	KEXPECT_TRUE(t, !ktest_cpu_holds(1, mm)); /* compares the pointer only */
	ktest_lazy_end(&lazy);
}

static const struct ktest_case pgtable_free_cases[] = {
    KTEST_CASE(no_vma_munmap_and_map_fixed_flush_freed_tables),
    KTEST_CASE(munmap_and_map_fixed_reach_lazy_cpus),
    KTEST_CASE(anon_dontneed_frees_no_tables_and_may_skip_lazy),
    KTEST_CASE(exit_leaves_no_lazy_cpu_on_the_mm),
    {},
};

DEFINE_KTEST_SUITE(pgtable_free, pgtable_free_cases);
