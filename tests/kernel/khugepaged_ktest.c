/*
 * Kernel threads and khugepaged: a kthread starts, sleeps with a timeout,
 * is woken early, cannot be killed or waited for, and kthread_stop gives
 * back every frame and slot; khugepaged's scan collapses a populated
 * eligible range (one flush, cause thp_collapse, data kept), honours the
 * policy and max_ptes_none, gives up under fail_page_alloc and when the
 * process exits mid-collapse, with every frame back.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/ktest.h"
#include "tests/kernel/mm_ktest_util.h"
#include "lib/errno.h"
#include "mm/fail_page_alloc.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "smp/tlbflush.h"
#include "smp/tlb_ledger.h"
#include "task/kthread.h"
#include "task/sched.h"
#include "task/task.h"

#define P PAGE_SIZE
#define H HPAGE_PMD_SIZE
#define BASE 0x40000000UL /* 2 MiB-aligned */

/* ---- kernel threads ---- */

struct kt_state {
	int wakeups;	   /* timed sleeps that ended */
	unsigned int left; /* what the long sleep had left when kthread_stop woke it */
};

static int kt_fn(void *data)
{
	struct kt_state *s = data;

	while (!kthread_should_stop() && READ_ONCE(s->wakeups) < 3) {
		msleep_interruptible(10);
		__atomic_add_fetch(&s->wakeups, 1, __ATOMIC_SEQ_CST);
	}
	WRITE_ONCE(s->left, msleep_interruptible(600000)); /* only kthread_stop ends this */
	return 42;
}

/* Let queued tasks run, or halt to the next tick, until @cond or about @n ticks. */
#define WAIT_FOR(cond, n)                                                                          \
	for (int _i = 0; _i < (n) && !(cond); _i++)                                                \
		if (!sched_yield_console())                                                        \
	sched_idle_halt()

static void kthread_starts_and_stops(struct ktest *t)
{
	unsigned long free_before = nr_free_pages();
	int tasks = nr_tasks_alive(), kthreads = nr_kthreads(), err, wst;
	struct kt_state s = {0, 0};
	struct task_struct *k = kthread_run(kt_fn, &s, "ktest_kthread", &err);

	KASSERT_TRUE(t, k != NULL);
	KEXPECT_EQ(t, tasks + 1, nr_tasks_alive());
	KEXPECT_EQ(t, kthreads + 1, nr_kthreads());
	KEXPECT_EQ(t, -EPERM, task_kill(k->pid, SIGKILL));	     /* not killable */
	KEXPECT_EQ(t, -ECHILD, task_wait(k->pid, &wst, NULL, NULL)); /* nobody's child */
	WAIT_FOR(READ_ONCE(s.wakeups) >= 3, 2000); /* three timed sleeps ended by the tick */
	KEXPECT_EQ(t, 3, READ_ONCE(s.wakeups));
	KEXPECT_EQ(t, 42, kthread_stop(k));
	KEXPECT_TRUE(t, s.left > 0); /* woken early by the stop, not by the time */
	KEXPECT_EQ(t, tasks, nr_tasks_alive());
	KEXPECT_EQ(t, kthreads, nr_kthreads());
	KEXPECT_EQ(t, free_before, nr_free_pages());
	KEXPECT_TRUE(t, kthread_create(kt_fn, &s, "no/slash", &err) == NULL);
	KEXPECT_EQ(t, -EINVAL, err);
}

/* ---- khugepaged's scan ---- */

struct kh_env {
	struct mm_struct *mm;
	unsigned long free_before;
	int saved_enabled;
	unsigned int saved_none;
};

static int count_intact(struct mm_struct *mm)
{
	int n = 0;

	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		uint8_t *b = ktest_user_byte(mm, BASE + i * P);

		n += b && b[5] == (uint8_t)(i + 3);
	}
	return n;
}

/*
 * A fresh mm with 2 MiB at BASE faulted in as 512 small pages (policy
 * "never" while faulting), each with a pattern byte, then "madvise" and
 * MADV_HUGEPAGE: eligible for khugepaged, on its list.
 */
static bool env_start(struct ktest *t, struct kh_env *e)
{
	uintptr_t out;

	e->free_before = nr_free_pages();
	e->saved_enabled = transparent_hugepage_enabled;
	e->saved_none = khugepaged_max_ptes_none;
	transparent_hugepage_enabled = THP_ENABLED_NEVER;
	e->mm = mm_alloc();
	if (!e->mm || do_mmap(e->mm, BASE, H, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out))
		return false;
	for (int i = 0; i < HPAGE_PMD_NR; i++) {
		if (handle_mm_fault(e->mm, BASE + i * P, FAULT_FLAG_WRITE))
			return false;
		ktest_user_byte(e->mm, BASE + i * P)[5] = (uint8_t)(i + 3);
	}
	transparent_hugepage_enabled = THP_ENABLED_MADVISE;
	KEXPECT_EQ(t, 0, do_madvise(e->mm, BASE, H, MADV_HUGEPAGE));
	KEXPECT_TRUE(t, e->mm->khugepaged_entered);
	return ktest_user_level(e->mm, BASE) == PG_LEVEL_4K;
}

