/*
 * User address spaces, in the kernel: mm_alloc/mmput return every frame;
 * mmap/munmap/mprotect/madvise and handle_mm_fault change exactly the
 * pages, mapcounts, RSS and page tables they should (checked by walking the
 * page tables, mm_check_invariants); bad accesses get -EFAULT; injected
 * allocation failures give -ENOMEM and lose nothing; flush_tlb_mm_range
 * interrupts only the CPUs in mm_cpumask, and lazy ones only when page
 * tables are freed.
 */
#include "arch/x86_64/uaccess.h"
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/fail_page_alloc.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "smp/cross_call.h"
#include "smp/smp.h"
#include "tests/kernel/mm_ktest_util.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define BASE 0x10000000UL /* a MAP_FIXED area well above USER_BASE */

static void expect_consistent(struct ktest *t, struct mm_struct *mm)
{
	char why[160] = "";

	if (mm_check_invariants(mm, why, sizeof(why)))
		ktest_fail(t, __FILE__, __LINE__, "mm invariants: %s", why);
}

/* The frame mapped at @va, through the direct map; NULL if none. */
static uint8_t *user_bytes(struct mm_struct *mm, uintptr_t va)
{
	struct mmu_mapping m;

	if (arch_mmu_user_query(mm_pgd_phys(mm), va, &m))
		return NULL;
	return (uint8_t *)(direct_map_base + m.pa);
}

static long map_fixed(struct mm_struct *mm, uintptr_t addr, size_t len, int prot)
{
	uintptr_t out = 0;
	long err = do_mmap(mm, addr, len, prot, ANON | MAP_FIXED, &out);

	return err ? err : (long)(out == addr ? 0 : -EINVAL);
}

static void mm_alloc_mmput_returns_every_frame(struct ktest *t)
{
	unsigned long free = nr_free_pages(), tables = nr_pages_by_purpose(PURPOSE_PAGE_TABLE);
	struct mm_struct *mm = mm_alloc();

	KASSERT_TRUE(t, mm);
	KEXPECT_EQ(t, tables + 1, nr_pages_by_purpose(PURPOSE_PAGE_TABLE)); /* the PGD */
	KEXPECT_EQ(t, 0, mm->pgtables_pages);
	KEXPECT_TRUE(t, mm_pgd_phys(mm) && !(mm_pgd_phys(mm) & (P - 1)));
	mmput(mm);
	KEXPECT_EQ(t, free, nr_free_pages());
	KEXPECT_EQ(t, tables, nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
}

static void demand_zero_faults_count_pages_and_tables(struct ktest *t)
{
	unsigned long free = nr_free_pages(), anon = nr_pages_by_purpose(PURPOSE_ANON);
	struct mm_struct *mm = mm_alloc();
	struct page *page;
	uint8_t *b;

	KASSERT_TRUE(t, mm);
	KASSERT_EQ(t, 0, map_fixed(mm, BASE, 16 * P, RW));
	KEXPECT_EQ(t, 0, get_mm_rss(mm));
	KEXPECT_EQ(t, 16, mm_total_vm(mm));
	KEXPECT_TRUE(t, user_bytes(mm, BASE) == NULL); /* nothing until touched */
	KEXPECT_EQ(t, 0,
		   handle_mm_fault(mm, BASE + 5 * P + 123, FAULT_FLAG_WRITE | FAULT_FLAG_USER));
	KEXPECT_EQ(t, 0, handle_mm_fault(mm, BASE, FAULT_FLAG_USER)); /* a read: the zero page */
	KEXPECT_EQ(t, 0, handle_mm_fault(mm, BASE, FAULT_FLAG_USER)); /* spurious: nothing new */
	KEXPECT_EQ(t, 1, get_mm_rss(mm));			      /* the zero page is no RSS */
	KEXPECT_EQ(t, 3, mm->pgtables_pages);			      /* PDPT, PD, PT */
	KEXPECT_EQ(t, anon + 1, nr_pages_by_purpose(PURPOSE_ANON));
	b = user_bytes(mm, BASE + 5 * P);
	KASSERT_TRUE(t, b);
	KEXPECT_EQ(t, 0, b[0] | b[P - 1]); /* demand-zero */
	page = pfn_to_page(PFN_DOWN((uintptr_t)b - direct_map_base));
	KEXPECT_EQ(t, 1, page_mapcount(page));
	KEXPECT_EQ(t, 1, page_ref_count(page));
	expect_consistent(t, mm);
	KEXPECT_EQ(t, 0, do_munmap(mm, BASE + 4 * P, 2 * P)); /* takes page 5 */
	KEXPECT_EQ(t, 0, get_mm_rss(mm));
	KEXPECT_EQ(t, 14, mm_total_vm(mm));
	expect_consistent(t, mm);
	mmput(mm);
	KEXPECT_EQ(t, free, nr_free_pages());
	KEXPECT_EQ(t, anon, nr_pages_by_purpose(PURPOSE_ANON));
}

static void bad_accesses_are_efault(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long free;

	KASSERT_TRUE(t, mm);
	free = nr_free_pages();
	KASSERT_EQ(t, 0, map_fixed(mm, BASE, 2 * P, PROT_NONE));
	KASSERT_EQ(t, 0, map_fixed(mm, BASE + 4 * P, 2 * P, PROT_READ));
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, BASE + 2 * P, 0)); /* a hole */
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, BASE, 0));	      /* PROT_NONE */
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, BASE + 4 * P, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, BASE + 4 * P, FAULT_FLAG_INSTRUCTION));
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, TASK_SIZE, 0));
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, DIRECT_MAP_BASE, 0)); /* kernel half */
	KEXPECT_EQ(t, 0, handle_mm_fault(mm, BASE + 4 * P, 0));		 /* a read is fine */
	KEXPECT_EQ(t, -EFAULT,
		   handle_mm_fault(mm, BASE + 4 * P, FAULT_FLAG_WRITE | FAULT_FLAG_PRESENT));
	KEXPECT_EQ(t, 0, get_mm_rss(mm)); /* the read mapped the zero page */
	expect_consistent(t, mm);
	KEXPECT_EQ(t, 0, do_munmap(mm, BASE, 8 * P));
	KEXPECT_EQ(t, free, nr_free_pages()); /* page tables freed with the last page */
	KEXPECT_EQ(t, 0, mm->pgtables_pages);
	mmput(mm);
}

