/*
 * The system call table, with Linux's x86-64 numbers and -errno returns.
 * Numbers not in the table answer -ENOSYS and are counted per number
 * (/sys/kernel/debug/flushlab/syscalls), so a program that needs more is
 * visible rather than silently broken. Memory calls go to the mm API.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/platform.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "smp/cpumask.h"
#include "task/file.h"
#include "task/futex.h"
#include "task/sched.h"
#include "task/task.h"
#include "task/task_priv.h"

#define NR_SYSCALLS 512
#define IOV_MAX 1024
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_BOOTTIME 7

typedef long (*syscall_fn)(struct trap_frame *regs);

static uint64_t nr_calls, nr_enosys_total;
static uint64_t nr_enosys[NR_SYSCALLS];

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

static long sys_open(struct trap_frame *r)
{
	return file_open(current, ARG1(r), (int)ARG2(r));
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

struct iovec {
	uint64_t iov_base, iov_len;
};

static long sys_writev(struct trap_frame *r)
{
	uintptr_t uiov = ARG2(r);
	int fd = (int)ARG1(r);
	long iovcnt = (long)ARG3(r), total = 0;

	if (iovcnt < 0 || iovcnt > IOV_MAX)
		return -EINVAL;
	for (long i = 0; i < iovcnt; i++) {
		struct iovec v;
		long n;

		if (copy_from_user(&v, uiov + i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		if (v.iov_len == 0)
			continue;
		n = file_write(current, fd, v.iov_base, v.iov_len);
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

/* All clocks count from boot (no RTC is read): REALTIME too, said in the README. */
static long sys_clock_gettime(struct trap_frame *r)
{
	uint64_t ns, ts[2];

	switch (ARG1(r)) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;
	}
	ns = clock_ns();
	ts[0] = ns / 1000000000;
	ts[1] = ns % 1000000000;
	return copy_to_user(ARG2(r), ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Linux's rule: the user buffer must hold the kernel's whole mask (8 bytes here). */
static long sys_sched_getaffinity(struct trap_frame *r)
{
	uint64_t mask = current->cpus_allowed & cpu_online_mask.bits[0];
	size_t len = ARG2(r);

	if (ARG1(r) != 0 && (int)ARG1(r) != current->pid)
		return -ESRCH;
	if (len < sizeof(mask) || len % sizeof(long))
		return -EINVAL;
	return copy_to_user(ARG3(r), &mask, sizeof(mask)) ? -EFAULT : (long)sizeof(mask);
}

/*
 * A mask without the CPU the task runs on moves it: its cpu field changes
 * and schedule() queues it on the new CPU once it is off this one.
 */
static long sys_sched_setaffinity(struct trap_frame *r)
{
	struct task_struct *t = current;
	uint64_t mask = 0;
	size_t len = MIN((size_t)ARG2(r), sizeof(mask));
	int cpu;

	if (ARG1(r) != 0 && (int)ARG1(r) != t->pid)
		return -ESRCH; /* other tasks' affinity: not implemented */
	if (copy_from_user(&mask, ARG3(r), len))
		return -EFAULT;
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
    [0] = sys_read,
    [1] = sys_write,
    [2] = sys_open,
    [3] = sys_close,
    [9] = sys_mmap,
    [10] = sys_mprotect,
    [11] = sys_munmap,
    [12] = sys_brk,
    [16] = sys_ioctl,
    [20] = sys_writev,
    [24] = sys_sched_yield,
    [28] = sys_madvise,
    [39] = sys_getpid,
    [56] = sys_clone_thread,
    [60] = sys_exit,
    [158] = sys_arch_prctl,
    [186] = sys_gettid,
    [202] = sys_futex,
    [203] = sys_sched_setaffinity,
    [204] = sys_sched_getaffinity,
    [218] = sys_set_tid_address,
    [228] = sys_clock_gettime,
    [231] = sys_exit_group,
    [309] = sys_getcpu,
};

void do_syscall_64(struct trap_frame *regs)
{
	uint64_t nr = regs->rax;
	struct task_struct *t = current;
	syscall_fn handler = NULL;

	local_irq_enable();
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
	if (handler) {
		regs->rax = (uint64_t)handler(regs);
	} else {
		__atomic_add_fetch(nr < NR_SYSCALLS ? &nr_enosys[nr] : &nr_enosys_total, 1,
				   __ATOMIC_RELAXED);
		regs->rax = (uint64_t)-ENOSYS;
	}
	task_check_killed(); /* a kill or exit_group of another thread: die now */
	/* syscall.asm SYSRETs only below TASK_SIZE; nothing legitimate leaves more. */
	if (regs->rip >= TASK_SIZE) {
		printk("%s[%d]: return address %lx above TASK_SIZE: killed\n", t->comm, t->pid,
		       regs->rip);
		do_group_exit(SIGSEGV);
	}
	local_irq_disable();
}

static int syscalls_show(struct seq_buf *s, void *data)
{
	uint64_t other = READ_ONCE(nr_enosys_total);

	seq_printf(s, "calls %lu\n", READ_ONCE(nr_calls));
	for (int nr = 0; nr < NR_SYSCALLS; nr++) {
		if (READ_ONCE(nr_enosys[nr]))
			seq_printf(s, "enosys %d %lu\n", nr, READ_ONCE(nr_enosys[nr]));
	}
	if (other)
		seq_printf(s, "enosys >=%d %lu\n", NR_SYSCALLS, other);
	return 0;
}

static struct pseudo_file syscalls_file = {
    .path = "/sys/kernel/debug/flushlab/syscalls",
    .show = syscalls_show,
};

void syscall_procfs_init(void)
{
	pseudofs_register(&syscalls_file);
}
