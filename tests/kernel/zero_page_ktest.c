/*
 * The shared zero page (mm/anon.c): an anonymous read fault maps it
 * read-only with no RSS and no reference; the first write replaces it with
 * a page of its own and one flush counted as zero_page_break; mprotect
 * never makes it writable; zap, munmap and a collapse drop it without
 * touching its struct page; a break that cannot allocate changes nothing.
 * zero_page_check (check_memory's) holds after every case.
 */
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/fail_page_alloc.h"
#include "mm/huge_memory.h"
#include "mm/mm_internal.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "tests/kernel/mm_ktest_util.h"

#define P PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)
#define BASE 0x40000000UL /* 2 MiB-aligned, well above USER_BASE */
#define RFAULT FAULT_FLAG_USER
#define WFAULT (FAULT_FLAG_USER | FAULT_FLAG_WRITE)

struct zp_env {
	struct mm_struct *mm;
	unsigned long free_before;
	struct tlb_ledger_totals ledger;
};

static bool env_start(struct zp_env *e, size_t len, int prot)
{
	uintptr_t out = 0;

	e->free_before = nr_free_pages();
	e->mm = mm_alloc();
	return e->mm &&
	       !do_mmap(e->mm, BASE, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out);
}

/* The mm is consistent, goes whole, every frame comes back, the zero page is as at boot. */
static void env_end(struct ktest *t, struct zp_env *e)
{
	char why[160] = "";

	if (e->mm && mm_check_invariants(e->mm, why, sizeof(why)))
		ktest_fail(t, __FILE__, __LINE__, "mm invariants: %s", why);
	if (e->mm)
		mmput(e->mm);
	KEXPECT_EQ(t, e->free_before, nr_free_pages());
	if (zero_page_check(why, sizeof(why)))
		ktest_fail(t, __FILE__, __LINE__, "%s", why);
}

/* Does @va map the zero page, read-only? */
static bool maps_zero_page(struct mm_struct *mm, uintptr_t va)
{
	struct mmu_mapping m;

	return !arch_mmu_user_query(mm_pgd_phys(mm), va, &m) && m.level == PG_LEVEL_4K &&
	       PFN_DOWN(m.pa) == zero_pfn && (m.prot & MMU_READ) && !(m.prot & MMU_WRITE);
}

static unsigned long breaks_since(struct zp_env *e)
{
	struct tlb_ledger_totals now;

	tlb_ledger_totals(&now);
	return now.by_cause[FLUSH_ZERO_PAGE_BREAK] - e->ledger.by_cause[FLUSH_ZERO_PAGE_BREAK];
}

static void read_maps_zero_page_write_breaks_it(struct ktest *t)
{
	unsigned long anon = nr_pages_by_purpose(PURPOSE_ANON);
	struct zp_env e;
	uint8_t *b;

	KASSERT_TRUE(t, env_start(&e, 4 * P, RW));
	tlb_ledger_totals(&e.ledger);
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + 123, RFAULT));
	KEXPECT_TRUE(t, maps_zero_page(e.mm, BASE));
	KEXPECT_EQ(t, 0, (long)get_mm_rss(e.mm));
	KEXPECT_EQ(t, anon, nr_pages_by_purpose(PURPOSE_ANON));
	KEXPECT_EQ(t, 0, breaks_since(&e));
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + 8, WFAULT | FAULT_FLAG_PRESENT));
	KEXPECT_TRUE(t, !maps_zero_page(e.mm, BASE));
	KEXPECT_EQ(t, 1, breaks_since(&e));
	KEXPECT_EQ(t, 1, (long)get_mm_rss(e.mm));
	KEXPECT_EQ(t, anon + 1, nr_pages_by_purpose(PURPOSE_ANON));
	b = ktest_user_byte(e.mm, BASE);
	KASSERT_TRUE(t, b);
	KEXPECT_EQ(t, 0, b[0] | b[P - 1]); /* a zeroed page of its own */
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE, WFAULT | FAULT_FLAG_PRESENT)); /* spurious */
	KEXPECT_EQ(t, 1, breaks_since(&e));
	env_end(t, &e);
}

/* A fetch maps the zero page too; a write where the VMA forbids it breaks nothing. */
static void fetch_and_write_follow_the_vma(struct ktest *t)
{
	struct zp_env e;

	KASSERT_TRUE(t, env_start(&e, 2 * P, PROT_READ | PROT_EXEC));
	tlb_ledger_totals(&e.ledger);
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE, FAULT_FLAG_INSTRUCTION | RFAULT));
	KEXPECT_TRUE(t, maps_zero_page(e.mm, BASE));
	KEXPECT_EQ(t, -EFAULT, handle_mm_fault(e.mm, BASE, WFAULT | FAULT_FLAG_PRESENT));
	KEXPECT_TRUE(t, maps_zero_page(e.mm, BASE)); /* a read-only VMA is never broken */
	KEXPECT_EQ(t, 0, breaks_since(&e));
	env_end(t, &e);
}

