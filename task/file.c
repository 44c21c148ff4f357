/*
 * File descriptors over pseudo-files and the ramfs. A pseudo-file read is
 * a snapshot: the first read(2) runs its show into a buffer and later
 * reads walk it (Linux's seq_file does the same), so a reader never sees
 * half of two different states. Each write(2) to a pseudo-file is one
 * store, as each write to a sysfs file is in Linux.
 *
 * Open files are reference counted as Linux's are (fget/fput): the fd
 * table holds one reference, and every syscall that takes an fd holds
 * another from its look-up until it returns, so a close(2) or a
 * close-and-reopen on the same number by another thread only drops the
 * table's reference; the file is released (its snapshot freed, its device
 * put, its pins dropped) by whichever put is last. A device-dax mapping
 * does not hold the file: it holds the instance (nr_mapped), as Linux's
 * holds the dev_pagemap.
 */
#include "task/file.h"
#include "arch/x86_64/uaccess.h"
#include "kernel/platform.h"
#include "kernel/pseudofs.h"
#include "kernel/spinlock.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/devmem.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "task/ramfs.h"
#include "task/task.h"

#define NR_FILES 128	 /* open files in the system */
#define SNAPSHOT_ORDER 2 /* 16 KiB: the most a show prints (as `cat`) */
#define STORE_MAX 4096	 /* bytes one write(2) may store, as `> PATH` */
#define CONSOLE_CHUNK 256

struct file {
	bool used; /* the slot is taken (file_lock); cleared only after release */
	int count; /* references: the fd table's and one per syscall using it */
	int flags;
	struct pseudo_ref pf; /* pf.f, or */
	const struct ramfs_file *rf;
	bool is_dir;
	struct dev_dax *dax;	  /* or /dev/daxR.N (nr_open held until close) */
	struct spinlock pos_lock; /* pos and snap: readers sharing one fd */
	size_t pos;
	struct page *snap; /* the show's output, taken at the first read */
	size_t snap_len;
};

static struct file file_table[NR_FILES];
static struct spinlock file_lock;

int nr_files_open(void)
{
	int n = 0;

	for (int i = 0; i < NR_FILES; i++)
		n += READ_ONCE(file_table[i].used);
	return n;
}

static struct file *file_alloc(void)
{
	struct file *f = NULL;

	spin_lock(&file_lock);
	for (int i = 0; i < NR_FILES && !f; i++) {
		if (!file_table[i].used) {
			f = &file_table[i];
			memset(f, 0, sizeof(*f));
			f->used = true;
			f->count = 1; /* the opener's, handed to the fd table */
		}
	}
	spin_unlock(&file_lock);
	return f;
}

/* The last reference went: give back what the file holds, then its slot. */
static void file_free(struct file *f)
{
	if (f->dax) {
		devdax_pin_release(f); /* pins this file left behind */
		devdax_put(f->dax);
	}
	if (f->snap)
		__free_pages(f->snap, SNAPSHOT_ORDER);
	spin_lock(&file_lock);
	f->used = false;
	spin_unlock(&file_lock);
}

/* fds 0-2 of a new process: the console, until closed. It has no count. */
#define CONSOLE_FD ((struct file *)1)

/*
 * Linux's fget: the file @fd of @t's table with a reference taken, or
 * NULL. The look-up and the increment are one step under file_lock, the
 * lock close takes to clear the slot, so a racing close either comes
 * after (and its put leaves ours) or before (and we see no file).
 */
static struct file *fget(struct task_struct *t, int fd)
{
	struct file *f;

	if (fd < 0 || fd >= NR_OPEN)
		return NULL;
	spin_lock(&file_lock);
	f = t->group_leader->files[fd];
	if (f && f != CONSOLE_FD)
		f->count++;
	spin_unlock(&file_lock);
	return f;
}

/* Linux's fput: drop one reference; the last one releases the file. */
static void fput(struct file *f)
{
	bool last;

	if (!f || f == CONSOLE_FD)
		return;
	spin_lock(&file_lock);
	BUG_ON(f->count <= 0);
	last = --f->count == 0;
	spin_unlock(&file_lock);
	if (last)
		file_free(f);
}

/* Find what @path names and check the access mode against what it allows. */
static int file_lookup(struct file *f, const char *path, int acc)
{
	if (!strncmp(path, "/dev/dax", 8)) {
		f->dax = devdax_get(path + 5); /* a device file of each live instance */
		if (f->dax)
			return 0;
	}
	if (pseudofs_lookup(path, &f->pf)) {
		if ((acc != O_WRONLY && !pseudofs_readable(&f->pf)) ||
		    (acc != O_RDONLY && !pseudofs_writable(&f->pf)))
			return -EACCES;
		return 0;
	}
	f->rf = ramfs_lookup(path);
	if (f->rf)
		return acc == O_RDONLY ? 0 : -EROFS;
	if (pseudofs_is_dir(path)) {
		f->is_dir = true;
		return acc == O_RDONLY ? 0 : -EISDIR;
	}
	return -ENOENT;
}

