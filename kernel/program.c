/*
 * Programs at the console: a word that is no builtin names /bin/WORD (or,
 * with a '/', a path) in the ramfs, which runs in the foreground; the
 * line's status is its exit code, or 128 + the signal that killed it, as
 * a POSIX shell reports it. `time PROG` works because time runs any
 * command through shell_exec.
 */
#include "kernel/pseudofs.h"
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "task/ramfs.h"
#include "task/task.h"

/* The ramfs path @name stands for: itself if it has a '/', else /bin/@name. */
static int program_path(const char *name, char *out, size_t size)
{
	char raw[PSEUDOFS_PATH_MAX];

	if (snprintf(raw, sizeof(raw), "%s%s", strchr(name, '/') ? "" : "/bin/", name) >=
	    (int)sizeof(raw))
		return -ENAMETOOLONG;
	return pseudofs_normalize(raw, out, size);
}

int shell_run_program(int argc, char **argv, const char *redirect)
{
	char path[PSEUDOFS_PATH_MAX];
	const struct ramfs_file *f;
	int err, wstatus;

	if (program_path(argv[0], path, sizeof(path)) || !(f = ramfs_lookup(path))) {
		if (!strchr(argv[0], '/'))
			return -ENOENT; /* the shell says "command not found" */
		shell_error("flushlab: %s: %s\n", argv[0], errstr(ENOENT));
		return 127;
	}
	if (!(f->mode & RAMFS_MODE_EXEC)) {
		shell_error("flushlab: %s: %s\n", argv[0], errstr(EACCES));
		return 126;
	}
	if (redirect) {
		shell_error("flushlab: %s: > %s: programs write to the console only (not yet "
			    "redirectable)\n", argv[0], redirect);
		return 1;
	}
	err = run_program(path, f->data, f->size, argv, &wstatus);
	if (err) {
		shell_error("flushlab: %s: %s\n", argv[0], errstr(err));
		return 126;
	}
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}
