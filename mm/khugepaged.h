/*
 * khugepaged, the mm half (Linux's mm/khugepaged.c): the list of address
 * spaces with THP-eligible VMAs, one scan pass over them that collapses
 * 2 MiB blocks of small pages, its knobs and counters under
 * /sys/kernel/mm/transparent_hugepage/khugepaged/. The thread that runs
 * the passes is task/khugepaged_thread.c (mm/ does not call up into task/).
 */
#ifndef MM_KHUGEPAGED_H
#define MM_KHUGEPAGED_H

#include <stdbool.h>
#include <stdint.h>

struct mm_struct;
struct vm_area_struct;

/* Who collapses, and with which limits (Linux's struct collapse_control). */
struct collapse_control {
	bool is_khugepaged; /* obey the enabled policy and max_ptes_none; else MADV_COLLAPSE */
	unsigned int max_ptes_none; /* empty PTEs a block may have and still be collapsed */
};

/* Scratch a collapse needs (two snapshots of a table): pages of this order. */
#define COLLAPSE_SCRATCH_ORDER 2

/*
 * Collapse the 2 MiB block at @haddr of @mm if @cc allows it. Takes and
 * drops the mm lock (call without it). 1 (collapsed), 0 (a leaf already),
 * -EINVAL (not eligible, too many empty PTEs), -EAGAIN (a page changed
 * or may not be taken: counted thp_collapse_abort when it changed under
 * us), -ENOMEM (no 2 MiB page: thp_collapse_alloc_failed).
 */
long collapse_pmd(struct mm_struct *mm, uintptr_t haddr, void *scratch,
		  const struct collapse_control *cc);

/* The mm of @vma joins khugepaged's list if the VMA may hold a huge page. Lock held. */
void khugepaged_enter_vma(struct vm_area_struct *vma);
/* The last mmput: @mm leaves the list (or is left for the scan to collect). */
void khugepaged_exit(struct mm_struct *mm);

/*
 * One pass (the thread's, between two sleeps): up to pages_to_scan PTEs
 * of the listed mms, from where the last pass stopped; ends early when the
 * list wraps (full_scans counts it) or @should_stop says so; calls
 * @resched between blocks. Each collapse is added to pages_collapsed.
 */
void khugepaged_do_scan(bool (*should_stop)(void), void (*resched)(void));
/* Milliseconds to sleep between passes (scan_sleep_millisecs). */
unsigned int khugepaged_scan_sleep_ms(void);
/* Is any mm on the list? (The thread sleeps without end while none is.) */
bool khugepaged_has_work(void);
/* Set by the thread: wake it now (scan_sleep_millisecs written, as Linux does). */
extern void (*khugepaged_wakeup)(void);
/* Set by the thread: end its sleep within @ms (the first mm joined the list). */
extern void (*khugepaged_wakeup_within)(unsigned int ms);

/*
 * Tests: scan every block of @mm once with khugepaged's rules and the
 * current knobs, now, whatever its age on the list. Returns the blocks
 * collapsed, or -ENOMEM if the scratch could not be had.
 */
long khugepaged_scan_mm(struct mm_struct *mm);

/* Knobs and counters (khugepaged_scan.c, khugepaged_sysfs.c). */
extern unsigned int khugepaged_pages_to_scan;	     /* 1..UINT_MAX, Linux's default 4096 */
extern unsigned int khugepaged_scan_sleep_millisecs; /* Linux's default 10000 */
extern unsigned int khugepaged_max_ptes_none;	     /* 0..511, default 511 */
extern unsigned int khugepaged_defrag; /* 0 or 1, default 1; no effect here (no compaction) */
extern unsigned long khugepaged_pages_collapsed, khugepaged_full_scans;

#endif
