/*
 * The path-taking calls: openat (and open, creat), the stat family,
 * access, readlink, unlink, mkdir, truncate, plus ftruncate, fallocate
 * and memfd_create, which make or change tmpfs files. Linux's checks in
 * Linux's order where it matters to a program (the flags, then the path,
 * then the file). Outside the tmpfs mounts the namespace is read-only.
 */
#include "arch/x86_64/uaccess.h"
#include "fs/fs.h"
#include "fs/internal.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "task/task.h"

#define VALID_OPEN_FLAGS                                                                           \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |     \
	 O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH |      \
	 O_TMPFILE)
#define UMASK 022 /* every process's (no umask(2) yet): Linux's default */

/* The inode @path names, made first with O_CREAT on a tmpfs. */
static int open_inode(const char *path, int flags, uint32_t mode, struct inode **out)
{
	const char *rest;
	struct tmpfs_sb *sb = tmpfs_mount_of(path, &rest);
	int err;

	if (!(flags & O_CREAT))
		return path_lookup(path, out);
	if (sb)
		return tmpfs_create(sb, rest, S_IFREG | (mode & 07777 & ~UMASK), flags & O_EXCL,
				    out);
	err = path_lookup(path, out); /* outside tmpfs: only what is there */
	if (!err && (flags & O_EXCL)) {
		iput(*out);
		return -EEXIST;
	}
	return err == -ENOENT ? -EROFS : err;
}

static int may_open(struct inode *inode, int flags, bool trailing_slash)
{
	int acc = flags & O_ACCMODE;

	if (S_ISDIR(inode->i_mode))
		return acc != O_RDONLY || (flags & O_CREAT) ? -EISDIR : 0;
	if ((flags & O_DIRECTORY) || trailing_slash)
		return -ENOTDIR;
	if (inode->i_fop->open)
		return inode->i_fop->open(inode, acc);
	return 0;
}

static long do_sys_openat(int dfd, uintptr_t upath, int flags, uint32_t mode)
{
	char path[PATH_MAX];
	struct inode *inode;
	bool slash;
	long err;

	if (flags & ~VALID_OPEN_FLAGS)
		return -EINVAL;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if ((flags & O_TMPFILE) == O_TMPFILE || (flags & O_PATH))
		return -EOPNOTSUPP; /* not implemented: said, not faked */
	err = user_path_at(dfd, upath, path, sizeof(path), &slash);
	if (err)
		return err;
	if (slash && (flags & O_CREAT))
		return -EISDIR;
	if ((flags & O_NOFOLLOW) && proc_exe_target(path))
		return -ELOOP;
	err = open_inode(path, flags, mode, &inode);
	if (err)
		return err;
	err = may_open(inode, flags, slash);
	if (!err && (flags & O_TRUNC) && is_tmpfs_inode(inode) && (flags & O_ACCMODE) != O_RDONLY)
		err = tmpfs_truncate(inode, 0);
	if (err) {
		iput(inode);
		return err;
	}
	return install_file(inode, flags, path, flags & O_CLOEXEC);
}

long file_open(struct task_struct *t, uintptr_t upath, int flags)
{
	return do_sys_openat(AT_FDCWD, upath, flags, 0600);
}

long sys_open(struct trap_frame *r)
{
	return do_sys_openat(AT_FDCWD, r->rdi, (int)r->rsi, (uint32_t)r->rdx);
}

long sys_openat(struct trap_frame *r)
{
	return do_sys_openat((int)r->rdi, r->rsi, (int)r->rdx, (uint32_t)r->r10);
}

long sys_creat(struct trap_frame *r)
{
	return do_sys_openat(AT_FDCWD, r->rdi, O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)r->rsi);
}

/* ---- stat ---- */

static long stat_inode(struct inode *inode, uintptr_t ust)
{
	struct stat st;

	generic_fillattr(inode, &st);
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

static long do_fstat(int fd, uintptr_t ust)
{
	struct file *f = fget(current, fd);
	struct stat st;
	long ret;

	if (!f)
		return -EBADF;
	if (f->f_inode) {
		ret = stat_inode(f->f_inode, ust);
	} else { /* the console */
		memset(&st, 0, sizeof(st));
		st.st_mode = S_IFCHR | 0620;
		st.st_nlink = 1;
		st.st_rdev = (5 << 8) | 1;
		st.st_blksize = 1024;
		ret = copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
	}
	fput(f);
	return ret;
}

static long do_statat(int dfd, uintptr_t upath, uintptr_t ust, int flags)
{
	char path[PATH_MAX];
	struct inode *inode;
	struct stat st;
	bool slash;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH) {
		char c;

		if (copy_from_user(&c, upath, 1))
			return -EFAULT;
		if (c == '\0')
			return do_fstat(dfd, ust);
	}
	err = user_path_at(dfd, upath, path, sizeof(path), &slash);
	if (err)
		return err;
	if ((flags & AT_SYMLINK_NOFOLLOW) && proc_exe_target(path)) {
		memset(&st, 0, sizeof(st));
		st.st_mode = S_IFLNK | 0777;
		st.st_nlink = 1;
		st.st_size = (int64_t)strlen(proc_exe_target(path));
		return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
	}
	err = path_lookup(path, &inode);
	if (err)
		return err;
	err = slash && !S_ISDIR(inode->i_mode) ? -ENOTDIR : stat_inode(inode, ust);
	iput(inode);
	return err;
}

