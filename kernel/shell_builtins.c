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

#define CAT_MAX (16 * 1024) /* the most one pseudo-file's show may print */
#define SLEEP_MAX_MS 600000ULL

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

static int cat_one(const char *path)
{
	static char buf[CAT_MAX];
	struct pseudo_file *f = pseudofs_lookup(path);
	struct seq_buf s;
	int err;

	if (!f) {
		err = pseudofs_is_dir(path) ? -EISDIR : -ENOENT;
		goto fail;
	}
	if (f->stream) {
		err = f->stream(shell_write, f->data);
		if (err)
			goto fail;
		return 0;
	}
	seq_buf_init(&s, buf, sizeof(buf));
	err = pseudofs_read(f, &s);
	if (err)
		goto fail;
	shell_write(s.buf, s.len);
	if (s.overflow) {
		shell_error("cat: %s: output truncated at %zu bytes\n", path, s.len);
		return 1;
	}
	return 0;
fail:
	shell_error("cat: %s: %s\n", path, errstr(err));
	return 1;
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
	int err;

	if (pseudofs_lookup(path)) {
		shell_printf("%s\n", path);
		return 0;
	}
	if (header && pseudofs_is_dir(path))
		shell_printf("%s:\n", path);
	err = pseudofs_list(path, ls_emit, NULL);
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
 * `real 0m0.123s`. The hook lets the shootdown ledger print its delta.
 */
static int cmd_time(int argc, char **argv)
{
	uint64_t t0, ms;
	int status;

	if (shell_time_hook)
		shell_time_hook(0);
	t0 = clock_ns();
	status = shell_exec(argc - 1, argv + 1);
	ms = (clock_ns() - t0) / 1000000;
	shell_error("real\t%llum%llu.%03llus\n", (unsigned long long)(ms / 60000),
		    (unsigned long long)(ms / 1000 % 60), (unsigned long long)(ms % 1000));
	if (shell_time_hook)
		shell_time_hook(1);
	return status;
}
DEFINE_SHELL_COMMAND_FLAGS(time, "COMMAND...", "run a command and print how long it took",
			   cmd_time, SHELL_CMD_PREFIX);

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
	clock_delay_ms(ms);
	return 0;
}
DEFINE_SHELL_COMMAND(sleep, "MS", "busy-wait MS milliseconds", cmd_sleep);

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

static int cmd_poweroff(int argc, char **argv)
{
	int status = shell_failures() ? 1 : 0;

	if (argc > 2)
		return usage(argv[0]);
	if (argc == 2 && kstrtoint(argv[1], 0, &status)) {
		shell_error("poweroff: invalid status '%s'\n", argv[1]);
		return 1;
	}
	shell_error("flushlab: poweroff, status %d (%d failed commands)\n", status,
		    shell_failures());
	machine_exit(status);
}
DEFINE_SHELL_COMMAND(poweroff, "[STATUS]",
		     "end the run; status defaults to 1 if any command failed", cmd_poweroff);

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
