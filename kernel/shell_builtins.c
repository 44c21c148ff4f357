/*
 * The shell's own commands: echo, cat, ls (the pseudo-file verbs), time,
 * sleep, help, poweroff, true and false. Subsystems add theirs with
 * DEFINE_SHELL_COMMAND next to the code they drive.
 */
#include "kernel/platform.h"
#include "kernel/pseudofs.h"
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"

#define CAT_FIRST_BUF (16 * 1024) /* bigger files get a buffer from the allocator */
/*
 * Well below every run timeout (make run 600 s, make test 180 s per boot): a
 * long sleep is a typo, not an experiment. Ctrl-C ends a sleep early.
 */
#define SLEEP_MAX_MS 60000ULL
#define SLEEP_POLL_MS 10
#define STATUS_INTERRUPTED 130 /* a shell's 128 + SIGINT */

static int usage(const char *name)
{
	const struct shell_command *cmd = shell_find_command(name);

	shell_error("usage: %s %s\n", name, cmd ? cmd->usage : "");
	return 2;
}

static int cmd_echo(int argc, char **argv)
{
	bool newline = true;
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = false;
		i++;
	}
	for (int first = i; i < argc; i++) {
		if (i > first)
			shell_write(" ", 1);
		shell_write(argv[i], strlen(argv[i]));
	}
	if (newline)
		shell_write("\n", 1);
	return 0;
}
DEFINE_SHELL_COMMAND(echo, "[-n] [ARGS...] [> PATH]",
		     "print the arguments, or store them into a pseudo-file", cmd_echo);

/* Print one pseudo-file whole, however long (pseudofs_read_whole). */
static int cat_one(const char *path)
{
	static char first[CAT_FIRST_BUF]; /* most files fit: no allocation */
	struct pseudo_ref f;
	struct seq_buf s;
	int err = pseudofs_resolve(path, &f);

	if (!err && f.f->stream) { /* a file that prints itself, piece by piece */
		err = f.f->stream(shell_write, f.data);
	} else if (!err && f.f->read_at) { /* a binary table (pagemap): like cat of a binary */
		shell_printf("%s: binary, read at offsets (not printed)\n", path);
	} else if (!err) {
		seq_buf_init(&s, first, sizeof(first));
		err = pseudofs_read_whole(&f, &s);
		if (!err)
			shell_write(s.buf, s.len);
		seq_buf_release(&s);
	}
	if (err) {
		shell_error("cat: %s: %s\n", path, errstr(err));
		return 1;
	}
	return 0;
}

static int cmd_cat(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return usage(argv[0]);
	for (int i = 1; i < argc; i++)
		status |= cat_one(argv[i]);
	return status;
}
DEFINE_SHELL_COMMAND(cat, "PATH...", "print pseudo-files", cmd_cat);

static void ls_emit(const char *name, size_t len, bool is_dir, void *ctx)
{
	shell_printf("%.*s%s\n", (int)len, name, is_dir ? "/" : "");
}

static int ls_one(const char *path, bool header)
{
	struct pseudo_ref f;
	int err = pseudofs_resolve(path, &f);

	if (!err) {
		shell_printf("%s\n", path);
		return 0;
	}
	if (err == -EISDIR) {
		if (header)
			shell_printf("%s:\n", path);
		err = pseudofs_list(path, ls_emit, NULL);
	}
	if (err) {
		shell_error("ls: cannot access '%s': %s\n", path, errstr(err));
		return 1;
	}
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return ls_one("/", false);
	for (int i = 1; i < argc; i++)
		status |= ls_one(argv[i], argc > 2);
	return status;
}
DEFINE_SHELL_COMMAND(ls, "[PATH...]", "list a pseudo-file directory (default /)", cmd_ls);

/*
 * `time` runs the rest of the line as a command (any `> PATH` applies to that
 * command, so the store is inside the measurement) and prints bash's
 * `real 0m0.006123s` line with six decimals (bash prints three; a small
 * experiment here takes microseconds, and a script that parses bash's
 * `real\t(\d+)m([\d.]+)s` reads both). The hook lets the shootdown ledger
 * print its delta.
 */