static void mmap_arguments_follow_linux(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	uintptr_t a = 0, b = 0;

	KASSERT_TRUE(t, mm);
	KEXPECT_EQ(t, -EINVAL, do_mmap(mm, 0, 0, RW, ANON, &a)); /* zero length */
	KEXPECT_EQ(t, -EINVAL, do_mmap(mm, BASE + 1, P, RW, ANON | MAP_FIXED, &a));
	KEXPECT_EQ(t, -EINVAL, do_mmap(mm, 0, P, RW, MAP_ANONYMOUS, &a)); /* no type */
	KEXPECT_EQ(t, -EOPNOTSUPP, do_mmap(mm, 0, P, RW, MAP_SHARED | MAP_ANONYMOUS, &a));
	KEXPECT_EQ(t, -ENOMEM, do_mmap(mm, TASK_SIZE - P, 2 * P, RW, ANON | MAP_FIXED, &a));
	KEXPECT_EQ(t, -ENOMEM, do_mmap(mm, 0, 1UL << 46, RW, ANON, &a)); /* over the limit */
	KEXPECT_EQ(t, -EPERM, do_mmap(mm, 0x1000, P, RW, ANON | MAP_FIXED, &a));
	KASSERT_EQ(t, 0, do_mmap(mm, 0, 3 * P, RW, ANON, &a));
	KASSERT_EQ(t, 0, do_mmap(mm, 0, 3 * P, RW, ANON, &b));
	KEXPECT_TRUE(t, a >= USER_BASE && a + 3 * P <= TASK_UNMAPPED_BASE);
	KEXPECT_EQ(t, a - 3 * P, b); /* top-down, adjacent: merged into one VMA */
	KEXPECT_EQ(t, 1, mm->vmas.nr);
	KEXPECT_EQ(t, 0, handle_mm_fault(mm, a, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, -EEXIST, do_mmap(mm, a, P, RW, ANON | MAP_FIXED_NOREPLACE, &b));
	KEXPECT_EQ(t, 1, get_mm_rss(mm));
	/* MAP_FIXED replaces: the old page goes, the new range is demand-zero. */
	KEXPECT_EQ(t, 0, map_fixed(mm, a, P, PROT_READ));
	KEXPECT_EQ(t, 0, get_mm_rss(mm));
	KEXPECT_EQ(t, 3, mm->vmas.nr); /* RW below, R, RW above */
	/* Hint honoured when free. */
	KEXPECT_EQ(t, 0, do_mmap(mm, BASE, P, RW, ANON, &b));
	KEXPECT_EQ(t, BASE, b);
	KEXPECT_EQ(t, -EINVAL, do_munmap(mm, BASE + 1, P));
	KEXPECT_EQ(t, -EINVAL, do_munmap(mm, BASE, 0));
	KEXPECT_EQ(t, 0, do_munmap(mm, 0x20000000UL, P)); /* nothing there: fine */
	expect_consistent(t, mm);
	mmput(mm);
}

static void mprotect_splits_keeps_data_and_merges_back(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	struct mmu_mapping m;
	uint8_t *b;

	KASSERT_TRUE(t, mm);
	KASSERT_EQ(t, 0, map_fixed(mm, BASE, 8 * P, RW));
	for (int i = 0; i < 8; i++)
		KASSERT_EQ(t, 0, handle_mm_fault(mm, BASE + i * P, FAULT_FLAG_WRITE));
	b = user_bytes(mm, BASE + 3 * P);
	b[7] = 0x5a;
	KEXPECT_EQ(t, 0, do_mprotect(mm, BASE + 2 * P, 2 * P, PROT_READ));
	KEXPECT_EQ(t, 3, mm->vmas.nr);
	KASSERT_EQ(t, 0, arch_mmu_user_query(mm_pgd_phys(mm), BASE + 3 * P, &m));
	KEXPECT_EQ(t, MMU_READ, m.prot);
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, BASE + 3 * P, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, 0, do_mprotect(mm, BASE + 3 * P, P, PROT_NONE));
	KEXPECT_EQ(t, 4, mm->vmas.nr);
	KASSERT_EQ(t, 0, arch_mmu_user_query(mm_pgd_phys(mm), BASE + 3 * P, &m));
	KEXPECT_EQ(t, 0, m.prot & MMU_READ); /* kept, not present */
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(mm, BASE + 3 * P, 0));
	expect_consistent(t, mm);
	KEXPECT_EQ(t, 0, do_mprotect(mm, BASE, 8 * P, RW));
	KEXPECT_EQ(t, 1, mm->vmas.nr);
	KEXPECT_EQ(t, 0x5a, user_bytes(mm, BASE + 3 * P)[7]); /* the same frame throughout */
	KEXPECT_EQ(t, 8, get_mm_rss(mm));
	KEXPECT_EQ(t, -ENOMEM, do_mprotect(mm, BASE + 6 * P, 4 * P, PROT_READ)); /* a hole */
	KEXPECT_EQ(t, -EINVAL, do_mprotect(mm, BASE + 1, P, PROT_READ));
	KEXPECT_EQ(t, -EINVAL, do_mprotect(mm, BASE, P, 0x40));
	KEXPECT_EQ(t, 1, mm->vmas.nr);
	expect_consistent(t, mm);
	mmput(mm);
}

