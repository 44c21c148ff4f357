/*
 * /proc/PID/status, /proc/PID/maps, /proc/PID/smaps_rollup and mm_check for each
 * process, in Linux's formats (status and smaps_rollup: the lines flushlab
 * has numbers for). The directory exists from a process's start until the
 * console reaps it (proc_pid_lookup); the mm is pinned with mmget while a
 * file is printed, so a process exiting meanwhile cannot free it under the
 * reader.
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
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
	unsigned long vm_pages = 0, rss_pages = 0, hwm_pages = 0;
	struct mm_struct *mm = task_get_mm(leader);
	bool zombie = READ_ONCE(leader->proc_exited);
	int threads;

	if (mm) {
		vm_pages = mm_total_vm(mm);
		rss_pages = get_mm_rss(mm);
		hwm_pages = MAX(mm->hiwater_rss, rss_pages);
		mmput(mm);
	}
	task_process_stats(leader, &threads, &rss_pages);
	seq_printf(s, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t0\n", leader->comm,
		   zombie ? "Z (zombie)" : "R (running)", leader->pid, leader->pid);
	if (!zombie)
		seq_printf(s, "VmSize:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", vm_pages * 4,
			   hwm_pages * 4, rss_pages * 4);
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

/*
 * /proc/PID: a directory per process (kernel threads have none here), from
 * its start until the console reaps it, so a zombie's status still reads.
 * "self" names the calling process, as Linux's /proc/self link does; the
 * console, which is no process, has none.
 */
struct pid_find {
	int pid;
	struct task_struct *leader;
};

static void find_pid(struct task_struct *leader, void *ctx)
{
	struct pid_find *pf = ctx;

	if (!leader->is_kthread && leader->pid == pf->pid)
		pf->leader = leader;
}

static void *proc_pid_lookup(void *parent, const char *name)
{
	struct pid_find pf = {0, NULL};
	char canon[16];

	if (!strcmp(name, "self"))
		return current ? current->group_leader : NULL;
	/* Decimal as Linux prints it: "0012" or "+12" name no process. */
	if (kstrtoint(name, 10, &pf.pid) || pf.pid <= 0)
		return NULL;
	snprintf(canon, sizeof(canon), "%d", pf.pid);
	if (strcmp(canon, name))
		return NULL;
	task_for_each_process(find_pid, &pf);
	return pf.leader;
}

struct pid_emit {
	void (*emit)(const char *name, void *ctx);
	void *ctx;
};

static void emit_pid(struct task_struct *leader, void *ctx)
{
	struct pid_emit *pe = ctx;
	char name[16];

	if (leader->is_kthread)
		return;
	snprintf(name, sizeof(name), "%d", leader->pid);
	pe->emit(name, pe->ctx);
}

static void proc_pid_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	struct pid_emit pe = {emit, ctx};

	task_for_each_process(emit_pid, &pe);
	if (current)
		emit("self", ctx);
}

static const struct pseudo_dir_ops proc_pid_dirs = {proc_pid_lookup, proc_pid_iterate};

DEFINE_PSEUDO_DIR(proc_pid_dir, "/proc/*", &proc_pid_dirs);
DEFINE_PSEUDO_FILE(proc_pid_status, "/proc/*/status", status_show, NULL, 0444);
DEFINE_PSEUDO_FILE(proc_pid_maps, "/proc/*/maps", maps_show, NULL, 0444);
DEFINE_PSEUDO_FILE(proc_pid_smaps_rollup, "/proc/*/smaps_rollup", smaps_rollup_show, NULL, 0444);
DEFINE_PSEUDO_FILE(proc_pid_mm_check, "/proc/*/mm_check", mm_check_show, NULL, 0444);
