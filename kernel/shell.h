/*
 * The console language: one line, one command, '#' comments, quotes, and
 * `> PATH` to store a command's output into a pseudo-file. Scripts are the
 * same language, run line by line; every failed command is counted so the
 * run's exit status can say whether anything failed.
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include "lib/kernel.h"

#define SHELL_LINE_MAX 1024 /* bytes per line including the NUL */
#define SHELL_ARGS_MAX 64
#define SHELL_PROMPT "flushlab# "

#define SHELL_CMD_PREFIX 0x1 /* runs the rest of the line as a command (time) */

struct shell_command {
	const char *name;
	const char *usage;		  /* arguments only: "PATH..." */
	const char *help;		  /* one line */
	int (*fn)(int argc, char **argv); /* 0, or non-zero after printing why */
	unsigned long flags;
};

/*
 * Commands live in the "shell_cmds" linker section; the kernel's linker.ld
 * KEEPs it between __start_shell_cmds and __stop_shell_cmds. The name is
 * stringified here, not in a helper, so `true` and `false` stay words.
 */
#define __SHELL_COMMAND(var, cname, cusage, chelp, cfn, cflags)                                    \
	static const struct shell_command var                                                      \
	    __attribute__((used, section("shell_cmds"), aligned(8))) = {                           \
		.name = cname,                                                                     \
		.usage = cusage,                                                                   \
		.help = chelp,                                                                     \
		.fn = cfn,                                                                         \
		.flags = cflags,                                                                   \
	}
#define DEFINE_SHELL_COMMAND(cname, cusage, chelp, cfn)                                            \
	__SHELL_COMMAND(__shell_cmd_##cname, #cname, cusage, chelp, cfn, 0)
#define DEFINE_SHELL_COMMAND_FLAGS(cname, cusage, chelp, cfn, cflags)                              \
	__SHELL_COMMAND(__shell_cmd_##cname, #cname, cusage, chelp, cfn, cflags)

/* Run one line (NUL-terminated). 0 on success; failures are counted. */
int shell_run_line(const char *line);

/*
 * Run @len bytes of script text (not NUL-terminated, may hold any bytes),
 * echoing each line after the prompt first. Returns how many commands failed.
 */
int shell_run_script(const char *text, size_t len);

/* Commands that failed since boot (or the last reset). */
int shell_failures(void);
void shell_reset_failures(void);

/* Run @argv as a command, honouring the line's pending `> PATH`. */
int shell_exec(int argc, char **argv);

const struct shell_command *shell_find_command(const char *name);

/*
 * Run @argv[0] as a program (/bin/NAME, or a path) in the foreground when
 * it is no builtin: its status (exit code, 128 + signal), or -ENOENT if
 * there is no such program (the caller says "command not found").
 * @redirect is the line's `> PATH`, or NULL; @background: the line ended
 * with `&` (start it, print its job, return 0). task/program_cmd.c has it;
 * a weak default in shell.c answers -ENOENT.
 */
int shell_run_program(int argc, char **argv, const char *redirect, bool background);

/* Fill @out with up to @max commands sorted by name; returns the count. */
int shell_sorted_commands(const struct shell_command **out, int max);

/* Command output (goes to a pseudo-file under `> PATH`) and errors (console). */
void shell_write(const char *s, size_t n);
void shell_printf(const char *fmt, ...) __printf(1, 2);
void shell_error(const char *fmt, ...) __printf(1, 2);

/* `time` calls this with 0 before and 1 after the command; NULL by default. */
extern void (*shell_time_hook)(int phase);

/*
 * Read bytes from @getc (a byte 0..255, blocking; negative means end of
 * input) through the line editor and run each line. Returns at end of input;
 * `poweroff` never returns.
 */
void shell_interactive(int (*getc)(void));

#endif