static int cmd_time(int argc, char **argv)
{
	uint64_t t0, us;
	int status;

	if (shell_time_hook)
		shell_time_hook(0);
	t0 = clock_ns();
	status = shell_exec(argc - 1, argv + 1);
	us = (clock_ns() - t0) / 1000;
	shell_error("real\t%llum%llu.%06llus\n", (unsigned long long)(us / 60000000),
		    (unsigned long long)(us / 1000000 % 60), (unsigned long long)(us % 1000000));
	if (shell_time_hook)
		shell_time_hook(1);
	return status;
}
DEFINE_SHELL_COMMAND_FLAGS(time, "COMMAND...", "run a command and print how long it took", cmd_time,
			   SHELL_CMD_PREFIX);

/* Busy-wait in short steps, polling the console for Ctrl-C between them. */
static int sleep_interruptible(unsigned long long ms)
{
	while (ms) {
		unsigned long long step = MIN(ms, (unsigned long long)SLEEP_POLL_MS);

		clock_delay_ms(step);
		ms -= step;
		if (console_poll_interrupt()) {
			shell_error("^C\nsleep: interrupted\n");
			return STATUS_INTERRUPTED;
		}
	}
	return 0;
}

static int cmd_sleep(int argc, char **argv)
{
	unsigned long long ms;

	if (argc != 2)
		return usage(argv[0]);
	if (kstrtoull(argv[1], 10, &ms)) {
		shell_error("sleep: invalid time interval '%s'\n", argv[1]);
		return 1;
	}
	if (ms > SLEEP_MAX_MS) {
		shell_error("sleep: %s: %s (limit %llu ms)\n", argv[1], errstr(ERANGE),
			    SLEEP_MAX_MS);
		return 1;
	}
	return sleep_interruptible(ms);
}
DEFINE_SHELL_COMMAND(sleep, "MS", "busy-wait MS milliseconds (up to 60000; Ctrl-C stops it)",
		     cmd_sleep);

static int cmd_help(int argc, char **argv)
{
	const struct shell_command *cmds[128];
	int n = shell_sorted_commands(cmds, (int)ARRAY_SIZE(cmds));
	char synopsis[64];

	for (int i = 0; i < n; i++) {
		snprintf(synopsis, sizeof(synopsis), "%s %s", cmds[i]->name, cmds[i]->usage);
		shell_printf("  %-30s %s\n", synopsis, cmds[i]->help);
	}
	return 0;
}
DEFINE_SHELL_COMMAND(help, "", "list the commands", cmd_help);

/*
 * The run's verdict is a contract with tools/qemu-boot: 0 passed, 1 failed;
 * 3 (crash), 4 (loader) and 124/125 (timeout, no verdict) are said by the
 * machinery itself, so a script may not forge them, and isa-debug-exit keeps
 * only the low bits of larger numbers (256 would read as 0).
 */
static int cmd_poweroff(int argc, char **argv)
{
	int status = shell_failures() ? EXIT_STATUS_FAILED : EXIT_STATUS_OK;

	if (argc > 2)
		return usage(argv[0]);
	if (argc == 2 && (kstrtoint(argv[1], 10, &status) ||
			  (status != EXIT_STATUS_OK && status != EXIT_STATUS_FAILED))) {
		shell_error("poweroff: invalid status '%s' (0 passed, 1 failed)\n", argv[1]);
		return 1;
	}
	shell_error("flushlab: poweroff, status %d (%d failed commands)\n", status,
		    shell_failures());
	machine_exit(status);
}
DEFINE_SHELL_COMMAND(poweroff, "[0|1]", "end the run; status defaults to 1 if any command failed",
		     cmd_poweroff);

static int cmd_true(int argc, char **argv)
{
	return 0;
}
DEFINE_SHELL_COMMAND(true, "", "do nothing, successfully", cmd_true);

static int cmd_false(int argc, char **argv)
{
	return 1;
}
DEFINE_SHELL_COMMAND(false, "", "do nothing, unsuccessfully", cmd_false);
