/*
 * Processes end to end: the ramfs programs run in ring 3 through exec,
 * SYSCALL and the fault path, and every one leaves memory, tasks and
 * files exactly as before; a faulting or killed program is reported as
 * killed; affinity places a program on the CPU it names; exec
 * refuses broken ELF images without leaking; the SYSCALL MSRs and user
 * access checks are what the arch code promises.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/syscall.h"
#include "arch/x86_64/uaccess.h"
#include "flushlab/elf64.h"
#include "kernel/ktest.h"
#include "kernel/platform.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/page_alloc.h"
#include "fs/fs.h"
#include "smp/smp.h"
#include "task/ramfs.h"
#include "task/task.h"

struct snapshot {
	unsigned long free_pages;
	int tasks, files;
};

static void snap(struct snapshot *s)
{
	s->free_pages = nr_free_pages();
	s->tasks = nr_tasks_alive();
	s->files = nr_files_open();
}

static void expect_same(struct ktest *t, const struct snapshot *before)
{
	struct snapshot after;

	snap(&after);
	KEXPECT_EQ(t, before->free_pages, after.free_pages);
	KEXPECT_EQ(t, before->tasks, after.tasks);
	KEXPECT_EQ(t, before->files, after.files);
}

/* Run /bin/@name with @argv; the wait status, or -errno. Skips without the program. */
static int run(struct ktest *t, const char *name, char *const argv[], bool *skipped)
{
	char path[64];
	const struct ramfs_file *f;
	int err, wstatus = -1;

	snprintf(path, sizeof(path), "/bin/%s", name);
	f = ramfs_lookup(path);
	*skipped = !f;
	if (!f)
		return -ENOENT;
	err = run_program(path, f->data, f->size, argv, &wstatus);
	return err ? err : wstatus;
}

static void hello_runs_and_frees_everything(struct ktest *t)
{
	char *argv[] = {"hello", "a", "b", NULL};
	struct snapshot before;
	uint64_t started = nr_tasks_started;
	bool skipped;
	int ws;

	snap(&before);
	ws = run(t, "hello", argv, &skipped);
	if (skipped)
		KTEST_SKIP(t, "no /bin/hello in the initramfs");
	KEXPECT_EQ(t, 0, ws); /* exit(0): WIFEXITED, status 0 */
	KEXPECT_EQ(t, started + 1, nr_tasks_started);
	expect_same(t, &before);
}

static void segfault_kills_only_the_process(struct ktest *t)
{
	char *argv[] = {"segv", NULL};
	struct snapshot before;
	bool skipped;
	int ws;

	snap(&before);
	ws = run(t, "segv", argv, &skipped);
	if (skipped)
		KTEST_SKIP(t, "no /bin/segv in the initramfs");
	KEXPECT_TRUE(t, !WIFEXITED(ws));
	KEXPECT_EQ(t, SIGSEGV, WTERMSIG(ws));
	expect_same(t, &before);
	/* and the next program runs normally */
	ws = run(t, "hello", (char *[]){"hello", NULL}, &skipped);
	KEXPECT_EQ(t, 0, ws);
	expect_same(t, &before);
}

static void exit_code_reaches_the_runner(struct ktest *t)
{
	char *argv[] = {"segv", "null", NULL};
	struct snapshot before;
	bool skipped;
	int ws;

	snap(&before);
	ws = run(t, "segv", argv, &skipped); /* a write to address 0 */
	if (skipped)
		KTEST_SKIP(t, "no /bin/segv in the initramfs");
	KEXPECT_EQ(t, SIGSEGV, ws);
	expect_same(t, &before);
}

/* A copy of /bin/hello to break in one place; NULL (skip) without it. */
static uint8_t *hello_copy(struct page **page, unsigned int *order, size_t *size)
{
	const struct ramfs_file *f = ramfs_lookup("/bin/hello");

	if (!f)
		return NULL;
	for (*order = 0; (PAGE_SIZE << *order) < f->size; (*order)++)
		;
	*page = alloc_pages(GFP_KERNEL, *order);
	if (!*page)
		return NULL;
	memcpy(page_address(*page), f->data, f->size);
	*size = f->size;
	return page_address(*page);
}

enum breakage {
	TRUNCATED,
	PHOFF_PAST_END,
	FILESZ_PAST_END,
	WRONG_MACHINE,
	MEMSZ_TOO_BIG,
	SEGMENT_IN_KERNEL,
	NR_BREAKAGES
};

