/*
 * khugepaged's scan (Linux's khugepaged_do_scan and khugepaged_scan_mm_slot):
 * the list of mms that have a THP-eligible VMA, a cursor (mm, address)
 * that each pass moves on by pages_to_scan PTEs, and collapse_pmd for
 * every block of small pages on its way. The thread itself lives in
 * task/khugepaged_thread.c.
 *
 * Lifetime, the argument for a process that exits mid-scan: an mm on the
 * list holds an mm_count reference (mmgrab), so its struct and lock stay.
 * The last mmput empties it (every VMA, page and table, the root: pgd 0)
 * before dropping its own reference, with mm_users already 0. Every step
 * of the scan, and both halves of collapse_pmd, take the mm lock and start
 * with find_vma: on an emptied mm it finds nothing and gives up, touching
 * no table. So the worst an exit can do is make the current step fail;
 * the mm leaves the list at the exit (khugepaged_exit), or, if the scan is
 * working on it right now, when the scan moves on (collect_mm_slot).
 */
#include "kernel/platform.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "mm/huge_memory.h"
#include "mm/khugepaged.h"
#include "mm/mm_internal.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"

unsigned int khugepaged_pages_to_scan = 8 * HPAGE_PMD_NR; /* Linux: HPAGE_PMD_NR * 8 */
unsigned int khugepaged_scan_sleep_millisecs = 10000;
unsigned int khugepaged_max_ptes_none = HPAGE_PMD_NR - 1;
unsigned int khugepaged_defrag = 1;
unsigned long khugepaged_pages_collapsed, khugepaged_full_scans;
void (*khugepaged_wakeup)(void);
void (*khugepaged_wakeup_within)(unsigned int ms);

/* The list and the cursor (Linux's khugepaged_scan); the lock nests inside mm locks. */
static struct {
	struct spinlock lock;
	struct list_head mm_head;
	struct mm_struct *mm; /* the mm being scanned, NULL: start at the head */
	uintptr_t address;    /* where in it (the thread only) */
	bool busy;	      /* a pass is working on mm with the lock dropped */
} scan = {.mm_head = LIST_HEAD_INIT(scan.mm_head)};

void khugepaged_enter_vma(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	uintptr_t h = ALIGN_UP(vma->vm_start, HPAGE_PMD_SIZE);
	bool first = false;

	if (!mm || READ_ONCE(mm->khugepaged_entered) || h + HPAGE_PMD_SIZE > vma->vm_end ||
	    !thp_vma_allowable(vma, h, true))
		return;
	spin_lock(&scan.lock);
	if (!mm->khugepaged_entered) {
		first = list_empty(&scan.mm_head);
		mmgrab(mm); /* the list's reference; dropped when it leaves */
		mm->khugepaged_entered = true;
		mm->khugepaged_enter_ns = clock_ns();
		list_add_tail(&mm->khugepaged_node, &scan.mm_head);
	}
	spin_unlock(&scan.lock);
	/*
	 * The thread sleeps without end while the list is empty (as Linux's);
	 * the first mm ends that sleep when the mm is old enough to be scanned
	 * (cursor_get), not at once: no pass runs in a short program's life.
	 */
	if (first && khugepaged_wakeup_within)
		khugepaged_wakeup_within(READ_ONCE(khugepaged_scan_sleep_millisecs));
}

bool khugepaged_has_work(void)
{
	return !list_empty(&scan.mm_head); /* a racy peek: the thread only chooses a sleep */
}

/* Lock held. Move the cursor past @mm; true if that wrapped to the head. */
static bool advance_locked(struct mm_struct *mm)
{
	struct list_head *next = mm->khugepaged_node.next;

	scan.address = 0;
	if (next == &scan.mm_head) {
		scan.mm = NULL;
		return true;
	}
	scan.mm = container_of(next, struct mm_struct, khugepaged_node);
	return false;
}

/* Lock held. Take @mm off the list; the caller mmdrops it after unlocking. */
static void unlist_locked(struct mm_struct *mm)
{
	list_del(&mm->khugepaged_node);
	mm->khugepaged_entered = false;
}

void khugepaged_exit(struct mm_struct *mm)
{
	bool drop = false;

	spin_lock(&scan.lock);
	if (mm->khugepaged_entered && !(scan.busy && scan.mm == mm)) {
		if (scan.mm == mm)
			advance_locked(
			    mm); /* a pass resumes at the next mm (no full scan counted) */
		unlist_locked(mm);
		drop = true;
	}
	spin_unlock(&scan.lock);
	if (drop)
		mmdrop(mm); /* not the last: the exiting users still hold theirs */
}

/*
 * Scan @mm from *@addr for at most @budget PTEs' worth (HPAGE_PMD_NR per
 * block looked at, 1 per VMA skipped, as Linux counts). *@done: the mm is
 * finished (or gone). Adds each block collapsed to *@collapsed at once
 * (a reader of pages_collapsed sees it before the pass ends).
 */
