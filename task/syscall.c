/*
 * The system call table, with Linux's x86-64 numbers and -errno returns.
 * Numbers not in the table answer -ENOSYS and are counted per number
 * (/sys/kernel/debug/flushlab/syscalls), so a program that needs more is
 * visible rather than silently broken. Memory calls go to the mm API.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/rtc.h"
#include "task/sigframe.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/uaccess.h"
#include "flushlab/layout.h"
#include "kernel/platform.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "kernel/spinlock.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "smp/cpumask.h"
#include "smp/smp.h"
#include "fs/fs.h"
#include "task/futex.h"
#include "task/hrtimer.h"
#include "task/sched.h"
#include "task/signal.h"
#include "task/task.h"
#include "task/task_priv.h"
#include "uapi/asm/prctl.h"
#include "uapi/asm/unistd_64.h"
#include "uapi/time.h"
#include "uapi/uio.h"

#define NR_SYSCALLS 512
#define TICK_NSEC (1000000000ULL / SMP_TICK_HZ) /* Linux's TICK_NSEC: one jiffy */

typedef long (*syscall_fn)(struct trap_frame *regs);

static uint64_t nr_calls, nr_enosys_total;
static uint64_t nr_enosys[NR_SYSCALLS];
/* The last program each number answered -ENOSYS to, for the console to find it. */
static struct {
	int tgid;
	char comm[TASK_COMM_LEN];
} enosys_last[NR_SYSCALLS];
static DEFINE_SPINLOCK(enosys_last_lock);

static void note_enosys(uint64_t nr, const struct task_struct *t)
{
	uint64_t flags;

	__atomic_add_fetch(nr < NR_SYSCALLS ? &nr_enosys[nr] : &nr_enosys_total, 1,
			   __ATOMIC_RELAXED);
	if (nr >= NR_SYSCALLS)
		return;
	spin_lock_irqsave(&enosys_last_lock, flags);
	enosys_last[nr].tgid = t->tgid;
	memcpy(enosys_last[nr].comm, t->comm, sizeof(enosys_last[nr].comm));
	spin_unlock_irqrestore(&enosys_last_lock, flags);
}

/* Argument n of the Linux ABI: rdi, rsi, rdx, r10, r8, r9. */
#define ARG1(r) ((r)->rdi)
#define ARG2(r) ((r)->rsi)
#define ARG3(r) ((r)->rdx)
#define ARG4(r) ((r)->r10)
#define ARG5(r) ((r)->r8)
#define ARG6(r) ((r)->r9)

static long sys_read(struct trap_frame *r)
{
	return file_read(current, (int)ARG1(r), ARG2(r), ARG3(r));
}

static long sys_write(struct trap_frame *r)
{
	return file_write(current, (int)ARG1(r), ARG2(r), ARG3(r));
}

static long sys_close(struct trap_frame *r)
{
	return file_close(current, (int)ARG1(r));
}

/* Anonymous mappings, and /dev/daxR.N (file.c answers -ENODEV for other files). */
static long sys_mmap(struct trap_frame *r)
{
	uintptr_t out = 0;
	long err;

	if (ARG6(r) & (PAGE_SIZE - 1))
		return -EINVAL; /* Linux's x86 sys_mmap checks the offset first, for every map */
	if (!(ARG4(r) & MAP_ANONYMOUS))
		err = file_mmap(current, (int)ARG5(r), ARG1(r), ARG2(r), (int)ARG3(r), (int)ARG4(r),
				ARG6(r), &out);
	else
		err = do_mmap(current->mm, ARG1(r), ARG2(r), (int)ARG3(r), (int)ARG4(r), &out);
	return err ? err : (long)out;
}

static long sys_mprotect(struct trap_frame *r)
{
	return do_mprotect(current->mm, ARG1(r), ARG2(r), (int)ARG3(r));
}

static long sys_munmap(struct trap_frame *r)
{
	return do_munmap(current->mm, ARG1(r), ARG2(r));
}

static long sys_madvise(struct trap_frame *r)
{
	return do_madvise(current->mm, ARG1(r), ARG2(r), (int)ARG3(r));
}

/* brk never moves: every request "fails" the way Linux reports it, with the current break. */
static long sys_brk(struct trap_frame *r)
{
	return (long)current->start_brk;
}