/* Apply @b to the image; returns the size to pass. */
static size_t break_image(uint8_t *img, size_t size, enum breakage b)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);
	int load = 0;

	while (ph[load].p_type != PT_LOAD)
		load++;
	switch (b) {
	case TRUNCATED:
		return 40;
	case PHOFF_PAST_END:
		eh->e_phoff = size - 8;
		break;
	case FILESZ_PAST_END:
		ph[load].p_filesz = size - ph[load].p_offset + 1;
		ph[load].p_memsz = ph[load].p_filesz;
		break;
	case WRONG_MACHINE:
		eh->e_machine = 3;
		break;
	case MEMSZ_TOO_BIG:
		ph[load].p_memsz = ~0ULL - 4096;
		break;
	case SEGMENT_IN_KERNEL:
		ph[load].p_vaddr = KERNEL_VIRT_BASE;
		break;
	default:
		break;
	}
	return size;
}

static void exec_refuses_broken_elf(struct ktest *t)
{
	char *argv[] = {"broken", NULL};
	struct snapshot before;
	struct page *page = NULL;
	unsigned int order;
	size_t size;
	uint8_t *img;

	for (int b = 0; b < NR_BREAKAGES; b++) {
		int ws = -1, err;

		img = hello_copy(&page, &order, &size);
		if (!img)
			KTEST_SKIP(t, "no /bin/hello in the initramfs, or no memory");
		size = break_image(img, size, b);
		snap(&before);
		err = run_program("broken", img, size, argv, &ws);
		if (err != -ENOEXEC)
			ktest_fail(t, __FILE__, __LINE__, "breakage %d: expected -ENOEXEC, got %d",
				   b, err);
		expect_same(t, &before);
		__free_pages(page, order);
	}
}

/* Spawn /bin/@name on @cpus; the pid, or 0 after a skip. */
static int spawn(struct ktest *t, const char *name, char *const argv[], uint64_t cpus)
{
	char path[64];
	const struct ramfs_file *f;

	snprintf(path, sizeof(path), "/bin/%s", name);
	f = ramfs_lookup(path);
	if (!f)
		return 0;
	return task_spawn(path, f->data, f->size, argv, cpus);
}

/* A program busy for seconds is killed: status SIGKILL, nothing left behind. */
static void kill_ends_a_running_program(struct ktest *t)
{
	char *argv[] = {"memtouch", "size=32M", "reps=64", NULL};
	struct snapshot before;
	int pid, ws = -1;

	snap(&before);
	pid = spawn(t, "memtouch", argv, 0);
	if (pid == 0)
		KTEST_SKIP(t, "no /bin/memtouch in the initramfs");
	KASSERT_TRUE(t, pid > 0);
	clock_delay_ms(50); /* let it fault some memory in */
	KEXPECT_EQ(t, 0, task_kill(pid, SIGKILL));
	KEXPECT_EQ(t, 0, task_wait(pid, &ws, NULL, NULL));
	KEXPECT_EQ(t, SIGKILL, ws);
	KEXPECT_EQ(t, -ESRCH, task_kill(pid, SIGKILL));
	KEXPECT_EQ(t, -ECHILD, task_wait(pid, &ws, NULL, NULL));
	expect_same(t, &before);
}

/* A program confined to the last CPU runs there and exits normally. */
static void affinity_places_a_program(struct ktest *t)
{
	char *argv[] = {"hello", "pinned", NULL};
	int last = nr_cpus_online - 1, pid, ws = -1;
	struct snapshot before;

	if (nr_cpus_online < 2)
		KTEST_SKIP(t, "needs more than one CPU");
	snap(&before);
	KEXPECT_EQ(t, -EINVAL, spawn(t, "hello", argv, 1ULL << 63)); /* no such CPU online */
	pid = spawn(t, "hello", argv, 1ULL << last);
	if (pid == 0)
		KTEST_SKIP(t, "no /bin/hello in the initramfs");
	KASSERT_TRUE(t, pid > 0);
	KEXPECT_EQ(t, 0, task_wait(pid, &ws, NULL, NULL));
	KEXPECT_EQ(t, 0, ws);
	expect_same(t, &before);
}

/* tests/kernel/task_user_progs.asm: one hand-made ELF per boundary case. */
#define UPROG(name)                                                                                \
	extern const uint8_t uprog_##name[];                                                       \
	extern const uint64_t uprog_##name##_size
UPROG(exit42);
UPROG(enosys);
UPROG(ud2);
UPROG(hlt);
UPROG(int3);
UPROG(jump_kernel);
UPROG(jump_noncanonical);
UPROG(write_text);
UPROG(tf_syscall);
UPROG(fsgs);
#undef UPROG