/* Put @f at the lowest free fd of @t's table: the fd, or -EMFILE. */
static int fd_install(struct task_struct *t, struct file *f)
{
	int fd;

	spin_lock(&file_lock);
	for (fd = 0; fd < NR_OPEN && t->files[fd]; fd++)
		;
	if (fd < NR_OPEN)
		t->files[fd] = f;
	spin_unlock(&file_lock);
	return fd < NR_OPEN ? fd : -EMFILE;
}

long file_open(struct task_struct *t, uintptr_t upath, int flags)
{
	char path[PSEUDOFS_PATH_MAX], norm[PSEUDOFS_PATH_MAX];
	long len = strncpy_from_user(path, upath, sizeof(path));
	int acc = flags & O_ACCMODE, err;
	struct file *f;

	if (len < 0)
		return len;
	if (len == sizeof(path))
		return -ENAMETOOLONG;
	err = pseudofs_normalize(path, norm, sizeof(norm));
	if (err)
		return err;
	if (acc == O_ACCMODE)
		return -EINVAL;
	f = file_alloc();
	if (!f)
		return -ENFILE;
	f->flags = flags;
	err = file_lookup(f, norm, acc);
	if (!err && (flags & O_DIRECTORY) && !f->is_dir)
		err = -ENOTDIR;
	if (!err)
		err = fd_install(t->group_leader, f); /* the threads share one table */
	if (err < 0)
		fput(f);
	return err;
}

long file_close(struct task_struct *t, int fd)
{
	struct file *f;

	if (fd < 0 || fd >= NR_OPEN)
		return -EBADF;
	spin_lock(&file_lock); /* two threads closing one fd: one wins */
	f = t->group_leader->files[fd];
	t->group_leader->files[fd] = NULL;
	spin_unlock(&file_lock);
	if (!f)
		return -EBADF;
	fput(f); /* the table's reference: a syscall still using it keeps it */
	return 0;
}

void files_init(struct task_struct *t)
{
	for (int fd = 0; fd < 3; fd++)
		t->files[fd] = CONSOLE_FD;
}

void files_close_all(struct task_struct *t)
{
	for (int fd = 0; fd < NR_OPEN; fd++) {
		struct file *f;

		spin_lock(&file_lock);
		f = t->files[fd];
		t->files[fd] = NULL;
		spin_unlock(&file_lock);
		fput(f);
	}
}

/*
 * Run the pseudo-file's show into a fresh buffer, the snapshot later reads
 * walk. Two threads reading one fd may both get here: the first snapshot
 * installed stays, the other is freed. A failed show leaves none.
 */
static int take_snapshot(struct file *f)
{
	struct page *page = alloc_pages(GFP_KERNEL, SNAPSHOT_ORDER);
	struct seq_buf s;
	int err;

	if (!page)
		return -ENOMEM;
	seq_buf_init(&s, page_address(page), PAGE_SIZE << SNAPSHOT_ORDER);
	err = pseudofs_read(&f->pf, &s);
	spin_lock(&f->pos_lock);
	if (!err && !f->snap) {
		f->snap = page;
		f->snap_len = s.len;
		page = NULL;
	}
	spin_unlock(&f->pos_lock);
	if (page)
		__free_pages(page, SNAPSHOT_ORDER);
	return err;
}

/*
 * Copy what is left of @data past f->pos to the user, up to @count. The
 * bytes are claimed under pos_lock and copied after it (no spinlock is
 * held across a user access, which may fault); a failed copy gives its
 * claim back unless another read has moved on since.
 */
static long read_bytes(struct file *f, const void *data, size_t size, uintptr_t ubuf, size_t count)
{
	size_t start, n;

	spin_lock(&f->pos_lock);
	start = f->pos;
	n = start < size ? MIN(count, size - start) : 0;
	f->pos += n;
	spin_unlock(&f->pos_lock);
	if (n && copy_to_user(ubuf, (const uint8_t *)data + start, n)) {
		spin_lock(&f->pos_lock);
		if (f->pos == start + n)
			f->pos = start;
		spin_unlock(&f->pos_lock);
		return -EFAULT;
	}
	return (long)n;
}

/*
 * A pseudo-file read at offsets (pagemap) has no snapshot: each read asks
 * the file for the bytes at f->pos, a chunk at a time, so a reader seeking
 * far into it costs only what it reads.
 */