static long sys_ioctl(struct trap_frame *r)
{
	return file_ioctl(current, (int)ARG1(r), ARG2(r), ARG3(r));
}

/*
 * import_iovec's checks, in Linux's order (fs/read_write.c do_writev,
 * vfs_writev; lib/iov_iter.c __import_iovec): the fd (-EBADF, -EINVAL
 * when it cannot be written), the count (0 writes nothing, more than
 * UIO_MAXIOV -EINVAL), the array (-EFAULT) and every length (-EINVAL if
 * negative as a ssize_t, unless there is just one), then every base (access_ok, -EFAULT), all
 * before the first byte is written. The array is read twice (it does not
 * fit a kernel stack): a racing change of it only changes what is
 * written, file_write checks each segment again.
 */
static long writev_check(int fd, uintptr_t uiov, unsigned long iovcnt)
{
	long err = file_write(current, fd, 0, 0); /* fd open, writable, writes of this kind */
	struct iovec v;

	if (err < 0 || iovcnt == 0)
		return err < 0 ? err : 0;
	if (iovcnt > UIO_MAXIOV)
		return -EINVAL;
	for (unsigned long i = 0; i < iovcnt; i++) {
		if (copy_from_user(&v, uiov + i * sizeof(v), sizeof(v)))
			return -EFAULT;
		if ((long)v.iov_len < 0 && iovcnt > 1)
			return -EINVAL; /* one iovec is an import_ubuf: its length is only capped */
	}
	for (unsigned long i = 0; i < iovcnt; i++) {
		if (copy_from_user(&v, uiov + i * sizeof(v), sizeof(v)))
			return -EFAULT;
		if (!access_ok((uintptr_t)v.iov_base, MIN(v.iov_len, (uint64_t)MAX_RW_COUNT)))
			return -EFAULT;
	}
	return 0;
}