static void mprotect_keeps_zero_page_read_only(struct ktest *t)
{
	static const int prots[] = {PROT_READ, PROT_NONE, RW};
	struct zp_env e;

	KASSERT_TRUE(t, env_start(&e, 4 * P, RW));
	for (int i = 0; i < 4; i++)
		KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + i * P, RFAULT));
	for (unsigned int i = 0; i < ARRAY_SIZE(prots); i++)
		KEXPECT_EQ(t, 0, do_mprotect(e.mm, BASE, 4 * P, prots[i]));
	for (int i = 0; i < 4; i++)
		KEXPECT_TRUE(t, maps_zero_page(e.mm, BASE + i * P));
	tlb_ledger_totals(&e.ledger);
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + P, WFAULT | FAULT_FLAG_PRESENT));
	KEXPECT_EQ(t, 1, breaks_since(&e));
	KEXPECT_TRUE(t, maps_zero_page(e.mm, BASE + 2 * P));
	env_end(t, &e);
}

static void zap_drops_it_and_a_failed_break_changes_nothing(struct ktest *t)
{
	struct zp_env e;

	KASSERT_TRUE(t, env_start(&e, 16 * P, RW));
	for (int i = 0; i < 16; i++)
		KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + i * P, RFAULT));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, 4 * P, MADV_DONTNEED));
	KEXPECT_EQ(t, PG_LEVEL_NONE, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, 0, do_munmap(e.mm, BASE + 12 * P, 4 * P));
	fail_page_alloc_reset();
	fail_page_alloc_set("interval", 1);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("probability", 100);
	tlb_ledger_totals(&e.ledger);
	KEXPECT_EQ(t, -ENOMEM, handle_mm_fault(e.mm, BASE + 5 * P, WFAULT | FAULT_FLAG_PRESENT));
	fail_page_alloc_reset();
	KEXPECT_TRUE(t, maps_zero_page(e.mm, BASE + 5 * P)); /* as it was */
	KEXPECT_EQ(t, 0, breaks_since(&e));
	KEXPECT_EQ(t, 0, (long)get_mm_rss(e.mm));
	env_end(t, &e);
}

/* MADV_COLLAPSE takes a zero-page PTE as none (Linux's none_or_zero): zeroes in the THP. */
static void collapse_takes_zero_page_as_none(struct ktest *t)
{
	int saved = transparent_hugepage_enabled, err;
	struct zp_env e;
	uint8_t *b;

	KASSERT_TRUE(t, env_start(&e, HPAGE_PMD_SIZE, RW));
	transparent_hugepage_enabled = THP_ENABLED_NEVER; /* a 4 KiB fault, so a page table */
	err = handle_mm_fault(e.mm, BASE, WFAULT);
	transparent_hugepage_enabled = saved; /* MADV_COLLAPSE does not ask it */
	KEXPECT_EQ(t, 0, err);
	b = ktest_user_byte(e.mm, BASE);
	KASSERT_TRUE(t, b);
	*b = 0x5a;
	KEXPECT_EQ(t, 0, handle_mm_fault(e.mm, BASE + 7 * P, RFAULT));
	KEXPECT_TRUE(t, maps_zero_page(e.mm, BASE + 7 * P));
	KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE, HPAGE_PMD_SIZE, MADV_COLLAPSE));
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, HPAGE_PMD_NR, (long)get_mm_rss(e.mm));
	b = ktest_user_byte(e.mm, BASE + 7 * P);
	KASSERT_TRUE(t, b);
	KEXPECT_EQ(t, 0, b[0] | b[P - 1]);
	b = ktest_user_byte(e.mm, BASE);
	KASSERT_TRUE(t, b);
	KEXPECT_EQ(t, 0x5a, *b);
	env_end(t, &e);
}

static const struct ktest_case zero_page_cases[] = {
    KTEST_CASE(read_maps_zero_page_write_breaks_it),
    KTEST_CASE(fetch_and_write_follow_the_vma),
    KTEST_CASE(mprotect_keeps_zero_page_read_only),
    KTEST_CASE(zap_drops_it_and_a_failed_break_changes_nothing),
    KTEST_CASE(collapse_takes_zero_page_as_none),
    {},
};

DEFINE_KTEST_SUITE(zero_page, zero_page_cases);