long sys_newfstatat(struct trap_frame *r)
{
	return do_statat((int)r->rdi, r->rsi, r->rdx, (int)r->r10);
}

long sys_fstat(struct trap_frame *r)
{
	return do_fstat((int)r->rdi, r->rsi);
}

long sys_stat(struct trap_frame *r)
{
	return do_statat(AT_FDCWD, r->rdi, r->rsi, 0);
}

long sys_lstat(struct trap_frame *r)
{
	return do_statat(AT_FDCWD, r->rdi, r->rsi, AT_SYMLINK_NOFOLLOW);
}

/* ---- access ---- */

/* Everyone runs as root: R and W are granted (W but on read-only files), X needs an x bit. */
static long do_faccessat(int dfd, uintptr_t upath, int mode, int flags)
{
	char path[PATH_MAX];
	struct inode *inode;
	bool slash;
	long err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, upath, path, sizeof(path), &slash);
	if (err)
		return err;
	err = path_lookup(path, &inode);
	if (err)
		return err;
	if (slash && !S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else if ((mode & X_OK) && !(inode->i_mode & 0111))
		err = -EACCES;
	else if ((mode & W_OK) && !S_ISDIR(inode->i_mode) && inode->i_fop->open)
		err = inode->i_fop->open(inode, O_WRONLY) == -EROFS ? -EROFS : 0;
	iput(inode);
	return err;
}

long sys_access(struct trap_frame *r)
{
	return do_faccessat(AT_FDCWD, r->rdi, (int)r->rsi, 0);
}

long sys_faccessat(struct trap_frame *r)
{
	return do_faccessat((int)r->rdi, r->rsi, (int)r->rdx, 0);
}

long sys_faccessat2(struct trap_frame *r)
{
	return do_faccessat((int)r->rdi, r->rsi, (int)r->rdx, (int)r->r10);
}

/* ---- readlink: /proc/self/exe, the one symlink ---- */

static long do_readlinkat(int dfd, uintptr_t upath, uintptr_t ubuf, int size)
{
	char path[PATH_MAX];
	const char *target;
	struct inode *inode;
	bool slash;
	long err;

	if (size <= 0)
		return -EINVAL;
	err = user_path_at(dfd, upath, path, sizeof(path), &slash);
	if (err)
		return err;
	target = proc_exe_target(path);
	if (target) {
		size_t n = MIN(strlen(target), (size_t)size); /* not NUL-terminated, as Linux */

		return copy_to_user(ubuf, target, n) ? -EFAULT : (long)n;
	}
	err = path_lookup(path, &inode);
	if (err)
		return err;
	iput(inode);
	return -EINVAL; /* there, but not a symlink */
}

long sys_readlink(struct trap_frame *r)
{
	return do_readlinkat(AT_FDCWD, r->rdi, r->rsi, (int)r->rdx);
}

long sys_readlinkat(struct trap_frame *r)
{
	return do_readlinkat((int)r->rdi, r->rsi, r->rdx, (int)r->r10);
}

/* ---- unlink, rmdir, mkdir ---- */

/*
 * The user path @upath, relative to @dfd, copied into @path: 0 with the
 * tmpfs it lies in (*@sb, and the path inside it, *@rest), or with *@sb
 * NULL when no tmpfs holds it; else -errno.
 */
static long user_path_tmpfs(int dfd, uintptr_t upath, char *path, struct tmpfs_sb **sb,
			    const char **rest)
{
	bool slash;
	long err = user_path_at(dfd, upath, path, PATH_MAX, &slash);

	if (!err)
		*sb = tmpfs_mount_of(path, rest);
	return err;
}

/* Whether @path names a file outside the tmpfs mounts: 0 if it does, else -errno. */
static long path_exists(const char *path)
{
	struct inode *inode;
	long err = path_lookup(path, &inode);

	if (!err)
		iput(inode);
	return err;
}

static long do_unlinkat(int dfd, uintptr_t upath, int flags)
{
	char path[PATH_MAX];
	const char *rest;
	struct tmpfs_sb *sb;
	long err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = user_path_tmpfs(dfd, upath, path, &sb, &rest);
	if (err)
		return err;
	if (sb)
		return tmpfs_unlink(sb, rest, flags & AT_REMOVEDIR);
	err = path_exists(path);
	return err ? err : -EROFS; /* the initramfs and the pseudo-files cannot be removed */
}

long sys_unlink(struct trap_frame *r)
{
	return do_unlinkat(AT_FDCWD, r->rdi, 0);
}

long sys_unlinkat(struct trap_frame *r)
{
	return do_unlinkat((int)r->rdi, r->rsi, (int)r->rdx);
}

long sys_rmdir(struct trap_frame *r)
{
	return do_unlinkat(AT_FDCWD, r->rdi, AT_REMOVEDIR);
}