static long sys_writev(struct trap_frame *r)
{
	uintptr_t uiov = ARG2(r);
	int fd = (int)ARG1(r);
	unsigned long iovcnt = ARG3(r);
	long total = 0, err = writev_check(fd, uiov, iovcnt);

	if (err)
		return err;
	for (unsigned long i = 0; i < iovcnt && total < MAX_RW_COUNT; i++) {
		struct iovec v;
		long n;

		if (copy_from_user(&v, uiov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		v.iov_len = MIN(v.iov_len, (uint64_t)(MAX_RW_COUNT - total));
		if (v.iov_len == 0)
			continue;
		n = file_write(current, fd, (uintptr_t)v.iov_base, v.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < v.iov_len)
			break;
	}
	return total;
}

static long sys_getpid(struct trap_frame *r)
{
	return current->tgid;
}

static long sys_gettid(struct trap_frame *r)
{
	return current->pid;
}

static long sys_exit(struct trap_frame *r)
{
	do_exit(((int)ARG1(r) & 0xff) << 8); /* this thread; the last one ends the process */
}

/*
 * FS and GS bases must stay below TASK_SIZE: isr.asm's paranoid entry
 * tells a kernel GS base from a user one by its sign (Linux's -EPERM rule).
 */
static long sys_arch_prctl(struct trap_frame *r)
{
	struct task_struct *t = current;
	uint64_t addr = ARG2(r), val;

	switch (ARG1(r)) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		if (ARG1(r) == ARCH_SET_FS) {
			t->fsbase = addr;
			wrmsr(MSR_FS_BASE, addr);
		} else {
			t->gsbase = addr;
			wrmsr(MSR_KERNEL_GS_BASE, addr); /* live after the exit SWAPGS */
		}
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		val = ARG1(r) == ARCH_GET_FS ? t->fsbase : t->gsbase;
		return copy_to_user(addr, &val, sizeof(val)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

static long sys_set_tid_address(struct trap_frame *r)
{
	current->clear_child_tid = ARG1(r);
	return current->pid;
}

/*
 * The POSIX clocks. MONOTONIC, MONOTONIC_RAW and BOOTTIME count from boot
 * (clock_ns; nothing suspends). REALTIME is wall time: the CMOS RTC read at
 * boot carried forward by the same clock (arch/x86_64/rtc.c), and TAI is
 * REALTIME plus a TAI offset that is 0 until adjtimex sets one, as on a
 * fresh Linux. The COARSE ones are the time of the last tick, one tick's
 * resolution (Linux's ktime_get_coarse: the timekeeper's time as of the
 * last jiffy); the CPU clocks are the thread's and the process's scheduled
 * time (task/cputime.c). 8 and 9 (the alarm clocks) need an RTC alarm
 * driver: -EINVAL, as Linux without one. The negative pid-encoded CPU
 * clocks are not implemented: -EINVAL.
 */
static int posix_clock_read(uint64_t which, uint64_t *ns, uint64_t *res)
{
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		*ns = ktime_mono_to_real(clock_ns());
		*res = 1;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		*ns = clock_ns();
		*res = 1;
		return 0;
	case CLOCK_REALTIME_COARSE:
		*ns = ktime_mono_to_real(clock_ns() / TICK_NSEC * TICK_NSEC);
		*res = TICK_NSEC;
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		*ns = clock_ns() / TICK_NSEC * TICK_NSEC;
		*res = TICK_NSEC;
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = task_sched_runtime(current);
		*res = 1; /* Linux's CPUCLOCK_SCHED resolution */
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = thread_group_cputime(current->group_leader);
		*res = 1;
		return 0;
	default:
		return -EINVAL;
	}
}

static long put_timespec(uintptr_t uts, uint64_t ns)
{
	struct timespec ts = {(long)(ns / 1000000000), (long)(ns % 1000000000)};

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

static long sys_clock_gettime(struct trap_frame *r)
{
	uint64_t ns, res;
	int err = posix_clock_read(ARG1(r), &ns, &res);

	return err ? err : put_timespec(ARG2(r), ns);
}

/* Linux's clock_getres: -EINVAL for an unknown clock; a NULL @res is allowed. */
static long sys_clock_getres(struct trap_frame *r)
{
	uint64_t ns, res;
	int err = posix_clock_read(ARG1(r), &ns, &res);

	return err ? err : ARG2(r) ? put_timespec(ARG2(r), res) : 0;
}

/*
 * Linux's order (kernel/sched/syscalls.c): the length first (-EINVAL if it
 * cannot hold the mask, or is not a multiple of a long), then the pid
 * (-ESRCH), then the copy (-EFAULT). Returns the bytes written. Other
 * tasks' masks are not implemented: a pid not the caller's is -ESRCH.
 */
static int read_cpus_allowed(struct task_struct *t, void *ctx)
{
	*(uint64_t *)ctx = t->cpus_allowed;
	return 0;
}

/* Any live thread's mask, as Linux's (hwloc reads each of a process's threads). */
static long sys_sched_getaffinity(struct trap_frame *r)
{
	uint64_t mask = current->cpus_allowed;
	unsigned int len = (unsigned int)ARG2(r);
	int pid = (int)ARG1(r);

	if ((uint64_t)len * 8 < (uint64_t)nr_cpus_online || len % sizeof(long))
		return -EINVAL;
	if (pid != 0 && pid != current->pid && task_call_thread(0, pid, read_cpus_allowed, &mask))
		return -ESRCH;
	mask &= cpu_online_mask.bits[0];
	len = MIN(len, (unsigned int)sizeof(mask));
	return copy_to_user(ARG3(r), &mask, len) ? -EFAULT : (long)len;
}

/*
 * Linux's order: the mask is copied first (-EFAULT; a short one is
 * zero-extended, a long one cut), then the pid (-ESRCH), then a mask with
 * no online CPU (-EINVAL). A mask without the CPU the task runs on moves
 * it: its cpu field changes and schedule() queues it on the new CPU once
 * it is off this one.
 */
static long sys_sched_setaffinity(struct trap_frame *r)
{
	struct task_struct *t = current;
	uint64_t mask = 0;
	size_t len = MIN((size_t)(unsigned int)ARG2(r), sizeof(mask));
	int cpu;

	if (copy_from_user(&mask, ARG3(r), len))
		return -EFAULT;
	if (ARG1(r) != 0 && (int)ARG1(r) != t->pid)
		return -ESRCH; /* other tasks' affinity: not implemented */
	mask &= cpu_online_mask.bits[0];
	if (!mask)
		return -EINVAL;
	t->cpus_allowed = mask;
	if (!(mask & (1ULL << t->cpu))) {
		cpu = sched_pick_cpu(mask);
		local_irq_disable();
		t->cpu = cpu;
		schedule(); /* continues on @cpu */
		local_irq_enable();
	}
	return 0;
}

static long sys_sched_yield(struct trap_frame *r)
{
	schedule();
	return 0;
}

static long sys_exit_group(struct trap_frame *r)
{
	do_group_exit(((int)ARG1(r) & 0xff) << 8);
}

static long sys_getcpu(struct trap_frame *r)
{
	unsigned int cpu = this_cpu_id(), node = 0;

	if (ARG1(r) && copy_to_user(ARG1(r), &cpu, sizeof(cpu)))
		return -EFAULT;
	if (ARG2(r) && copy_to_user(ARG2(r), &node, sizeof(node)))
		return -EFAULT;
	return 0;
}

static const syscall_fn sys_call_table[NR_SYSCALLS] = {
    [__NR_read] = sys_read,
    [__NR_write] = sys_write,
    [__NR_open] = sys_open,
    [__NR_close] = sys_close,
    [__NR_stat] = sys_stat,
    [__NR_fstat] = sys_fstat,
    [__NR_lstat] = sys_lstat,
    [__NR_poll] = sys_poll,
    [__NR_lseek] = sys_lseek,
    [__NR_mmap] = sys_mmap,
    [__NR_mprotect] = sys_mprotect,
    [__NR_munmap] = sys_munmap,
    [__NR_brk] = sys_brk,
    [__NR_rt_sigaction] = sys_rt_sigaction,
    [__NR_rt_sigprocmask] = sys_rt_sigprocmask,
    [__NR_rt_sigreturn] = sys_rt_sigreturn,
    [__NR_ioctl] = sys_ioctl,
    [__NR_pread64] = sys_pread64,
    [__NR_pwrite64] = sys_pwrite64,
    [__NR_writev] = sys_writev,
    [__NR_access] = sys_access,
    [__NR_pipe] = sys_pipe,
    [__NR_sched_yield] = sys_sched_yield,
    [__NR_mremap] = sys_mremap,
    [__NR_madvise] = sys_madvise,
    [__NR_dup] = sys_dup,
    [__NR_dup2] = sys_dup2,
    [__NR_pause] = sys_pause,
    [__NR_nanosleep] = sys_nanosleep,
    [__NR_getitimer] = sys_getitimer,
    [__NR_alarm] = sys_alarm,
    [__NR_setitimer] = sys_setitimer,
    [__NR_getpid] = sys_getpid,
    [__NR_clone] = sys_clone_thread,
    [__NR_fork] = sys_fork,
    [__NR_vfork] = sys_vfork,
    [__NR_execve] = sys_execve,
    [__NR_exit] = sys_exit,
    [__NR_wait4] = sys_wait4,
    [__NR_getppid] = sys_getppid,
    [__NR_mlock] = sys_mlock,
    [__NR_munlock] = sys_munlock,
    [__NR_kill] = sys_kill,
    [__NR_uname] = sys_uname,
    [__NR_fcntl] = sys_fcntl,
    [__NR_truncate] = sys_truncate,
    [__NR_ftruncate] = sys_ftruncate,
    [__NR_getcwd] = sys_getcwd,
    [__NR_chdir] = sys_chdir,
    [__NR_mkdir] = sys_mkdir,
    [__NR_rmdir] = sys_rmdir,
    [__NR_creat] = sys_creat,
    [__NR_unlink] = sys_unlink,
    [__NR_readlink] = sys_readlink,
    [__NR_getrlimit] = sys_getrlimit,
    [__NR_sysinfo] = sys_sysinfo,
    [__NR_getuid] = sys_getid_root,
    [__NR_getgid] = sys_getid_root,
    [__NR_geteuid] = sys_getid_root,
    [__NR_getegid] = sys_getid_root,
    [__NR_rt_sigpending] = sys_rt_sigpending,
    [__NR_rt_sigsuspend] = sys_rt_sigsuspend,
    [__NR_sigaltstack] = sys_sigaltstack,
    [__NR_prctl] = sys_prctl,
    [__NR_arch_prctl] = sys_arch_prctl,
    [__NR_setrlimit] = sys_setrlimit,
    [__NR_gettid] = sys_gettid,
    [__NR_tkill] = sys_tkill,
    [__NR_futex] = sys_futex,
    [__NR_sched_setaffinity] = sys_sched_setaffinity,
    [__NR_sched_getaffinity] = sys_sched_getaffinity,
    [__NR_getdents64] = sys_getdents64,
    [__NR_set_tid_address] = sys_set_tid_address,
    [__NR_restart_syscall] = sys_restart_syscall,
    [__NR_clock_gettime] = sys_clock_gettime,
    [__NR_clock_getres] = sys_clock_getres,
    [__NR_clock_nanosleep] = sys_clock_nanosleep,
    [__NR_exit_group] = sys_exit_group,
    [__NR_waitid] = sys_waitid,
    [__NR_tgkill] = sys_tgkill,
    [__NR_openat] = sys_openat,
    [__NR_mkdirat] = sys_mkdirat,
    [__NR_newfstatat] = sys_newfstatat,
    [__NR_unlinkat] = sys_unlinkat,
    [__NR_readlinkat] = sys_readlinkat,
    [__NR_faccessat] = sys_faccessat,
    [__NR_ppoll] = sys_ppoll,
    [__NR_fallocate] = sys_fallocate,
    [__NR_dup3] = sys_dup3,
    [__NR_pipe2] = sys_pipe2,
    [__NR_prlimit64] = sys_prlimit64,
    [__NR_getcpu] = sys_getcpu,
    [__NR_getrandom] = sys_getrandom,
    [__NR_memfd_create] = sys_memfd_create,
    [__NR_faccessat2] = sys_faccessat2,
};

void do_syscall_64(struct trap_frame *regs)
{
	uint64_t nr = regs->rax;
	struct task_struct *t = current;
	syscall_fn handler = NULL;

	local_irq_enable();
	regs->error_code = nr; /* Linux's orig_ax: what a restart makes again (task/signal.c) */
	t->nr_syscalls++;
	__atomic_add_fetch(&nr_calls, 1, __ATOMIC_RELAXED);
	/*
	 * The bound check is a branch: a mispredicted one would load a
	 * handler from beyond the table with a user-chosen index and jump
	 * there speculatively (Spectre v1, CVE-2017-5753). The index is
	 * masked without a branch first, as Linux's do_syscall_x64 does with
	 * array_index_nospec.
	 */
	if (nr < NR_SYSCALLS)
		handler = sys_call_table[array_index_nospec(nr, NR_SYSCALLS)];
	if (handler)
		regs->rax = (uint64_t)handler(regs);
	/*
	 * A call that exists but stops short of what was asked (memfd's
	 * MFD_HUGETLB, a futex timeout, chdir away from "/") answers -ENOSYS
	 * too, and is counted under its number like a missing one.
	 */
	if (!handler || (long)regs->rax == -ENOSYS) {
		note_enosys(nr, t);
		regs->rax = (uint64_t)-ENOSYS;
	}
	/* syscall.asm SYSRETs only below TASK_SIZE; nothing legitimate leaves more. */
	if (regs->rip >= TASK_SIZE) {
		printk("%s[%d]: return address %lx above TASK_SIZE: killed\n", t->comm, t->pid,
		       regs->rip);
		do_group_exit(SIGSEGV);
	}
	local_irq_disable();
	exit_to_user_mode(); /* a kill, exit_group of another thread, the tick's resched */
}

static int syscalls_show(struct seq_buf *s, void *data)
{
	uint64_t other = READ_ONCE(nr_enosys_total);

	seq_printf(s, "calls %lu\n", READ_ONCE(nr_calls));
	for (int nr = 0; nr < NR_SYSCALLS; nr++) {
		char comm[TASK_COMM_LEN];
		uint64_t flags;
		int tgid;

		if (!READ_ONCE(nr_enosys[nr]))
			continue;
		spin_lock_irqsave(&enosys_last_lock, flags);
		tgid = enosys_last[nr].tgid;
		memcpy(comm, enosys_last[nr].comm, sizeof(comm));
		spin_unlock_irqrestore(&enosys_last_lock, flags);
		seq_printf(s, "enosys %d %lu\n", nr, READ_ONCE(nr_enosys[nr]));
		seq_printf(s, "enosys_last %d %.*s %d\n", nr, (int)sizeof(comm), comm, tgid);
	}
	if (other)
		seq_printf(s, "enosys >=%d %lu\n", NR_SYSCALLS, other);
	return 0;
}

DEFINE_PSEUDO_FILE(syscalls_file, "/sys/kernel/debug/flushlab/syscalls", syscalls_show, NULL, 0444);