static void madvise_dontneed_drops_pages_keeps_vmas(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long anon = nr_pages_by_purpose(PURPOSE_ANON);

	KASSERT_TRUE(t, mm);
	KASSERT_EQ(t, 0, map_fixed(mm, BASE, 4 * P, RW));
	for (int i = 0; i < 4; i++) {
		KASSERT_EQ(t, 0, handle_mm_fault(mm, BASE + i * P, FAULT_FLAG_WRITE));
		user_bytes(mm, BASE + i * P)[0] = 1;
	}
	KEXPECT_EQ(t, 0, do_madvise(mm, BASE + P, 2 * P, MADV_DONTNEED));
	KEXPECT_EQ(t, 2, get_mm_rss(mm));
	KEXPECT_EQ(t, anon + 2, nr_pages_by_purpose(PURPOSE_ANON));
	KEXPECT_EQ(t, 1, mm->vmas.nr);
	KEXPECT_EQ(t, 0, handle_mm_fault(mm, BASE + P, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, 0, user_bytes(mm, BASE + P)[0]); /* a fresh zero page */
	KEXPECT_EQ(t, 1, user_bytes(mm, BASE)[0]);     /* untouched */
	KEXPECT_EQ(t, 0, do_madvise(mm, BASE, 4 * P, MADV_NORMAL));
	KEXPECT_EQ(t, 0, do_madvise(mm, BASE, 2 * P, MADV_SEQUENTIAL));
	KEXPECT_EQ(t, 2, mm->vmas.nr);
	KEXPECT_EQ(t, -EINVAL, do_madvise(mm, BASE, P, 999));
	KEXPECT_EQ(t, -ENOMEM, do_madvise(mm, BASE, 8 * P, MADV_DONTNEED));
	KEXPECT_EQ(t, -EINVAL, do_madvise(mm, BASE + 1, P, MADV_DONTNEED));
	expect_consistent(t, mm);
	mmput(mm);
	KEXPECT_EQ(t, anon, nr_pages_by_purpose(PURPOSE_ANON));
}

static void empty_page_tables_are_freed(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	const uintptr_t far = 0x600000000000UL; /* another PML4 slot */

	KASSERT_TRUE(t, mm);
	KASSERT_EQ(t, 0, map_fixed(mm, BASE, P, RW));
	KASSERT_EQ(t, 0, map_fixed(mm, far, P, RW));
	KASSERT_EQ(t, 0, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE));
	KASSERT_EQ(t, 0, handle_mm_fault(mm, far, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, 6, mm->pgtables_pages);
	KEXPECT_EQ(t, 0, do_munmap(mm, far, P));
	KEXPECT_EQ(t, 3, mm->pgtables_pages);
	KEXPECT_EQ(t, 0, do_madvise(mm, BASE, P, MADV_DONTNEED)); /* tables stay, as in Linux */
	KEXPECT_EQ(t, 3, mm->pgtables_pages);
	expect_consistent(t, mm);
	KEXPECT_EQ(t, 0, do_munmap(mm, BASE, P));
	KEXPECT_EQ(t, 0, mm->pgtables_pages);
	mmput(mm);
}

static void arm_failures(long probability, long interval)
{
	fail_page_alloc_reset();
	fail_page_alloc_set("interval", interval);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("probability", probability);
}

static void injected_failures_are_enomem_and_lose_nothing(struct ktest *t)
{
	unsigned long free = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	uintptr_t a;
	int ok = 0, nomem = 0;

	KASSERT_TRUE(t, mm);
	KASSERT_EQ(t, 0, map_fixed(mm, BASE, 64 * P, RW));
	arm_failures(100, 1);
	KEXPECT_EQ(t, -ENOMEM, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE));
	KEXPECT_EQ(t, -ENOMEM, do_mmap(mm, 0, P, RW, ANON, &a));
	KEXPECT_EQ(t, -ENOMEM, do_munmap(mm, BASE + P, P)); /* a split needs a VMA */
	KEXPECT_EQ(t, 1, mm->vmas.nr);
	KEXPECT_EQ(t, 0, get_mm_rss(mm));
	arm_failures(10, 1); /* about one allocation in ten */
	for (int i = 0; i < 64; i++) {
		int r = handle_mm_fault(mm, BASE + i * P, FAULT_FLAG_WRITE);

		ok += r == 0;
		nomem += r == -ENOMEM;
	}
	fail_page_alloc_reset();
	KEXPECT_EQ(t, 64, ok + nomem);
	KEXPECT_EQ(t, ok, get_mm_rss(mm));
	expect_consistent(t, mm);
	mmput(mm);
	KEXPECT_EQ(t, free, nr_free_pages());
}