struct uprog_case {
	const char *name;
	const uint8_t *image;
	const uint64_t *size;
	int wstatus; /* what the run must end with */
};

#define UCASE(n, ws)                                                                               \
	{                                                                                          \
#n, uprog_##n, &uprog_##n##_size, ws                                               \
	}
static const struct uprog_case uprog_cases[] = {
    UCASE(exit42, 42 << 8),
    UCASE(enosys, 38 << 8), /* -ENOSYS, negated */
    UCASE(ud2, SIGILL),
    UCASE(hlt, SIGSEGV),
    UCASE(int3, SIGTRAP),
    UCASE(jump_kernel, SIGSEGV),
    UCASE(jump_noncanonical, SIGSEGV),
    UCASE(write_text, SIGSEGV),
    UCASE(tf_syscall, SIGTRAP),
    UCASE(fsgs, 42 << 8), /* [gs:0] + [fs:0] after ticks and a syscall */
};
#undef UCASE

/*
 * Each boundary case ends the way Linux would end it, the kernel goes on,
 * and nothing is left behind.
 */
static void boundary_cases_end_like_linux(struct ktest *t)
{
	struct snapshot before;

	snap(&before);
	for (size_t i = 0; i < ARRAY_SIZE(uprog_cases); i++) {
		const struct uprog_case *c = &uprog_cases[i];
		char *argv[] = {(char *)c->name, NULL};
		int ws = -1, err = run_program(c->name, c->image, *c->size, argv, &ws);

		if (err || ws != c->wstatus)
			ktest_fail(t, __FILE__, __LINE__,
				   "%s: error %d, wait status %#x, expected %#x", c->name, err, ws,
				   c->wstatus);
	}
	expect_same(t, &before);
}

static void uaccess_refuses_kernel_addresses(struct ktest *t)
{
	uint64_t v = 42;

	KEXPECT_EQ(t, sizeof(v), copy_to_user((uintptr_t)&v, &v, sizeof(v)));
	KEXPECT_EQ(t, sizeof(v), copy_from_user(&v, (uintptr_t)&v, sizeof(v)));
	KEXPECT_EQ(t, sizeof(v), copy_from_user(&v, TASK_SIZE - 4, sizeof(v)));
	KEXPECT_EQ(t, -EFAULT, strncpy_from_user((char *)&v, (uintptr_t) "kernel", 8));
	KEXPECT_EQ(t, 42, v);
	KEXPECT_TRUE(t, !access_ok(0, TASK_SIZE + 1));
	KEXPECT_TRUE(t, !access_ok(~0ULL, 2));
	KEXPECT_TRUE(t, access_ok(TASK_SIZE - 8, 8));
}

static void syscall_msrs_point_at_the_stub(struct ktest *t)
{
	uint64_t star = rdmsr(MSR_STAR);

	KEXPECT_TRUE(t, rdmsr(MSR_EFER) & EFER_SCE);
	KEXPECT_EQ(t, (uint64_t)entry_SYSCALL_64, rdmsr(MSR_LSTAR));
	KEXPECT_EQ(t, GDT_KERNEL_CODE, (star >> 32) & 0xffff);
	/* 64-bit SYSRET: CS = base + 16, SS = base + 8, RPL 3 */
	KEXPECT_EQ(t, USER_CS, ((star >> 48) & 0xffff) + 16);
	KEXPECT_EQ(t, USER_DS, ((star >> 48) & 0xffff) + 8);
	KEXPECT_TRUE(t, rdmsr(MSR_SYSCALL_MASK) & X86_RFLAGS_IF);
	KEXPECT_TRUE(t, rdmsr(MSR_SYSCALL_MASK) & X86_RFLAGS_DF);
	KEXPECT_TRUE(t, rdmsr(MSR_SYSCALL_MASK) & X86_RFLAGS_TF);
	KEXPECT_TRUE(t, rdmsr(MSR_SYSCALL_MASK) & X86_RFLAGS_AC);
}

static const struct ktest_case task_cases[] = {
    KTEST_CASE(syscall_msrs_point_at_the_stub),	 KTEST_CASE(uaccess_refuses_kernel_addresses),
    KTEST_CASE(hello_runs_and_frees_everything), KTEST_CASE(segfault_kills_only_the_process),
    KTEST_CASE(exit_code_reaches_the_runner),	 KTEST_CASE(exec_refuses_broken_elf),
    KTEST_CASE(boundary_cases_end_like_linux),	 KTEST_CASE(kill_ends_a_running_program),
    KTEST_CASE(affinity_places_a_program),	 {},
};
DEFINE_KTEST_SUITE(task, task_cases);
