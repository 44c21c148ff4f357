/*
 * Programs at the console: a word that is no builtin names /bin/WORD (or,
 * with a '/', a path) in the ramfs, which runs in the foreground (Ctrl-C
 * kills it) or, with a trailing `&`, in the background. The line's status
 * is the exit code, or 128 + the signal that killed it, as a POSIX shell
 * reports it. `time PROG` works because time runs any command through
 * shell_exec; `taskset` sets the CPUs of the next program the same way.
 */
#include "kernel/pseudofs.h"
#include "kernel/shell.h"
#include "kernel/tlbmodel.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "task/ramfs.h"
#include "task/task.h"

static uint64_t spawn_cpus; /* taskset's mask for the program it runs; 0: any CPU */
static int next_job = 1;

/* The ramfs path @name stands for: itself if it has a '/', else /bin/@name. */
static int program_path(const char *name, char *out, size_t size)
{
	char raw[PSEUDOFS_PATH_MAX];

	if (snprintf(raw, sizeof(raw), "%s%s", strchr(name, '/') ? "" : "/bin/", name) >=
	    (int)sizeof(raw))
		return -ENAMETOOLONG;
	return pseudofs_normalize(raw, out, size);
}

static int wait_status_to_shell(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

/*
 * A foreground program that did not exit 0 says how it ended, as a shell's
 * job report does: "segv: killed by SIGSEGV (status 139)", or "prog: exit
 * status 3". The status is the shell's (128 + the signal).
 */
static void report_status(const char *name, int wstatus)
{
	const char *sig = signal_name(WTERMSIG(wstatus));

	if (WIFSIGNALED(wstatus) && sig)
		shell_error("%s: killed by %s (status %d)\n", name, sig,
			    wait_status_to_shell(wstatus));
	else if (WIFSIGNALED(wstatus))
		shell_error("%s: killed by signal %d (status %d)\n", name, WTERMSIG(wstatus),
			    wait_status_to_shell(wstatus));
	else if (WEXITSTATUS(wstatus))
		shell_error("%s: exit status %d\n", name, WEXITSTATUS(wstatus));
}

/*
 * While the foreground program runs, the console reads the serial port
 * itself: Ctrl-C kills the program (SIGINT, status 130). Other bytes typed
 * meanwhile are kept for the console's next line (console_poll_interrupt
 * queues them; programs get no console input yet); once the kill is sent,
 * the rest stays in the UART.
 */
static int killed_pid;

static void foreground_poll(int pid)
{
	if (killed_pid == pid || !console_poll_interrupt())
		return;
	if (task_kill(pid, SIGINT) == 0)
		shell_error("^C\n");
	killed_pid = pid;
}

/* Find the program for @argv[0]: 0, or the shell status of why not (-ENOENT: not found). */
static int find_program(char **argv, char *path, size_t size, const struct ramfs_file **out)
{
	const struct ramfs_file *f;

	if (program_path(argv[0], path, size) || !(f = ramfs_lookup(path))) {
		if (!strchr(argv[0], '/'))
			return -ENOENT; /* the shell says "command not found" */
		shell_error("flushlab: %s: %s\n", argv[0], errstr(ENOENT));
		return 127;
	}
	if (!(f->mode & RAMFS_MODE_EXEC)) {
		shell_error("flushlab: %s: %s\n", argv[0], errstr(EACCES));
		return 126;
	}
	*out = f;
	return 0;
}

int shell_run_program(int argc, char **argv, const char *redirect, bool background)
{
	char path[PSEUDOFS_PATH_MAX];
	const struct ramfs_file *f;
	const char *name;
	int status, pid, wstatus;

	status = find_program(argv, path, sizeof(path), &f);
	if (status)
		return status;
	if (redirect) {
		shell_error("flushlab: %s: > %s: programs write to the console only (not yet "
			    "redirectable)\n",
			    argv[0], redirect);
		return 1;
	}
	pid = task_spawn(path, f->data, f->size, argv, spawn_cpus);
	if (pid < 0) {
		shell_error("flushlab: %s: %s\n", argv[0], errstr(pid));
		return 126;
	}
	if (background) {
		shell_printf("[%d] %d\n", next_job++, pid);
		return 0;
	}
	/* A foreground run is a TLB-model phase named after the program (a word). */
	name = path;
	for (const char *p = path; *p; p++)
		if (*p == '/')
			name = p + 1;
	tlbmodel_phase_begin(name);
	status = task_wait(pid, &wstatus, NULL, foreground_poll);
	tlbmodel_phase_end(name);
	if (status)
		return 1;
	report_status(argv[0], wstatus);
	return wait_status_to_shell(wstatus);
}

static int cmd_wait(int argc, char **argv)
{
	int pid, wstatus, status = 0;

	if (argc == 1) { /* every background program */
		while (task_wait(-1, &wstatus, NULL, NULL) == 0)
			;
		next_job = 1;
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (kstrtoint(argv[i], 10, &pid) || pid <= 0) {
			shell_error("wait: `%s': not a pid or valid job spec\n", argv[i]);
			status = 2;
		} else if (task_wait(pid, &wstatus, NULL, NULL)) {
			shell_error("wait: pid %d is not a child of this shell\n", pid);
			status = 127;
		} else {
			status = wait_status_to_shell(wstatus);
		}
	}
	return status;
}
DEFINE_SHELL_COMMAND(wait, "[PID...]", "wait for background programs; the status is the last one's",
		     cmd_wait);

static int parse_signal(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} names[] = {
	    {"KILL", SIGKILL}, {"TERM", SIGTERM}, {"INT", SIGINT},   {"SEGV", SIGSEGV},
	    {"ABRT", SIGABRT}, {"ALRM", SIGALRM}, {"USR1", SIGUSR1}, {"USR2", SIGUSR2},
	    {"HUP", SIGHUP},   {"QUIT", SIGQUIT}, {"CHLD", SIGCHLD}, {"PIPE", SIGPIPE},
	};
	int sig;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].sig;
	return kstrtoint(s, 10, &sig) || sig <= 0 || sig > 64 ? -1 : sig;
}