/* ---- targeted flushes ---- */

static void go_lazy_here(void *info)
{
	switch_mm_irqs_off(info, NULL); /* to "idle": keeps the mm, lazily */
}

static void resume_here(void *info)
{
	switch_mm_irqs_off(NULL, info);
}

static void flushes_reach_only_mm_cpumask(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc(), *other = mm_alloc();
	struct tlb_ledger_totals before, now;
	struct load_args here = {mm, NULL}, there = {mm, NULL};
	uint64_t flags;

	KASSERT_TRUE(t, mm && other);
	KASSERT_EQ(t, 0, map_fixed(mm, BASE, P, RW));
	KASSERT_EQ(t, 0, handle_mm_fault(mm, BASE, FAULT_FLAG_WRITE));
	/* Loaded here only: the user address works from ring 0, through uaccess (SMAP). */
	flags = local_irq_save();
	ktest_load_mm_here(&here);
	KEXPECT_TRUE(t, cpumask_test_cpu(this_cpu_id(), mm_cpumask(mm)));
	KEXPECT_EQ(t, 0, copy_to_user(BASE, &(uint8_t){0x77}, 1));
	tlb_ledger_totals(&before);
	flush_tlb_mm_range(mm, BASE, BASE + P, PAGE_SHIFT, false);
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	ktest_unload_mm_here(&here);
	local_irq_restore(flags);
	KEXPECT_EQ(t, 0x77, user_bytes(mm, BASE)[0]);
	KEXPECT_EQ(t, 0, now.remote_flush); /* nobody else has it: no IPI */
	KEXPECT_EQ(t, 1, now.local_flush_one);
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_USER]);
	KEXPECT_TRUE(t, !cpumask_test_cpu(this_cpu_id(), mm_cpumask(mm)));
	if (nr_cpus_online < 2)
		goto out;
	/* Loaded on CPU 1: its flush goes there, another mm's goes nowhere. */
	smp_call_function_single(1, ktest_load_mm_here, &there, true);
	tlb_ledger_totals(&before);
	flush_tlb_mm_range(mm, BASE, BASE + P, PAGE_SHIFT, true);
	flush_tlb_mm_range(other, BASE, BASE + P, PAGE_SHIFT, false);
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	smp_call_function_single(1, ktest_unload_mm_here, &there, true);
	KEXPECT_EQ(t, 1, now.remote_flush);
	KEXPECT_EQ(t, 1, now.remote_flush_received);
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_USER_FREED_TABLES]);
	KEXPECT_TRUE(t, !cpumask_test_cpu(1, mm_cpumask(mm)));
