/*
 * The small calls a static Linux program makes before it does anything:
 * uname, sysinfo, getrandom, prctl's names, the ids (all 0: everything
 * runs as root), getppid, and reading resource limits. Linux's answers and
 * Linux's order of checks; where flushlab differs it says so here and in
 * the README. set_robust_list and rseq are not here on purpose: they answer
 * -ENOSYS (and are counted), which glibc takes to mean "no robust futex
 * list" and "no restartable sequences" and carries on without them, as it
 * does on a Linux built without them. Arguments come in rdi, rsi, rdx, r10
 * (Linux's x86-64 system-call ABI).
 */
#include "arch/x86_64/random.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/uaccess.h"
#include "flushlab/layout.h"
#include "kernel/platform.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "task/exec.h"
#include "fs/fs.h"
#include "task/task.h"
#include "task/task_priv.h"
#include "uapi/prctl.h"
#include "uapi/random.h"
#include "uapi/resource.h"
#include "uapi/sysinfo.h"
#include "uapi/utsname.h"

/*
 * glibc refuses to start on a kernel older than it was built for (2.35+:
 * 3.2), reading the release string; the 6.12 here is the Linux whose ABI
 * flushlab follows, the suffix says whose kernel it really is.
 */
static const struct new_utsname flushlab_uts = {
    .sysname = "Linux",
    .nodename = "flushlab",
    .release = "6.12.0-flushlab",
    .version = "#1 SMP flushlab",
    .machine = "x86_64",
    .domainname = "(none)",
};

long sys_uname(struct trap_frame *r)
{
	return copy_to_user(r->rdi, &flushlab_uts, sizeof(flushlab_uts)) ? -EFAULT : 0;
}

/*
 * Linux's do_sysinfo. Differences: no load average is kept (loads are 0);
 * there is no swap, no shared memory yet and no buffer cache (0, truthfully);
 * procs counts live threads, as Linux's nr_threads.
 */
long sys_sysinfo(struct trap_frame *r)
{
	struct sysinfo info;
	uint64_t up = clock_ns();

	memset(&info, 0, sizeof(info));
	info.uptime = (long)(up / 1000000000 + (up % 1000000000 ? 1 : 0)); /* Linux rounds up */
	info.totalram = totalram_pages() * PAGE_SIZE;
	info.freeram = nr_free_pages() * PAGE_SIZE;
	info.procs = (unsigned short)nr_tasks_alive();
	info.mem_unit = 1;
	return copy_to_user(r->rdi, &info, sizeof(info)) ? -EFAULT : 0;
}

/*
 * Linux's getrandom order: unknown flags, then GRND_INSECURE with
 * GRND_RANDOM (-EINVAL); the buffer (-EFAULT if it is not user memory);
 * then the bytes, at most MAX_RW_COUNT, never blocking (the generator is
 * ready from boot: arch/x86_64/random.c). A fault part way returns the
 * bytes copied so far, -EFAULT if none.
 */
#define GETRANDOM_CHUNK 256

long sys_getrandom(struct trap_frame *r)
{
	uintptr_t ubuf = r->rdi;
	size_t len = MIN((size_t)r->rsi, (size_t)MAX_RW_COUNT), done = 0;
	unsigned int flags = (unsigned int)r->rdx;
	uint8_t chunk[GETRANDOM_CHUNK];

	if (flags & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (!access_ok(ubuf, len))
		return -EFAULT;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk)), left;

		get_random_bytes(chunk, n);
		left = copy_to_user(ubuf + done, chunk, n);
		done += n - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	memset(chunk, 0, sizeof(chunk)); /* no copy of what the caller got stays on the stack */
	return (long)done;
}

/*
 * The comm is written while others may read it (/proc/PID/status, ps): a
 * reader can see a mix of the old and new name, never a missing NUL, since
 * comm's last byte stays 0 (Linux locks the task for this; a torn name is
 * cosmetic). PR_SET_VMA answers -EINVAL, as a Linux built without
 * CONFIG_ANON_VMA_NAME does: anonymous mappings have no names here. Other
 * options: -EINVAL, as Linux answers an unknown one.
 */
