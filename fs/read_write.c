/*
 * read, write, pread64, pwrite64, lseek, getdents64, and the fd-taking
 * mmap and ioctl of the devices: each takes its file with fget, checks
 * the access mode, and calls the kind's operation with a position. A
 * seekable file's position moves under f_pos_lock (Linux's fdget_pos), so
 * threads sharing one fd take turns and never read the same bytes twice;
 * a stream (a pipe, the console) has no position and no such lock.
 */
#include "arch/x86_64/uaccess.h"
#include "fs/fs.h"
#include "fs/internal.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/devmem.h"
#include "mm/page.h"
#include "uapi/mman.h"
#include "mm/mm_user.h"
#include "task/task.h"

#define MAX_LFS_FILESIZE ((uint64_t)INT64_MAX)

enum rw { RW_READ, RW_WRITE };

/* Check and call: @pos NULL for the file's own position. */
static long do_rw(struct file *f, enum rw rw, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	long (*op)(struct file *, uintptr_t, size_t, uint64_t *);
	uint64_t dummy = 0;
	long ret;

	if (!f || !(rw == RW_READ ? file_readable(f) : file_writable(f)))
		return -EBADF;
	if (f->f_inode && S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	op = rw == RW_READ ? f->f_op->read : f->f_op->write;
	if (!op)
		return -EINVAL; /* Linux's device-dax has no read or write: mmap it */
	if (!access_ok(ubuf, count))
		return -EFAULT;
	count = MIN(count, (size_t)MAX_RW_COUNT);
	if (pos || f->f_op->stream)
		return op(f, ubuf, count, pos ? pos : &dummy);
	mutex_lock(&f->f_pos_lock);
	ret = op(f, ubuf, count, &f->f_pos);
	mutex_unlock(&f->f_pos_lock);
	return ret;
}

long file_read(struct task_struct *t, int fd, uintptr_t ubuf, size_t count)
{
	struct file *f = fget(t, fd);
	long ret = do_rw(f, RW_READ, ubuf, count, NULL);

	fput(f);
	return ret;
}

long file_write(struct task_struct *t, int fd, uintptr_t ubuf, size_t count)
{
	struct file *f = fget(t, fd);
	long ret = do_rw(f, RW_WRITE, ubuf, count, NULL);

	fput(f);
	return ret;
}

/* Linux's ksys_pread64/pwrite64: -EINVAL for a negative offset, -ESPIPE for a stream. */
static long prw(struct trap_frame *r, enum rw rw)
{
	struct file *f = fget(current, (int)r->rdi);
	uint64_t pos = r->r10;
	long ret;

	if ((int64_t)pos < 0)
		ret = -EINVAL;
	else if (!f)
		ret = -EBADF;
	else if (f->f_op->stream)
		ret = -ESPIPE;
	else
		ret = do_rw(f, rw, r->rsi, r->rdx, &pos);
	fput(f);
	return ret;
}

long sys_pread64(struct trap_frame *r)
{
	return prw(r, RW_READ);
}

long sys_pwrite64(struct trap_frame *r)
{
	return prw(r, RW_WRITE);
}

static long do_lseek(struct file *f, int64_t off, unsigned int whence)
{
	int64_t base;

	if (f->f_op->stream)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->f_pos;
		break;
	case SEEK_END:
		base = f->f_inode ? (int64_t)f->f_inode->i_size : 0;
		break;
	default:
		return -EINVAL; /* SEEK_DATA/SEEK_HOLE: not implemented */
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->f_pos = (uint64_t)(base + off);
	if (f->f_pos == 0)
		pseudo_rewind(f);
	return (long)f->f_pos;
}

long sys_lseek(struct trap_frame *r)
{
	struct file *f = fget(current, (int)r->rdi);
	long ret;

	if (!f)
		return -EBADF;
	mutex_lock(&f->f_pos_lock);
	ret = do_lseek(f, (int64_t)r->rsi, (unsigned int)r->rdx);
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	return ret;
}

/* ---- getdents64 ---- */

struct getdents_ctx {
	struct dir_context ctx;
	uintptr_t ubuf;
	size_t count, used;
	int err;
};

static bool filldir64(struct dir_context *ctx, const char *name, size_t len, uint64_t ino,
		      unsigned int type)
{
	struct getdents_ctx *g = (struct getdents_ctx *)ctx;
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
	uint8_t rec[offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1 + 8];
	struct linux_dirent64 *d = (struct linux_dirent64 *)rec;

	if (len > NAME_MAX)
		return true; /* skipped: cannot be named through a dirent */
	if (g->used + reclen > g->count) {
		if (g->used == 0)
			g->err = -EINVAL; /* the buffer cannot hold even one entry */
		return false;
	}
	memset(rec, 0, reclen);
	d->d_ino = ino ? ino : 1;
	d->d_off = (int64_t)ctx->pos + 1;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = (unsigned char)type;
	memcpy(d->d_name, name, len);
	if (copy_to_user(g->ubuf + g->used, rec, reclen)) {
		g->err = -EFAULT;
		return false;
	}
	g->used += reclen;
	return true;
}

long sys_getdents64(struct trap_frame *r)
{
	struct file *f = fget(current, (int)r->rdi);
	struct getdents_ctx g = {{filldir64, 0}, r->rsi, r->rdx, 0, 0};
	long ret;

	if (!f)
		return -EBADF;
	if (!f->f_op->iterate) {
		fput(f);
		return -ENOTDIR;
	}
	if (!access_ok(g.ubuf, g.count)) {
		fput(f);
		return -EFAULT;
	}
	mutex_lock(&f->f_pos_lock);
	g.ctx.pos = f->f_pos;
	ret = f->f_op->iterate(f, &g.ctx);
	f->f_pos = g.ctx.pos;
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	if (ret)
		return ret;
	return g.used ? (long)g.used : g.err;
}

/* ---- mmap of an fd (tmpfs, memfd, /dev/daxR.N) and ioctl (the device's) ---- */

static long do_file_mmap(struct task_struct *t, struct file *f, uintptr_t addr, size_t len,
			 int prot, int flags, uint64_t off, uintptr_t *out)
{
	if (!f)
		return -EBADF;
	/* Linux's do_mmap order: the file's modes first, then whether it can be mapped at all. */
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) &&
	    (f->f_flags & O_ACCMODE) != O_RDWR)
		return -EACCES; /* a shared writable mapping needs an fd open for writing */
	if ((f->f_flags & O_ACCMODE) == O_WRONLY)
		return -EACCES; /* a mapping must be readable */
	if (!is_dax_file(f) && !(is_tmpfs_inode(f->f_inode) && S_ISREG(f->f_inode->i_mode)))
		return -ENODEV; /* pseudo-files, the ramfs, directories, pipes */
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!is_dax_file(f))
		return shmem_mmap(t->mm, f->f_inode, (f->f_flags & O_ACCMODE) == O_RDWR, addr, len,
				  prot, flags, off, out);
	return do_mmap_devdax(t->mm, f->f_inode->i_private, (f->f_flags & O_ACCMODE) == O_RDWR,
			      addr, len, prot, flags, off, out);
}

/* A mapping holds the inode or the instance, not the file: ours goes at return. */
long file_mmap(struct task_struct *t, int fd, uintptr_t addr, size_t len, int prot, int flags,
	       uint64_t off, uintptr_t *out)
{
	struct file *f = fget(t, fd);
	long ret = do_file_mmap(t, f, addr, len, prot, flags, off, out);

	fput(f);
	return ret;
}

/* The pins an ioctl takes belong to the file: the last put releases them. */
long file_ioctl(struct task_struct *t, int fd, unsigned long cmd, uintptr_t arg)
{
	struct file *f = fget(t, fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!is_dax_file(f))
		ret = -ENOTTY; /* no terminals: isatty() is false, stdio fully buffers */
	else
		ret = devdax_ioctl(f->f_inode->i_private, f, t->mm, cmd, arg);
	fput(f);
	return ret;
}