out:
	mmput(other);
	mmput(mm);
}

/*
 * CPU 1 idles lazily with the mm loaded: a leaf-only flush skips it and
 * it catches up with one full flush when it resumes the mm; a flush that
 * frees page tables must interrupt it (the test fails if a table free
 * skips a lazy CPU); mmput sends it to the kernel root before freeing.
 */
static void lazy_cpus_skip_leaf_flushes_not_table_frees(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();
	struct load_args there = {mm, NULL};
	struct tlb_ledger_totals before, d1, d2, d3, d4;
	bool saved = lazy_tlb;

	KASSERT_TRUE(t, mm);
	if (nr_cpus_online < 2) {
		mmput(mm);
		KTEST_SKIP(t, "needs 2 CPUs");
	}
	lazy_tlb = true;
	smp_call_function_single(1, ktest_load_mm_here, &there, true);
	smp_call_function_single(1, go_lazy_here, mm, true);
	KEXPECT_TRUE(t, cpumask_test_cpu(1, mm_cpumask(mm))); /* still loaded */
	tlb_ledger_totals(&before);
	flush_tlb_mm_range(mm, BASE, BASE + P, PAGE_SHIFT, false);
	tlb_ledger_totals(&d1);
	flush_tlb_mm_range(mm, BASE, BASE + P, PAGE_SHIFT, true);
	tlb_ledger_totals(&d2);
	smp_call_function_single(1, resume_here, mm, true);
	tlb_ledger_totals(&d3);
	tlb_ledger_delta(&d3, &d2);
	tlb_ledger_delta(&d2, &d1);
	tlb_ledger_delta(&d1, &before);
	KEXPECT_EQ(t, 0, d1.remote_flush); /* leaf flush: lazy CPU 1 not interrupted */
	KEXPECT_EQ(t, 1, d1.lazy_skipped);
	KEXPECT_EQ(t, 1, d2.remote_flush); /* tables freed: it must be */
	KEXPECT_EQ(t, 1, d2.remote_flush_received);
	KEXPECT_EQ(t, 1, d3.lazy_catchup); /* resumed: the skipped flush, made up */
	/* Lazy again, then the mm dies: CPU 1 is sent to the kernel root first. */
	smp_call_function_single(1, go_lazy_here, mm, true);
	tlb_ledger_totals(&before);
	mmput(mm);
	tlb_ledger_totals(&d4);
	tlb_ledger_delta(&d4, &before);
	KEXPECT_EQ(t, 1, d4.lazy_leave_ipis);
	KEXPECT_EQ(t, 0, d4.remote_flush); /* nobody left to flush */
	if (there.prev)
		smp_call_function_single(1, resume_here, there.prev, true);
	lazy_tlb = saved;
}

static const struct ktest_case mm_user_cases[] = {
    KTEST_CASE(mm_alloc_mmput_returns_every_frame),
    KTEST_CASE(demand_zero_faults_count_pages_and_tables),
    KTEST_CASE(bad_accesses_are_efault),
    KTEST_CASE(mmap_arguments_follow_linux),
    KTEST_CASE(mprotect_splits_keeps_data_and_merges_back),
    KTEST_CASE(madvise_dontneed_drops_pages_keeps_vmas),
    KTEST_CASE(empty_page_tables_are_freed),
    KTEST_CASE(injected_failures_are_enomem_and_lose_nothing),
    KTEST_CASE(flushes_reach_only_mm_cpumask),
    KTEST_CASE(lazy_cpus_skip_leaf_flushes_not_table_frees),
    {},
};

DEFINE_KTEST_SUITE(mm_user, mm_user_cases);
