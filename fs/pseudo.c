/*
 * The namespace outside the tmpfs mounts: the console (fds 0-2), ramfs
 * files (the initramfs, read-only), pseudo-files (/proc, /sys: read as a
 * snapshot, each write one store), the directories they imply, and the
 * device files /dev/daxR.N. Each open makes an inode for its file, freed
 * with it. A pseudo-file read is a snapshot: the first read runs its show
 * into a buffer and later reads walk it (Linux's seq_file does the same;
 * lseek to 0 takes a new one), so a reader never sees half of two states.
 */
#include "arch/x86_64/uaccess.h"
#include "fs/internal.h"
#include "kernel/platform.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/devmem.h"
#include "mm/page_alloc.h"
#include "task/ramfs.h"

#define SNAPSHOT_ORDER 2 /* 16 KiB: the most a show prints (as `cat`) */
#define STORE_MAX 4096	 /* bytes one write(2) may store, as `> PATH` */
#define CONSOLE_CHUNK 256

/* Copy what is left of @data past *@pos to the user, up to @count. */
static long read_bytes(const void *data, size_t size, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	size_t n = *pos < size ? MIN(count, size - *pos) : 0;

	if (n && copy_to_user(ubuf, (const uint8_t *)data + *pos, n))
		return -EFAULT;
	*pos += n;
	return (long)n;
}

/* ---- the console ---- */

static long console_read(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	return 0; /* no console input for programs yet: end of file */
}

static long console_fop_write(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
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

static unsigned int console_poll(struct file *f, struct poll_table *pt)
{
	return POLLIN | POLLOUT; /* reads give end of file at once; writes never wait */
}

const struct file_operations console_fops = {
    .read = console_read, .write = console_fop_write, .poll = console_poll, .stream = true};

/* ---- ramfs files ---- */

static long ramfs_read(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	const struct ramfs_file *rf = f->f_inode->i_private;

	return read_bytes(rf->data, rf->size, ubuf, count, pos);
}

static int ramfs_open(struct inode *inode, int acc)
{
	return acc == O_RDONLY ? 0 : -EROFS;
}

static const struct file_operations ramfs_fops = {.open = ramfs_open, .read = ramfs_read};

/* ---- pseudo-files ---- */

/* Run the show into a fresh buffer, the snapshot later reads walk. */
static int take_snapshot(struct file *f)
{
	struct page *page = alloc_pages(GFP_KERNEL, SNAPSHOT_ORDER);
	struct seq_buf s;
	int err;

	if (!page)
		return -ENOMEM;
	seq_buf_init(&s, page_address(page), PAGE_SIZE << SNAPSHOT_ORDER);
	err = pseudofs_read(&f->f_inode->i_pseudo, &s);
	if (err) {
		__free_pages(page, SNAPSHOT_ORDER);
		return err;
	}
	f->snap = page;
	f->snap_len = s.len;
	return 0;
}

/*
 * A pseudo-file read at offsets (pagemap) has no snapshot: each read asks
 * the file for the bytes at *@pos, a chunk at a time, so a reader seeking
 * far into it costs only what it reads.
 */
static long read_at_user(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	char chunk[CONSOLE_CHUNK];
	size_t done = 0;

	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk));
		long got = pseudofs_read_at(&f->f_inode->i_pseudo, chunk, n, *pos);

		if (got > 0 && copy_to_user(ubuf + done, chunk, (size_t)got))
			got = -EFAULT;
		if (got <= 0)
			return done ? (long)done : got;
		*pos += (size_t)got;
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	return (long)done;
}

/* The caller holds f_pos_lock: readers of one fd take turns. */
static long pseudo_read(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	int err;

	if (f->f_inode->i_pseudo.f->read_at)
		return read_at_user(f, ubuf, count, pos);
	if (!f->snap) {
		err = take_snapshot(f);
		if (err)
			return err;
	}
	return read_bytes(page_address(f->snap), f->snap_len, ubuf, count, pos);
}

/* One write(2), one store: the bytes NUL-terminated, as the console's echo stores. */
static long pseudo_write(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	struct page *page;
	char *buf;
	long ret;

	if (count == 0)
		return 0;
	if (count > STORE_MAX)
		return -EINVAL;
	page = alloc_pages(GFP_KERNEL, 1);
	if (!page)
		return -ENOMEM;
	buf = page_address(page);
	ret = copy_from_user(buf, ubuf, count) ? -EFAULT : 0;
	if (!ret) {
		buf[count] = '\0';
		ret = pseudofs_write(&f->f_inode->i_pseudo, buf, count);
	}
	__free_pages(page, 1);
	return ret ? ret : (long)count;
}