static long read_at_user(struct file *f, uintptr_t ubuf, size_t count)
{
	char chunk[CONSOLE_CHUNK];
	size_t done = 0;

	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk)), pos;
		long got;

		spin_lock(&f->pos_lock);
		pos = f->pos;
		spin_unlock(&f->pos_lock);
		got = pseudofs_read_at(&f->pf, chunk, n, pos);
		if (got > 0 && copy_to_user(ubuf + done, chunk, (size_t)got))
			got = -EFAULT;
		if (got <= 0)
			return done ? (long)done : got;
		spin_lock(&f->pos_lock);
		f->pos = pos + (size_t)got;
		spin_unlock(&f->pos_lock);
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	return (long)done;
}

static long do_read(struct file *f, uintptr_t ubuf, size_t count)
{
	struct page *snap;
	int err;

	if (!f || (f != CONSOLE_FD && (f->flags & O_ACCMODE) == O_WRONLY))
		return -EBADF;
	if (!access_ok(ubuf, count))
		return -EFAULT;
	if (f == CONSOLE_FD)
		return 0; /* no console input for programs yet: end of file */
	if (f->dax)
		return -EINVAL; /* Linux's device-dax has no read or write: mmap it */
	if (f->is_dir)
		return -EISDIR;
	if (f->rf)
		return read_bytes(f, f->rf->data, f->rf->size, ubuf, count);
	if (f->pf.f->read_at)
		return read_at_user(f, ubuf, count);
	if (!READ_ONCE(f->snap)) {
		err = take_snapshot(f);
		if (err)
			return err;
	}
	snap = READ_ONCE(f->snap); /* set once, freed only with the file */
	return read_bytes(f, page_address(snap), f->snap_len, ubuf, count);
}

long file_read(struct task_struct *t, int fd, uintptr_t ubuf, size_t count)
{
	struct file *f = fget(t, fd);
	long ret = do_read(f, ubuf, count);

	fput(f);
	return ret;
}

static long console_write_user(uintptr_t ubuf, size_t count)
{
	char chunk[CONSOLE_CHUNK];
	size_t done = 0;

	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk));

		if (copy_from_user(chunk, ubuf + done, n))
			return done ? (long)done : -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (long)done;
}

/* One write(2), one store: the bytes NUL-terminated, as the console's echo stores. */
static long pseudo_write(struct file *f, uintptr_t ubuf, size_t count)
{
	struct page *page;
	char *buf;
	long ret;

	if (count > STORE_MAX)
		return -EINVAL;
	page = alloc_pages(GFP_KERNEL, 1);
	if (!page)
		return -ENOMEM;
	buf = page_address(page);
	ret = copy_from_user(buf, ubuf, count) ? -EFAULT : 0;
	if (!ret) {
		buf[count] = '\0';
		ret = pseudofs_write(&f->pf, buf, count);
	}
	__free_pages(page, 1);
	return ret ? ret : (long)count;
}

static long do_write(struct file *f, uintptr_t ubuf, size_t count)
{
	if (!f || (f != CONSOLE_FD && (f->flags & O_ACCMODE) == O_RDONLY))
		return -EBADF;
	if (!access_ok(ubuf, count))
		return -EFAULT;
	if (f == CONSOLE_FD)
		return console_write_user(ubuf, count);
	if (f->dax)
		return -EINVAL;
	if (count == 0)
		return 0;
	return pseudo_write(f, ubuf, count);
}

long file_write(struct task_struct *t, int fd, uintptr_t ubuf, size_t count)
{
	struct file *f = fget(t, fd);
	long ret = do_write(f, ubuf, count);

	fput(f);
	return ret;
}

static long do_file_mmap(struct task_struct *t, struct file *f, uintptr_t addr, size_t len,
			 int prot, int flags, uint64_t off, uintptr_t *out)
{
	if (!f)
		return -EBADF;
	if (f == CONSOLE_FD || !f->dax)
		return -ENODEV; /* pseudo-files and the ramfs cannot be mapped */
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EACCES; /* Linux: a mapping must be readable */
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	return do_mmap_devdax(t->mm, f->dax, (f->flags & O_ACCMODE) == O_RDWR, addr, len, prot,
			      flags, off, out);
}

/* The mapping holds the instance (nr_mapped), not the file: ours goes at return. */
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
	if (f == CONSOLE_FD || !f->dax)
		ret = -ENOTTY; /* no terminals: isatty() is false, stdio fully buffers */
	else
		ret = devdax_ioctl(f->dax, f, t->mm, cmd, arg);
	fput(f);
	return ret;
}