static unsigned int scan_mm(struct mm_struct *mm, uintptr_t *addr, unsigned int budget,
			    const struct collapse_control *cc, void *scratch, void (*resched)(void),
			    bool *done, unsigned long *collapsed)
{
	unsigned int progress = 0;

	*done = false;
	while (progress < budget) {
		struct vm_area_struct *vma;
		enum pmd_state st = PMD_STATE_NONE;
		uintptr_t h = 0;
		bool eligible;

		mm_lock(mm);
		vma = READ_ONCE(mm->mm_users) ? find_vma(&mm->vmas, *addr) : NULL;
		if (vma) {
			h = ALIGN_UP(MAX(*addr, vma->vm_start), HPAGE_PMD_SIZE);
			eligible =
			    h + HPAGE_PMD_SIZE <= vma->vm_end && thp_vma_allowable(vma, h, true);
			if (eligible)
				st = arch_mmu_user_pmd_state(mm->pgd, h);
			*addr = eligible ? h + HPAGE_PMD_SIZE : vma->vm_end;
			progress += eligible ? HPAGE_PMD_NR : 1;
		}
		mm_unlock(mm);
		if (!vma) {
			*done = true;
			break;
		}
		if (st == PMD_STATE_TABLE && collapse_pmd(mm, h, scratch, cc) == 1)
			__atomic_add_fetch(collapsed, 1, __ATOMIC_RELAXED);
		if (resched)
			resched();
	}
	return progress;
}

static struct collapse_control khugepaged_cc(void)
{
	return (struct collapse_control){.is_khugepaged = true,
					 .max_ptes_none = READ_ONCE(khugepaged_max_ptes_none)};
}

/*
 * The cursor's mm for this step, or NULL when the list is empty. An mm
 * younger on the list than scan_sleep_millisecs is passed over (*@young):
 * flushlab's rule, not Linux's (which scans a new mm at once), so that a
 * program shorter than one sleep is never touched with the default knobs
 * and the benchmarks' counts stay exact (docs/thp.md).
 */
static struct mm_struct *cursor_get(bool *young)
{
	struct mm_struct *mm;

	spin_lock(&scan.lock);
	if (!scan.mm && !list_empty(&scan.mm_head)) {
		scan.mm = list_first_entry(&scan.mm_head, struct mm_struct, khugepaged_node);
		scan.address = 0;
	}
	mm = scan.mm;
	if (mm) {
		*young = clock_ns() - mm->khugepaged_enter_ns <
			 (uint64_t)READ_ONCE(khugepaged_scan_sleep_millisecs) * 1000000;
		scan.busy = !*young; /* a young mm is not touched: its exit may unlist it */
	}
	spin_unlock(&scan.lock);
	return mm;
}

/*
 * Done with the cursor's mm for now; if @finished move on (collecting a
 * dead mm). If the cursor moved meanwhile (a young mm's exit unlisted it
 * and moved it), @mm may be freed already: only compared, never read.
 */
static bool cursor_put(struct mm_struct *mm, bool finished)
{
	bool wrapped = false, drop = false;

	spin_lock(&scan.lock);
	scan.busy = false;
	if (finished && scan.mm == mm) {
		wrapped = advance_locked(mm);
		if (!READ_ONCE(mm->mm_users)) { /* Linux's collect_mm_slot */
			unlist_locked(mm);
			drop = true;
		}
	}
	spin_unlock(&scan.lock);
	if (drop)
		mmdrop(mm); /* maybe the last reference: the struct goes */
	if (wrapped)
		__atomic_add_fetch(&khugepaged_full_scans, 1, __ATOMIC_RELAXED);
	return wrapped;
}

void khugepaged_do_scan(bool (*should_stop)(void), void (*resched)(void))
{
	unsigned int pages = READ_ONCE(khugepaged_pages_to_scan), progress = 0;
	struct collapse_control cc = khugepaged_cc();
	struct page *scratch = NULL;
	bool wrapped = false;

	while (progress < pages && !wrapped && !(should_stop && should_stop())) {
		bool young = false, done = true;
		struct mm_struct *mm = cursor_get(&young);

		if (!mm)
			break;
		/* Scratch only when there is an mm to scan: a pass over young mms allocates
		 * nothing. */
		if (!young && !scratch)
			scratch = alloc_pages(GFP_KERNEL | __GFP_NOWARN, COLLAPSE_SCRATCH_ORDER);
		if (!young && scratch)
			progress +=
			    scan_mm(mm, &scan.address, pages - progress, &cc, page_address(scratch),
				    resched, &done, &khugepaged_pages_collapsed);
		progress++; /* each mm visited counts, so a pass of young mms ends */
		wrapped =
		    cursor_put(mm, done || !scratch); /* no scratch: move on, retry next pass */
	}
	if (scratch)
		__free_pages(scratch, COLLAPSE_SCRATCH_ORDER);
}

long khugepaged_scan_mm(struct mm_struct *mm)
{
	struct collapse_control cc = khugepaged_cc();
	struct page *scratch = alloc_pages(GFP_KERNEL | __GFP_NOWARN, COLLAPSE_SCRATCH_ORDER);
	unsigned long collapsed = 0;
	uintptr_t addr = 0;
	bool done = false;

	if (!scratch)
		return -ENOMEM;
	while (!done)
		scan_mm(mm, &addr, ~0U, &cc, page_address(scratch), NULL, &done, &collapsed);
	__free_pages(scratch, COLLAPSE_SCRATCH_ORDER);
	return (long)collapsed; /* not in pages_collapsed: that counts the thread's work */
}

unsigned int khugepaged_scan_sleep_ms(void)
{
	return READ_ONCE(khugepaged_scan_sleep_millisecs);
}
