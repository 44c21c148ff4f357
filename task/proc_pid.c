/*
 * /proc/PID/{status,maps,smaps,smaps_rollup,pagemap} and flushlab's own
 * mm_check for each process, and /proc/self, in Linux's formats (status and
 * smaps_rollup: the lines flushlab has numbers for; mm/task_mmu.c formats
 * the address space). The directory exists from a process's start until the
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
#include "smp/smp.h"
#include "task/task.h"
#include "task/task_priv.h"

/*
 * Linux's status, the lines flushlab has numbers for, in Linux's order.
 * Every process runs as root (uid and gid 0) with umask 022. PPid is the
 * forking process; the console, which starts programs, is no process, so
 * its programs and orphans show 0, as Linux's init does.
 */
static void status_vm(struct seq_buf *s, struct task_struct *leader, unsigned long rss_pages)
{
	struct mm_struct *mm = task_get_mm(leader);
	unsigned long vm = 0, lck = 0, hwm = 0, anon = 0, huge = 0, pte = 0;

	if (mm) {
		vm = mm_total_vm(mm);
		lck = mm_locked_vm(mm);
		hwm = MAX(mm->hiwater_rss, get_mm_rss(mm));
		anon = get_mm_counter(mm, MM_ANONPAGES);
		huge = get_mm_counter(mm, MM_HUGEPAGES);
		pte = (unsigned long)READ_ONCE(mm->pgtables_pages);
		mmput(mm);
	}
	seq_printf(s, "VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n",
		   vm * 4, lck * 4, hwm * 4, rss_pages * 4);
	seq_printf(s, "RssAnon:\t%8lu kB\nRssFile:\t%8lu kB\nRssShmem:\t%8lu kB\n", anon * 4, 0UL,
		   0UL);
	seq_printf(s, "VmPTE:\t%8lu kB\nHugetlbPages:\t%8lu kB\n", pte * 4, huge * 4);
}

static int status_show(struct seq_buf *s, void *data)
{
	struct task_struct *leader = data;
	struct task_struct *parent = READ_ONCE(leader->parent);
	bool zombie = READ_ONCE(leader->proc_exited);
	uint64_t nodes = 1;
	unsigned long rss_pages;
	int threads;

	task_process_stats(leader, &threads, &rss_pages);
	seq_printf(s, "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\n", leader->comm,
		   zombie ? "Z (zombie)" : "R (running)", leader->pid);
	seq_printf(s, "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
		   leader->pid, parent ? parent->pid : 0);
	seq_printf(s, "FDSize:\t%d\n", NR_OPEN);
	if (!zombie)
		status_vm(s, leader, rss_pages);
	seq_printf(s, "Threads:\t%d\nCpus_allowed:\t", threads);
	seq_bitmap(s, &leader->cpus_allowed, MIN(smp_cpus_expected(), 64));
	seq_puts(s, "\nCpus_allowed_list:\t");
	seq_bitmap_list(s, &leader->cpus_allowed, 64);
	seq_puts(s, "\nMems_allowed:\t");
	seq_bitmap(s, &nodes, 1);
	seq_puts(s, "\nMems_allowed_list:\t0\n");
	return 0;
}

/* Run @show on the process's mm, pinned meanwhile; a zombie maps nothing, as on Linux. */
static int show_mm(struct seq_buf *s, void *leader,
		   int (*show)(struct seq_buf *s, struct mm_struct *mm))
{
	struct mm_struct *mm = task_get_mm(leader);
	int ret;

	if (!mm)
		return 0;
	ret = show(s, mm);
	mmput(mm);
	return ret;
}

static int maps_show(struct seq_buf *s, void *data)
{
	return show_mm(s, data, mm_show_maps);
}

static int smaps_show(struct seq_buf *s, void *data)
{
	return show_mm(s, data, mm_show_smaps);
}

static int smaps_rollup_show(struct seq_buf *s, void *data)
{
	return show_mm(s, data, mm_show_smaps_rollup);
}

/* Read at an offset: 8 bytes per page, as mm_read_pagemap says; a zombie's is empty. */
static long pagemap_read_at(void *data, char *buf, size_t count, uint64_t pos)
{
	struct mm_struct *mm = task_get_mm(data);
	long ret;

	if (!mm)
		return 0;
	ret = mm_read_pagemap(mm, buf, count, pos);
	mmput(mm);
	return ret;
}

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

/* /proc/self is a link to the caller's /proc/PID: readlink gives "PID", as on Linux. */
static int proc_pid_readlink(void *inst, const char *name, char *buf, size_t size)
{
	const struct task_struct *leader = inst;
	int n;

	if (strcmp(name, "self"))
		return -EINVAL;
	n = snprintf(buf, size, "%d", leader->pid);
	return n < (int)size ? n : -ENAMETOOLONG;
}

/*
 * /proc/PID/task/: one entry per thread, named by its id, as Linux's; a
 * process's threads are found by listing it (hwloc does, to bind or read
 * every thread's affinity). The entries hold no files here.
 */
static bool tid_is(struct task_struct *t, void *ctx)
{
	return t->pid == *(const int *)ctx;
}

static void *proc_task_lookup(void *parent, const char *name)
{
	char canon[16];
	int tid;

	if (!parent || kstrtoint(name, 10, &tid) || tid <= 0)
		return NULL;
	snprintf(canon, sizeof(canon), "%d", tid);
	if (strcmp(canon, name))
		return NULL;
	return task_find_thread(parent, tid_is, &tid);
}

static void emit_tid(struct task_struct *t, void *ctx)
{
	struct pid_emit *pe = ctx;
	char name[16];

	snprintf(name, sizeof(name), "%d", t->pid);
	pe->emit(name, pe->ctx);
}

static void proc_task_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	struct pid_emit pe = {emit, ctx};

	if (parent)
		task_for_each_thread(parent, emit_tid, &pe);
}

static const struct pseudo_dir_ops proc_task_dirs = {.lookup = proc_task_lookup,
						     .iterate = proc_task_iterate};

static const struct pseudo_dir_ops proc_pid_dirs = {
    .lookup = proc_pid_lookup, .iterate = proc_pid_iterate, .readlink = proc_pid_readlink};

DEFINE_PSEUDO_DIR(proc_pid_dir, "/proc/*", &proc_pid_dirs);
DEFINE_PSEUDO_DIR(proc_pid_task_dir, "/proc/*/task/*", &proc_task_dirs);
DEFINE_PSEUDO_FILE(proc_pid_status, "/proc/*/status", status_show, NULL, 0444);
DEFINE_PSEUDO_FILE(proc_pid_maps, "/proc/*/maps", maps_show, NULL, 0444);
DEFINE_PSEUDO_FILE(proc_pid_smaps, "/proc/*/smaps", smaps_show, NULL, 0444);
DEFINE_PSEUDO_FILE_EXT(proc_pid_pagemap, .path = "/proc/*/pagemap", .read_at = pagemap_read_at,
		       .mode = 0444);
DEFINE_PSEUDO_FILE(proc_pid_smaps_rollup, "/proc/*/smaps_rollup", smaps_rollup_show, NULL, 0444);
DEFINE_PSEUDO_FILE(proc_pid_mm_check, "/proc/*/mm_check", mm_check_show, NULL, 0444);