long sys_prctl(struct trap_frame *r)
{
	struct task_struct *t = current;
	char comm[TASK_COMM_LEN];

	switch (r->rdi) {
	case PR_SET_NAME:
		memset(comm, 0, sizeof(comm));
		if (strncpy_from_user(comm, r->rsi, sizeof(comm) - 1) < 0)
			return -EFAULT;
		memcpy(t->comm, comm, sizeof(comm));
		return 0;
	case PR_GET_NAME:
		memcpy(comm, t->comm, sizeof(comm));
		comm[sizeof(comm) - 1] = '\0';
		return copy_to_user(r->rsi, comm, sizeof(comm)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

/* getuid, geteuid, getgid, getegid: everything runs as root. */
long sys_getid_root(struct trap_frame *r)
{
	return 0;
}

/*
 * The limits flushlab really has: NR_OPEN descriptors, NR_TASKS tasks, an
 * 8 MiB stack (task/exec.h), no core dumps, no nice or real-time priority
 * beyond the default; the rest unlimited.
 */
static void rlimit_get(unsigned int resource, struct rlimit64 *rl)
{
	static const struct rlimit64 fixed[RLIM_NLIMITS] = {
	    [RLIMIT_CPU] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_FSIZE] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_DATA] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_STACK] = {USER_STACK_SIZE, USER_STACK_SIZE},
	    [RLIMIT_CORE] = {0, 0},
	    [RLIMIT_RSS] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_NPROC] = {NR_TASKS, NR_TASKS},
	    [RLIMIT_NOFILE] = {NR_OPEN, NR_OPEN},
	    [RLIMIT_MEMLOCK] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_AS] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_LOCKS] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_SIGPENDING] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_MSGQUEUE] = {RLIM_INFINITY, RLIM_INFINITY},
	    [RLIMIT_NICE] = {0, 0},
	    [RLIMIT_RTPRIO] = {0, 0},
	    [RLIMIT_RTTIME] = {RLIM_INFINITY, RLIM_INFINITY},
	};

	*rl = fixed[array_index_nospec(resource, RLIM_NLIMITS)];
}

/*
 * Linux's prlimit64 order: the new limit is copied first (-EFAULT), then
 * the pid (-ESRCH: only the caller's process, 0 or its own tgid), then the
 * resource (-EINVAL), a new soft limit above its hard one (-EINVAL). The
 * limits are fixed: a new limit equal to the current one is accepted, any
 * other is -EPERM (Linux lets root change them; flushlab cannot, and says
 * so in the README). Then the old limit is written (-EFAULT).
 */
static long do_prlimit(int pid, unsigned int resource, uintptr_t unew, uintptr_t uold)
{
	struct rlimit64 new, cur;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (pid != 0 && pid != current->tgid)
		return -ESRCH;
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	rlimit_get(resource, &cur);
	if (unew && new.rlim_cur > new.rlim_max)
		return -EINVAL;
	if (unew && (new.rlim_cur != cur.rlim_cur || new.rlim_max != cur.rlim_max))
		return -EPERM;
	if (uold && copy_to_user(uold, &cur, sizeof(cur)))
		return -EFAULT;
	return 0;
}

long sys_prlimit64(struct trap_frame *r)
{
	return do_prlimit((int)r->rdi, (unsigned int)r->rsi, r->rdx, r->r10);
}

/* getrlimit/setrlimit: struct rlimit has prlimit64's layout on x86-64. */
long sys_getrlimit(struct trap_frame *r)
{
	return do_prlimit(0, (unsigned int)r->rdi, 0, r->rsi);
}

long sys_setrlimit(struct trap_frame *r)
{
	return do_prlimit(0, (unsigned int)r->rdi, r->rsi, 0);
}
