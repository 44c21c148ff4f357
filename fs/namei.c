/*
 * Path look-up: a user path and a directory fd (or AT_FDCWD: the working
 * directory, which is always "/" here) to an absolute, normalised path,
 * then to an inode: on a tmpfs mount (/tmp, /dev/shm) or in the rest of
 * the namespace (fs/pseudo.c). Paths are resolved lexically: there are no
 * symlinks but /proc/self (the caller's pid) and /proc/self/exe.
 */
#include "arch/x86_64/uaccess.h"
#include "fs/fs.h"
#include "fs/internal.h"
#include "fs/tmpfs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "task/task.h"

struct mount {
	const char *path;   /* the mount point */
	const char *parent; /* its directory, whose listing shows it */
	const char *name;
	struct tmpfs_sb *sb;
};

static struct mount mounts[] = {
    {"/tmp", "/", "tmp", NULL},
    {"/dev/shm", "/dev", "shm", NULL},
};

void fs_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		mounts[i].sb = tmpfs_new_sb(mounts[i].path);
		if (!mounts[i].sb)
			printk("fs: no memory for the tmpfs at %s: not mounted\n", mounts[i].path);
	}
}

struct tmpfs_sb *tmpfs_mount_of(const char *path, const char **rest)
{
	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		size_t n = strlen(mounts[i].path);

		if (mounts[i].sb && !strncmp(path, mounts[i].path, n) &&
		    (path[n] == '\0' || path[n] == '/')) {
			*rest = path + n;
			return mounts[i].sb;
		}
	}
	return NULL;
}

void tmpfs_emit_mounts(const char *dir, struct dir_context *ctx, uint64_t *index)
{
	for (size_t i = 0; i < ARRAY_SIZE(mounts); i++) {
		const char *name = mounts[i].name;

		if (strcmp(mounts[i].parent, dir) || (*index)++ < ctx->pos)
			continue;
		if (!ctx->emit(ctx, name, strlen(name), 0, DT_DIR))
			return;
		ctx->pos++;
	}
}

/* Append @comp (@n bytes) to the normalised @out, resolving "." and "..". */
static int push_component(char *out, size_t size, size_t *len, const char *comp, size_t n)
{
	if (n == 0 || (n == 1 && comp[0] == '.'))
		return 0;
	if (n == 2 && comp[0] == '.' && comp[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--; /* the '/': "/a/b" -> "/a", "/a" -> "" (the root) */
		out[*len] = '\0';
		return 0;
	}
	if (n > NAME_MAX)
		return -ENAMETOOLONG;
	if (*len + 1 + n + 1 > size)
		return -ENAMETOOLONG;
	out[(*len)++] = '/';
	memcpy(out + *len, comp, n);
	*len += n;
	out[*len] = '\0';
	return 0;
}

static int normalise(const char *base, const char *path, char *out, size_t size)
{
	size_t len = 0;
	int err = 0;

	out[0] = '\0';
	for (int pass = 0; pass < 2 && !err; pass++) {
		const char *c = pass ? path : base;

		while (*c && !err) {
			const char *end = strchr(c, '/');
			size_t n = end ? (size_t)(end - c) : strlen(c);

			err = push_component(out, size, &len, c, n);
			c += n + (end ? 1 : 0);
		}
	}
	if (!err && len == 0)
		snprintf(out, size, "/");
	return err;
}

/* /proc/self is the caller's /proc/PID (a symlink in Linux). */
static void resolve_self(char *out, size_t size)
{
	char tmp[PATH_MAX];

	if (strncmp(out, "/proc/self", 10) || (out[10] != '\0' && out[10] != '/'))
		return;
	snprintf(tmp, sizeof(tmp), "/proc/%d%s", current->tgid, out + 10);
	snprintf(out, size, "%s", tmp);
}

int user_path_at(int dfd, uintptr_t upath, char *out, size_t size, bool *trailing_slash)
{
	char path[PATH_MAX], base[PATH_MAX] = "";
	long len = strncpy_from_user(path, upath, sizeof(path));
	struct file *dir;
	int err;

	if (len < 0)
		return (int)len;
	if (len == sizeof(path))
		return -ENAMETOOLONG;
	if (len == 0)
		return -ENOENT;
	if (path[0] != '/' && dfd != AT_FDCWD) {
		dir = fget(current, dfd);
		if (!dir)
			return -EBADF;
		err = dir->f_inode && S_ISDIR(dir->f_inode->i_mode) ? 0 : -ENOTDIR;
		if (!err)
			snprintf(base, sizeof(base), "%s", dir->f_path);
		fput(dir);
		if (err)
			return err;
	}
	*trailing_slash = len > 1 && path[len - 1] == '/';
	err = normalise(path[0] == '/' ? "" : base, path, out, size);
	if (!err && !strncmp(out, "/proc/self", 10))
		resolve_self(out, size);
	return err;
}

const char *proc_exe_target(const char *path)
{
	char own[32];
	const char *exe;

	if (!current)
		return NULL;
	exe = current->group_leader->files.exe;
	snprintf(own, sizeof(own), "/proc/%d/exe", current->tgid);
	return !strcmp(path, own) && exe[0] ? exe : NULL;
}

int path_lookup(const char *path, struct inode **out)
{
	const char *rest, *exe = proc_exe_target(path);
	struct tmpfs_sb *sb;

	if (exe)
		path = exe; /* the one symlink: followed */
	sb = tmpfs_mount_of(path, &rest);

	if (sb)
		return tmpfs_lookup(sb, rest, out);
	return pseudo_lookup(path, out);
}