static void pseudo_release(struct file *f)
{
	if (f->snap)
		__free_pages(f->snap, SNAPSHOT_ORDER);
}

/* lseek to 0 starts over: the next read takes a new snapshot (seq_file's behaviour). */
void pseudo_rewind(struct file *f)
{
	if (f->f_op->release == pseudo_release && f->snap) {
		__free_pages(f->snap, SNAPSHOT_ORDER);
		f->snap = NULL;
	}
}

static int pseudo_open(struct inode *inode, int acc)
{
	const struct pseudo_ref *r = &inode->i_pseudo;

	if ((acc != O_WRONLY && !pseudofs_readable(r)) ||
	    (acc != O_RDONLY && !pseudofs_writable(r)))
		return -EACCES;
	return 0;
}

static const struct file_operations pseudo_fops = {
    .open = pseudo_open, .read = pseudo_read, .write = pseudo_write, .release = pseudo_release};

/* ---- pseudo directories: /, /proc, /bin, /dev ... ---- */

struct list_ctx {
	struct dir_context *ctx;
	uint64_t index; /* entries seen so far */
	bool full;
};

static void list_one(const char *name, size_t len, bool is_dir, void *arg)
{
	struct list_ctx *l = arg;

	if (l->full || l->index++ < l->ctx->pos)
		return;
	if (!l->ctx->emit(l->ctx, name, len, 0, is_dir ? DT_DIR : DT_REG))
		l->full = true;
	else
		l->ctx->pos++;
}

static int pseudo_iterate(struct file *f, struct dir_context *ctx)
{
	struct list_ctx l = {ctx, 0, false};
	int err;

	err = pseudofs_list(f->f_inode->i_name, list_one, &l);
	if (err && err != -ENOENT)
		return err;
	if (!l.full)
		tmpfs_emit_mounts(f->f_inode->i_name, ctx, &l.index);
	return 0;
}

static const struct file_operations pseudo_dir_fops = {.iterate = pseudo_iterate};

/* ---- /dev/daxR.N ---- */

static void dax_release(struct file *f)
{
	devdax_pin_release(f); /* pins this file left behind */
	devdax_put(f->f_inode->i_private);
}

const struct file_operations dax_fops = {.release = dax_release};

/* ---- look-up ---- */

static int make_inode(uint32_t mode, const struct file_operations *fop, void *priv,
		      const char *path, uint64_t size, struct inode **out)
{
	struct inode *inode = new_inode(mode, fop, NULL);

	if (!inode)
		return -ENOMEM;
	inode->i_private = priv;
	inode->i_size = size;
	snprintf(inode->i_name, sizeof(inode->i_name), "%s", path);
	*out = inode;
	return 0;
}

int pseudo_lookup(const char *path, struct inode **out)
{
	const struct ramfs_file *rf;
	struct pseudo_ref ref;
	struct dev_dax *dax;
	uint32_t mode;
	int err;

	if (!strncmp(path, "/dev/dax", 8) && (dax = devdax_get(path + 5))) {
		err = make_inode(S_IFCHR | 0600, &dax_fops, dax, path, 0, out);
		if (err)
			devdax_put(dax);
		return err;
	}
	rf = ramfs_lookup(path);
	if (rf)
		return make_inode(S_IFREG | (rf->mode & 07777), &ramfs_fops, (void *)rf, path,
				  rf->size, out);
	if (pseudofs_lookup(path, &ref)) {
		mode = S_IFREG | (pseudofs_readable(&ref) ? 0444 : 0) |
		       (pseudofs_writable(&ref) ? 0200 : 0);
		err = make_inode(mode, &pseudo_fops, NULL, path, 0, out);
		if (!err)
			(*out)->i_pseudo = ref;
		return err;
	}
	if (pseudofs_is_dir(path) || !strcmp(path, "/dev"))
		return make_inode(S_IFDIR | 0555, &pseudo_dir_fops, NULL, path, 0, out);
	return -ENOENT;
}

bool is_dax_file(const struct file *f)
{
	return f->f_op == &dax_fops;
}
