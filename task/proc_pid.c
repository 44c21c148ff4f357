/*
 * /proc/PID/status, /proc/PID/maps, /proc/PID/smaps_rollup and mm_check for each
 * process, in Linux's formats (status and smaps_rollup: the lines flushlab
 * has numbers for). Registered when a process
 * starts and removed when the console reaps it; the mm is pinned with
 * mmget while a file is printed, so a process exiting meanwhile cannot
 * free it under the reader.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm_types.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "task/task.h"
#include "task/task_priv.h"

#define MAPS_BUF_ORDER 2 /* 16 KiB of maps lines, as much as `cat` prints */

/* Print the CPUs of @mask as a list, "0-1,3" (Linux's Cpus_allowed_list). */
static void seq_cpu_list(struct seq_buf *s, uint64_t mask)
{
	bool first = true;

	for (int c = 0; c < 64; c++) {
		int e = c;

		if (!(mask & (1ULL << c)))
			continue;
		while (e < 63 && (mask & (1ULL << (e + 1))))
			e++;
		seq_printf(s, first ? "%d" : ",%d", c);
		if (e > c)
			seq_printf(s, "-%d", e);
		first = false;
		c = e;
	}
	seq_puts(s, "\n");
}

static int status_show(struct seq_buf *s, void *data)
{
	struct task_struct *leader = data;
	unsigned long vm_pages = 0, rss_pages = 0, hwm_pages = 0, lck_pages = 0;
	struct task_struct *parent = READ_ONCE(leader->parent);
	struct mm_struct *mm = task_get_mm(leader);
	bool zombie = READ_ONCE(leader->proc_exited);
	int threads;

	if (mm) {
		vm_pages = mm_total_vm(mm);
		lck_pages = mm_locked_vm(mm);
		rss_pages = get_mm_rss(mm);
		hwm_pages = MAX(mm->hiwater_rss, rss_pages);
		mmput(mm);
	}
	task_process_stats(leader, &threads, &rss_pages);
	seq_printf(s, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", leader->comm,
		   zombie ? "Z (zombie)" : "R (running)", leader->pid, leader->pid,
		   parent ? parent->pid : 0);
	if (!zombie)
		seq_printf(s,
			   "VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n",
			   vm_pages * 4, lck_pages * 4, hwm_pages * 4, rss_pages * 4);
	seq_printf(s, "Threads:\t%d\nCpus_allowed:\t%lx\nCpus_allowed_list:\t", threads,
		   leader->cpus_allowed);
	seq_cpu_list(s, leader->cpus_allowed);
	return 0;
}

static int maps_show(struct seq_buf *s, void *data)
{
	struct mm_struct *mm = task_get_mm(data);
	struct page *page;

	if (!mm)
		return 0; /* a zombie maps nothing, as on Linux */
	page = alloc_pages(GFP_KERNEL, MAPS_BUF_ORDER);
	if (page) {
		seq_write(s, page_address(page),
			  mm_format_maps(mm, page_address(page), PAGE_SIZE << MAPS_BUF_ORDER));
		__free_pages(page, MAPS_BUF_ORDER);
	}
	mmput(mm);
	return page ? 0 : -ENOMEM;
}

static int smaps_rollup_show(struct seq_buf *s, void *data)
{
	struct mm_struct *mm = task_get_mm(data);
	char buf[256];

	if (!mm)
		return 0;
	seq_write(s, buf, mm_format_smaps_rollup(mm, buf, sizeof(buf)));
	mmput(mm);
	return 0;
}

/*
 * flushlab's own: run the address-space invariant checker (mm/mm_check.c,
 * hugetlb mapcounts included) on this process now: "ok", or "FAIL: why".
 * Workloads read it between steps (hgm_collapse).
 */
static int mm_check_show(struct seq_buf *s, void *data)
{
	struct mm_struct *mm = task_get_mm(data);
	char why[160];

	if (!mm)
		return 0;
	if (mm_check_invariants(mm, why, sizeof(why)))
		seq_printf(s, "FAIL: %s\n", why);
	else
		seq_puts(s, "ok\n");
	mmput(mm);
	return 0;
}

void proc_pid_register(struct task_struct *leader)
{
	static int (*const shows[NR_PROC_PID_FILES])(struct seq_buf *, void *) = {
	    status_show,
	    maps_show,
	    smaps_rollup_show,
	    mm_check_show,
	};
	static const char *const names[NR_PROC_PID_FILES] = {"status", "maps", "smaps_rollup",
							     "mm_check"};

	for (int i = 0; i < NR_PROC_PID_FILES; i++) {
		struct pseudo_file *f = &leader->proc_files[i];

		snprintf(leader->proc_paths[i], sizeof(leader->proc_paths[i]), "/proc/%d/%s",
			 leader->pid, names[i]);
		*f = (struct pseudo_file){
		    .path = leader->proc_paths[i], .show = shows[i], .data = leader};
		if (pseudofs_register(f))
			f->path = NULL; /* clash: the file is just missing */
	}
}

void proc_pid_unregister(struct task_struct *leader)
{
	for (int i = 0; i < NR_PROC_PID_FILES; i++) {
		if (leader->proc_files[i].path)
			pseudofs_unregister(&leader->proc_files[i]);
		leader->proc_files[i].path = NULL;
	}
}