static long do_mkdirat(int dfd, uintptr_t upath, uint32_t mode)
{
	char path[PATH_MAX];
	const char *rest;
	struct tmpfs_sb *sb;
	struct inode *inode;
	long err;

	err = user_path_tmpfs(dfd, upath, path, &sb, &rest);
	if (err)
		return err;
	if (!sb)
		return path_exists(path) ? -EROFS : -EEXIST;
	err = tmpfs_create(sb, rest, S_IFDIR | (mode & 07777 & ~UMASK), true, &inode);
	if (!err)
		iput(inode);
	return err;
}

long sys_mkdir(struct trap_frame *r)
{
	return do_mkdirat(AT_FDCWD, r->rdi, (uint32_t)r->rsi);
}

long sys_mkdirat(struct trap_frame *r)
{
	return do_mkdirat((int)r->rdi, r->rsi, (uint32_t)r->rdx);
}

/* ---- truncate, fallocate ---- */

long sys_ftruncate(struct trap_frame *r)
{
	struct file *f = fget(current, (int)r->rdi);
	long err;

	if (!f)
		return -EBADF;
	if ((int64_t)r->rsi < 0)
		err = -EINVAL;
	else if (!file_writable(f) || !f->f_inode || !S_ISREG(f->f_inode->i_mode))
		err = -EINVAL; /* Linux's do_ftruncate: a regular file open for writing */
	else if (!is_tmpfs_inode(f->f_inode))
		err = -EINVAL;
	else
		err = tmpfs_truncate(f->f_inode, r->rsi);
	fput(f);
	return err;
}

long sys_truncate(struct trap_frame *r)
{
	char path[PATH_MAX];
	struct inode *inode;
	bool slash;
	long err;

	if ((int64_t)r->rsi < 0)
		return -EINVAL;
	err = user_path_at(AT_FDCWD, r->rdi, path, sizeof(path), &slash);
	if (!err)
		err = path_lookup(path, &inode);
	if (err)
		return err;
	if (S_ISDIR(inode->i_mode))
		err = -EISDIR;
	else
		err = is_tmpfs_inode(inode) ? tmpfs_truncate(inode, r->rsi) : -EROFS;
	iput(inode);
	return err;
}

long sys_fallocate(struct trap_frame *r)
{
	struct file *f = fget(current, (int)r->rdi);
	int mode = (int)r->rsi;
	int64_t off = (int64_t)r->rdx, len = (int64_t)r->r10;
	long err;

	if (!f)
		return -EBADF;
	if (off < 0 || len <= 0)
		err = -EINVAL;
	else if (mode != 0 && mode != FALLOC_FL_KEEP_SIZE &&
		 mode != (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
		err = (mode & FALLOC_FL_PUNCH_HOLE) ? -EINVAL : -EOPNOTSUPP; /* collapse, zero... */
	else if (!file_writable(f))
		err = -EBADF;
	else if (!f->f_inode || S_ISDIR(f->f_inode->i_mode))
		err = f->f_inode ? -EISDIR : -ENODEV;
	else if (!is_tmpfs_inode(f->f_inode))
		err = -EOPNOTSUPP;
	else
		err = tmpfs_fallocate(f->f_inode, mode, (uint64_t)off, (uint64_t)len);
	fput(f);
	return err;
}

/* ---- memfd_create ---- */

#define MFD_NAME_MAX 249 /* Linux's: NAME_MAX minus "memfd:" */

long sys_memfd_create(struct trap_frame *r)
{
	unsigned int flags = (unsigned int)r->rsi;
	char name[MFD_NAME_MAX + 1], path[PATH_MAX];
	struct inode *inode;
	long len;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | (0x3fU << 26)))
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -ENOSYS; /* not implemented: a hugetlb-backed file (docs, vfs notes) */
	len = strncpy_from_user(name, r->rdi, sizeof(name));
	if (len < 0)
		return len;
	if (len == sizeof(name))
		return -EINVAL;
	inode = tmpfs_new_unlinked(0777);
	if (!inode)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/memfd:%s", name);
	return install_file(inode, O_RDWR | O_LARGEFILE, path, flags & MFD_CLOEXEC);
}

/* ---- the working directory: always "/" ---- */

long sys_getcwd(struct trap_frame *r)
{
	if (r->rsi < 2)
		return -ERANGE;
	return copy_to_user(r->rdi, "/", 2) ? -EFAULT : 2;
}

/*
 * chdir: the working directory is always "/". A path that is not a
 * directory gets Linux's error; another directory -ENOSYS (not implemented).
 */
long sys_chdir(struct trap_frame *r)
{
	char path[PATH_MAX];
	struct inode *inode;
	bool slash;
	long err = user_path_at(AT_FDCWD, r->rdi, path, sizeof(path), &slash);

	if (!err)
		err = path_lookup(path, &inode);
	if (err)
		return err;
	err = !S_ISDIR(inode->i_mode) ? -ENOTDIR : strcmp(path, "/") ? -ENOSYS : 0;
	iput(inode);
	return err;
}