/*
 * kill(1): the signal goes to the process as from kill(2) by the kernel
 * (si_pid 0): a handler may catch it; SIGKILL cannot be. Stop signals are
 * refused: flushlab has no job control (task/signal.c ignores them).
 */
static int cmd_kill(int argc, char **argv)
{
	int sig = SIGTERM, first = 1, status = 0, pid;

	if (argc > 1 && argv[1][0] == '-') {
		sig = parse_signal(argv[1] + 1);
		if (sig < 0) {
			shell_error("kill: %s: invalid signal specification\n", argv[1] + 1);
			return 1;
		}
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			shell_error("kill: %s: job control is not implemented\n", argv[1] + 1);
			return 1;
		}
		first = 2;
	}
	if (first >= argc) {
		shell_error("usage: kill [-SIGNAL] PID...\n");
		return 2;
	}
	for (int i = first; i < argc; i++) {
		int err = kstrtoint(argv[i], 10, &pid) ? -ESRCH : task_kill(pid, sig);

		if (err) { /* -EPERM: a kernel thread ([khugepaged] in ps) */
			shell_error("kill: (%s) - %s\n", argv[i],
				    err == -EPERM ? "Operation not permitted" : "No such process");
			status = 1;
		}
	}
	return status;
}
DEFINE_SHELL_COMMAND(kill, "[-SIGNAL] PID...", "end a program (default SIGTERM)", cmd_kill);

static void ps_line(struct task_struct *leader, void *ctx)
{
	unsigned long rss;
	int threads;
	char state;

	task_process_stats(leader, &threads, &rss);
	state = READ_ONCE(leader->proc_exited) ? 'Z' : 'R';
	if (leader->is_kthread) { /* ps shows kernel threads in brackets, as Linux's does */
		state = READ_ONCE(leader->state) == TASK_INTERRUPTIBLE ? 'S' : state;
		shell_printf("%5d %3d %3d %c %7lu [%s]\n", leader->pid, threads, leader->cpu, state,
			     0UL, leader->comm);
		return;
	}
	shell_printf("%5d %3d %3d %c %7lu %s\n", leader->pid, threads, task_process_cpu(leader),
		     state, rss * 4, leader->comm);
}

static int cmd_ps(int argc, char **argv)
{
	shell_printf("  PID THR CPU S RSS(kB) CMD\n");
	task_for_each_process(ps_line, NULL);
	return 0;
}
DEFINE_SHELL_COMMAND(ps, "", "list programs: pid, threads, CPU, state, RSS", cmd_ps);

/* util-linux's CPU list: "0,2-3". 0 or -EINVAL. */
static int parse_cpu_list(const char *s, uint64_t *mask)
{
	*mask = 0;
	while (*s) {
		unsigned int a, b;
		char num[8];
		size_t n = 0;

		while (s[n] >= '0' && s[n] <= '9' && n < sizeof(num) - 1)
			n++;
		memcpy(num, s, n);
		num[n] = '\0';
		if (!n || kstrtouint(num, 10, &a))
			return -EINVAL;
		s += n;
		b = a;
		if (*s == '-') {
			s++;
			for (n = 0; s[n] >= '0' && s[n] <= '9' && n < sizeof(num) - 1; n++)
				num[n] = s[n];
			num[n] = '\0';
			if (!n || kstrtouint(num, 10, &b) || b < a)
				return -EINVAL;
			s += n;
		}
		if (b > 63)
			return -EINVAL;
		for (unsigned int c = a; c <= b; c++)
			*mask |= 1ULL << c;
		if (*s == ',')
			s++;
		else if (*s)
			return -EINVAL;
	}
	return *mask ? 0 : -EINVAL;
}

/* taskset -c LIST PROG ARGS... or taskset MASK PROG ARGS... (util-linux syntax). */
static int cmd_taskset(int argc, char **argv)
{
	bool list = argc > 1 && strcmp(argv[1], "-c") == 0;
	int first = list ? 3 : 2, status;
	unsigned long long hex;
	uint64_t mask;

	if (argc <= first) {
		shell_error("usage: taskset [-c] MASK|LIST PROGRAM [ARGS...]\n");
		return 2;
	}
	if (list ? parse_cpu_list(argv[2], &mask)
		 : (kstrtoull(argv[1], 16, &hex) || !(mask = hex))) {
		shell_error("taskset: failed to parse CPU %s: %s\n", list ? "list" : "mask",
			    argv[first - 1]);
		return 1;
	}
	if (shell_find_command(argv[first])) {
		shell_error("taskset: %s: a builtin, not a program\n", argv[first]);
		return 1;
	}
	spawn_cpus = mask;
	status = shell_exec(argc - first, argv + first);
	spawn_cpus = 0;
	return status;
}
DEFINE_SHELL_COMMAND_FLAGS(taskset, "[-c] MASK|LIST PROGRAM [ARGS...]",
			   "run a program on the given CPUs", cmd_taskset, SHELL_CMD_PREFIX);