static void env_end(struct ktest *t, struct kh_env *e)
{
	char why[160] = "";

	if (e->mm) {
		if (mm_check_invariants(e->mm, why, sizeof(why)))
			ktest_fail(t, __FILE__, __LINE__, "mm invariants: %s", why);
		mmput(e->mm);
	}
	fail_page_alloc_reset();
	transparent_hugepage_enabled = e->saved_enabled;
	khugepaged_max_ptes_none = e->saved_none;
	KEXPECT_EQ(t, e->free_before, nr_free_pages());
}

/* Eligible and populated: one leaf, every byte kept, one flush counted as thp_collapse. */
static void khugepaged_collapses_eligible_range(struct ktest *t)
{
	unsigned long ok = thp_event_count(THP_COLLAPSE_ALLOC);
	struct tlb_ledger_totals before, now;
	struct kh_env e;

	KASSERT_TRUE(t, env_start(t, &e));
	transparent_hugepage_enabled = THP_ENABLED_NEVER;
	KEXPECT_EQ(t, 0, khugepaged_scan_mm(e.mm)); /* the policy binds khugepaged */
	transparent_hugepage_enabled = THP_ENABLED_MADVISE;
	tlb_ledger_totals(&before);
	KEXPECT_EQ(t, 1, khugepaged_scan_mm(e.mm));
	tlb_ledger_totals(&now);
	tlb_ledger_delta(&now, &before);
	KEXPECT_EQ(t, 1, now.by_cause[FLUSH_THP_COLLAPSE]);
	KEXPECT_EQ(t, ok + 1, thp_event_count(THP_COLLAPSE_ALLOC));
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, HPAGE_PMD_NR, count_intact(e.mm));
	KEXPECT_EQ(t, 0, khugepaged_scan_mm(e.mm)); /* a leaf already: nothing to do */
	env_end(t, &e);
}

/* Three empty PTEs: not collapsed with max_ptes_none 2, collapsed with 3. */
static void khugepaged_honours_max_ptes_none(struct ktest *t)
{
	struct kh_env e;

	KASSERT_TRUE(t, env_start(t, &e));
	for (int i = 10; i < 13; i++)
		KEXPECT_EQ(t, 0, do_madvise(e.mm, BASE + i * P, P, MADV_DONTNEED));
	khugepaged_max_ptes_none = 2;
	KEXPECT_EQ(t, 0, khugepaged_scan_mm(e.mm));
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	khugepaged_max_ptes_none = 3;
	KEXPECT_EQ(t, 1, khugepaged_scan_mm(e.mm));
	KEXPECT_EQ(t, PG_LEVEL_2M, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, HPAGE_PMD_NR - 3, count_intact(e.mm));
	KEXPECT_EQ(t, 0, ktest_user_byte(e.mm, BASE + 11 * P)[5]); /* an empty PTE became zeroes */
	env_end(t, &e);
}

/* No 2 MiB page to be had: counted, the small pages stay as they were. */
static void khugepaged_gives_up_under_fail_page_alloc(struct ktest *t)
{
	unsigned long failed = thp_event_count(THP_COLLAPSE_ALLOC_FAILED);
	struct kh_env e;

	KASSERT_TRUE(t, env_start(t, &e));
	fail_page_alloc_set("min-order", HPAGE_PMD_ORDER);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("probability", 100);
	KEXPECT_EQ(t, 0, khugepaged_scan_mm(e.mm));
	fail_page_alloc_reset();
	KEXPECT_EQ(t, failed + 1, thp_event_count(THP_COLLAPSE_ALLOC_FAILED));
	KEXPECT_EQ(t, PG_LEVEL_4K, ktest_user_level(e.mm, BASE));
	KEXPECT_EQ(t, HPAGE_PMD_NR, count_intact(e.mm));
	env_end(t, &e);
}

/* The process exits while the collapse has the lock dropped. */
static void exit_now(struct mm_struct *mm, uintptr_t haddr)
{
	(void)haddr;
	mmput(mm); /* the last user: every page, table and the root go now */
}

/*
 * Holding only mm_count (as the thread's list does), the scan survives the
 * last mmput in the middle of a collapse: it gives up (the VMA is gone),
 * nothing leaks, and the struct goes with the last mmdrop.
 */
static void khugepaged_survives_exit_mid_collapse(struct ktest *t)
{
	unsigned long abort = thp_event_count(THP_COLLAPSE_ABORT);
	struct kh_env e;
	struct mm_struct *mm;

	KASSERT_TRUE(t, env_start(t, &e));
	mm = e.mm;
	e.mm = NULL; /* exit_now drops the users' reference */
	mmgrab(mm);
	thp_collapse_test_hook = exit_now;
	KEXPECT_EQ(t, 0, khugepaged_scan_mm(mm));
	thp_collapse_test_hook = NULL;
	KEXPECT_EQ(t, abort + 1, thp_event_count(THP_COLLAPSE_ABORT));
	KEXPECT_EQ(t, 0, mm->mm_users);
	KEXPECT_TRUE(t, !mm->khugepaged_entered);
	mmdrop(mm);
	env_end(t, &e);
}

static const struct ktest_case khugepaged_cases[] = {
    KTEST_CASE(kthread_starts_and_stops),
    KTEST_CASE(khugepaged_collapses_eligible_range),
    KTEST_CASE(khugepaged_honours_max_ptes_none),
    KTEST_CASE(khugepaged_gives_up_under_fail_page_alloc),
    KTEST_CASE(khugepaged_survives_exit_mid_collapse),
    {NULL, NULL},
};
DEFINE_KTEST_SUITE(khugepaged, khugepaged_cases);
