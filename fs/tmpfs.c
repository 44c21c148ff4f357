/*
 * tmpfs (Linux's mm/shmem.c, simplified): a tree of directories and
 * regular files per instance, data in each file's page cache. A name
 * holds one reference to its inode and an open file another, so an
 * unlinked file lives, data and all, until its last close (Linux's
 * i_nlink 0 with i_count > 0). The tree is under the instance's lock; a
 * file's size and pages under its i_rwsem, never the other way round.
 * Not implemented: hard links, renames, symlinks, times, owners.
 */
#include "arch/x86_64/uaccess.h"
#include "fs/internal.h"
#include "fs/tmpfs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"

#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1))
#define TMPFS_MAX_BYTES ((uint64_t)PAGE_CACHE_MAX_PAGES * PAGE_SIZE)

struct tmpfs_sb {
	struct mutex lock; /* the tree: names, children lists */
	struct inode *root;
};

static struct kmem_cache sb_cache = KMEM_CACHE_INIT(sb_cache, "tmpfs_sb", sizeof(struct tmpfs_sb));
static const uint8_t zero_page_buf[PAGE_SIZE];
static const struct file_operations tmpfs_file_fops, tmpfs_dir_fops;
static const struct inode_operations tmpfs_iops;

bool is_tmpfs_inode(const struct inode *inode)
{
	return inode && inode->i_op == &tmpfs_iops;
}

/* The last reference: no file, name or mapping is left, so nothing maps a page. */
static void tmpfs_evict(struct inode *inode)
{
	spin_lock(&inode->i_mapping.tree_lock);
	truncate_inode_pages_range(&inode->i_mapping, 0, PAGE_CACHE_MAX_PAGES);
	spin_unlock(&inode->i_mapping.tree_lock);
	shmem_rmap_free(inode);
	free_inode(inode);
}

static const struct inode_operations tmpfs_iops = {.evict = tmpfs_evict};

static struct inode *tmpfs_new_inode(struct tmpfs_sb *sb, uint32_t mode)
{
	struct inode *inode =
	    new_inode(mode, S_ISDIR(mode) ? &tmpfs_dir_fops : &tmpfs_file_fops, &tmpfs_iops);

	if (inode)
		inode->i_sb = sb;
	return inode;
}

struct tmpfs_sb *tmpfs_new_sb(const char *mount_point)
{
	struct tmpfs_sb *sb = kmem_cache_zalloc(&sb_cache);

	if (!sb)
		return NULL;
	sb->root = tmpfs_new_inode(sb, S_IFDIR | 01777);
	if (!sb->root) {
		kmem_cache_free(&sb_cache, sb);
		return NULL;
	}
	snprintf(sb->root->i_name, sizeof(sb->root->i_name), "%s", mount_point);
	return sb;
}

struct inode *tmpfs_new_unlinked(uint32_t mode)
{
	struct inode *inode = tmpfs_new_inode(NULL, S_IFREG | (mode & 07777));

	if (inode)
		inode->i_nlink = 0;
	return inode;
}

/* The child @name (@n bytes) of directory @dir, or NULL. Under sb->lock. */
static struct inode *find_child(struct inode *dir, const char *name, size_t n)
{
	struct inode *c;

	list_for_each_entry (c, &dir->i_children, i_sibling) {
		if (strlen(c->i_name) == n && !memcmp(c->i_name, name, n))
			return c;
	}
	return NULL;
}

/*
 * Walk @rest ("", or "/a/b") from the root, under sb->lock. With @last,
 * stop at the parent: *@last and *@last_len name the final component.
 */
static int walk(struct tmpfs_sb *sb, const char *rest, struct inode **out, const char **last,
		size_t *last_len)
{
	struct inode *cur = sb->root;

	while (*rest == '/') {
		const char *name = rest + 1, *end = strchr(name, '/');
		size_t n = end ? (size_t)(end - name) : strlen(name);

		if (!S_ISDIR(cur->i_mode))
			return -ENOTDIR;
		if (last && !end) {
			*last = name;
			*last_len = n;
			break;
		}
		cur = find_child(cur, name, n);
		if (!cur)
			return -ENOENT;
		rest = name + n;
	}
	if (last && !*last)
		return -EEXIST; /* the root itself: exists, cannot be made or removed */
	*out = cur;
	return 0;
}

int tmpfs_lookup(struct tmpfs_sb *sb, const char *rest, struct inode **out)
{
	int err;

	mutex_lock(&sb->lock);
	err = walk(sb, rest, out, NULL, NULL);
	if (!err)
		ihold(*out);
	mutex_unlock(&sb->lock);
	return err;
}

int tmpfs_create(struct tmpfs_sb *sb, const char *rest, uint32_t mode, bool excl,
		 struct inode **out)
{
	struct inode *dir, *inode;
	const char *name = NULL;
	size_t n;
	int err;

	mutex_lock(&sb->lock);
	err = walk(sb, rest, &dir, &name, &n);
	if (err == -EEXIST && !excl) {
		inode = sb->root;
		err = 0;
		goto found;
	}
	if (err)
		goto out;
	if (!S_ISDIR(dir->i_mode)) {
		err = -ENOTDIR;
		goto out;
	}
	inode = find_child(dir, name, n);
	if (inode) {
		err = excl ? -EEXIST : 0;
		goto found;
	}
	if (n > NAME_MAX) {
		err = -ENAMETOOLONG;
		goto out;
	}
	inode = tmpfs_new_inode(sb, mode);
	if (!inode) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(inode->i_name, name, n);
	inode->i_parent = dir;
	list_add_tail(&inode->i_sibling, &dir->i_children); /* the name's reference */
found:
	if (!err) {
		ihold(inode);
		*out = inode;
	}
out:
	mutex_unlock(&sb->lock);
	return err;
}

int tmpfs_unlink(struct tmpfs_sb *sb, const char *rest, bool is_dir)
{
	struct inode *dir, *inode = NULL;
	const char *name = NULL;
	size_t n;
	int err;

	mutex_lock(&sb->lock);
	err = walk(sb, rest, &dir, &name, &n);
	if (err == -EEXIST)
		err = -EBUSY; /* the mount point */
	if (!err && !(inode = find_child(dir, name, n)))
		err = -ENOENT;
	if (!err && S_ISDIR(inode->i_mode) != is_dir)
		err = is_dir ? -ENOTDIR : -EISDIR;
	if (!err && is_dir && !list_empty(&inode->i_children))
		err = -ENOTEMPTY;
	if (!err) {
		list_del(&inode->i_sibling);
		INIT_LIST_HEAD(&inode->i_sibling);
		inode->i_parent = NULL;
		inode->i_nlink = 0;
	}
	mutex_unlock(&sb->lock);
	if (!err)
		iput(inode); /* the name's reference: an open file keeps it */
	return err;
}

/* ---- data ---- */

/*
 * The page at @index with a reference, made if @create (NULL for a hole,
 * or when memory is short). The index lock is held only for the look-up:
 * the copy to or from the user runs without it (it may fault, and a fault
 * on a mapping of this file takes the same lock).
 */
static struct page *get_file_page(struct inode *inode, unsigned long index, bool create)
{
	struct address_space *m = &inode->i_mapping;
	struct page *page;

	spin_lock(&m->tree_lock);
	page = create ? find_or_create_page(m, index) : find_get_page(m, index);
	if (page)
		get_page(page);
	spin_unlock(&m->tree_lock);
	return page;
}

static void set_size(struct inode *inode, uint64_t size)
{
	spin_lock(&inode->i_mapping.tree_lock); /* faults read it under this lock */
	inode->i_size = size;
	spin_unlock(&inode->i_mapping.tree_lock);
}

static long tmpfs_read(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	struct inode *inode = f->f_inode;
	size_t done = 0;
	long ret = 0;

	mutex_lock(&inode->i_rwsem);
	while (done < count && *pos < inode->i_size) {
		size_t off = *pos & (PAGE_SIZE - 1);
		size_t n = MIN(MIN(count - done, PAGE_SIZE - off), inode->i_size - *pos);
		struct page *page = get_file_page(inode, *pos >> PAGE_SHIFT, false);
		const uint8_t *src =
		    page ? (const uint8_t *)page_address(page) + off : zero_page_buf;
		bool fault = copy_to_user(ubuf + done, src, n);

		if (page)
			put_page(page);
		if (fault) {
			ret = -EFAULT;
			break;
		}
		done += n;
		*pos += n;
	}
	mutex_unlock(&inode->i_rwsem);
	return done ? (long)done : ret;
}

static long tmpfs_write(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos)
{
	struct inode *inode = f->f_inode;
	size_t done = 0;
	long ret = 0;

	mutex_lock(&inode->i_rwsem);
	if (f->f_flags & O_APPEND)
		*pos = inode->i_size;
	if (*pos >= TMPFS_MAX_BYTES) {
		ret = -EFBIG;
		count = 0;
	}
	count = MIN(count, TMPFS_MAX_BYTES - MIN(*pos, TMPFS_MAX_BYTES));
	while (done < count) {
		size_t off = *pos & (PAGE_SIZE - 1), n = MIN(count - done, PAGE_SIZE - off);
		struct page *page = get_file_page(inode, *pos >> PAGE_SHIFT, true);
		bool fault;

		if (!page) {
			ret = -ENOMEM;
			break;
		}
		fault = copy_from_user((uint8_t *)page_address(page) + off, ubuf + done, n);
		put_page(page);
		if (fault) {
			ret = -EFAULT;
			break;
		}
		done += n;
		*pos += n;
		if (*pos > inode->i_size)
			set_size(inode, *pos);
	}
	mutex_unlock(&inode->i_rwsem);
	return done ? (long)done : ret;
}

/* Zero [@from, @to) of the page at @index, if it is there (within one page). */
static void zero_partial(struct inode *inode, unsigned long index, size_t from, size_t to)
{
	struct page *page = from < to ? get_file_page(inode, index, false) : NULL;

	if (page) {
		memset((uint8_t *)page_address(page) + from, 0, to - from);
		put_page(page);
	}
}

/*
 * Free the whole pages of [@start, @end) bytes and zero the partial ones
 * at the edges (i_rwsem held). The whole pages are first fenced off from
 * faults, then unmapped from every process (one flush per mm that mapped
 * one: unmap_mapping_pages), and only then taken out of the cache and
 * put, so none is freed while a CPU may still translate to it.
 */
static void punch(struct inode *inode, uint64_t start, uint64_t end)
{
	struct address_space *m = &inode->i_mapping;
	unsigned long first = (start + PAGE_SIZE - 1) >> PAGE_SHIFT, last = end >> PAGE_SHIFT;

	if (start >= end)
		return;
	if ((start >> PAGE_SHIFT) == (end >> PAGE_SHIFT)) {
		zero_partial(inode, start >> PAGE_SHIFT, start & (PAGE_SIZE - 1),
			     end & (PAGE_SIZE - 1));
		return;
	}
	zero_partial(inode, start >> PAGE_SHIFT, start & (PAGE_SIZE - 1),
		     (start & (PAGE_SIZE - 1)) ? PAGE_SIZE : 0);
	zero_partial(inode, last, 0, end & (PAGE_SIZE - 1));
	if (first >= last)
		return;
	spin_lock(&m->tree_lock);
	m->unmap_start = first;
	m->unmap_end = last;
	spin_unlock(&m->tree_lock);
	unmap_mapping_pages(inode, first, last);
	spin_lock(&m->tree_lock);
	truncate_inode_pages_range(m, first, last);
	m->unmap_start = m->unmap_end = 0;
	spin_unlock(&m->tree_lock);
}

/* Shrinking: the size first (faults past it are refused), then every page past it goes. */
int tmpfs_truncate(struct inode *inode, uint64_t size)
{
	if (size > TMPFS_MAX_BYTES)
		return -EFBIG;
	mutex_lock(&inode->i_rwsem);
	if (size < inode->i_size) {
		set_size(inode, size);
		punch(inode, size, TMPFS_MAX_BYTES);
	} else {
		set_size(inode, size);
	}
	mutex_unlock(&inode->i_rwsem);
	return 0;
}

int tmpfs_fallocate(struct inode *inode, int mode, uint64_t off, uint64_t len)
{
	int err = 0;

	if (off + len > TMPFS_MAX_BYTES || off + len < off)
		return -EFBIG;
	mutex_lock(&inode->i_rwsem);
	if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
		punch(inode, off, MIN(off + len, PAGE_ALIGN(inode->i_size)));
	} else {
		for (uint64_t a = off & ~(PAGE_SIZE - 1); a < off + len && !err; a += PAGE_SIZE) {
			struct page *page = get_file_page(inode, a >> PAGE_SHIFT, true);

			if (page)
				put_page(page);
			else
				err = -ENOSPC; /* pages made so far stay, as in shmem_fallocate */
		}
		if (!err && !(mode & FALLOC_FL_KEEP_SIZE) && off + len > inode->i_size)
			set_size(inode, off + len);
	}
	mutex_unlock(&inode->i_rwsem);
	return err;
}

static unsigned int tmpfs_poll(struct file *f, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM; /* a regular file never waits */
}

static const struct file_operations tmpfs_file_fops = {
    .read = tmpfs_read, .write = tmpfs_write, .poll = tmpfs_poll};

/* ---- directories ---- */

static int tmpfs_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->f_inode, *c;
	uint64_t index = 0;

	if (ctx->pos == 0 && !ctx->emit(ctx, ".", 1, dir->i_ino, DT_DIR))
		return 0;
	if (ctx->pos == 0)
		ctx->pos++;
	if (ctx->pos == 1 && !ctx->emit(ctx, "..", 2, dir->i_ino, DT_DIR))
		return 0;
	if (ctx->pos == 1)
		ctx->pos++;
	if (!dir->i_sb)
		return 0;
	mutex_lock(&dir->i_sb->lock);
	list_for_each_entry (c, &dir->i_children, i_sibling) {
		if (index++ < ctx->pos - 2)
			continue;
		if (!ctx->emit(ctx, c->i_name, strlen(c->i_name), c->i_ino,
			       S_ISDIR(c->i_mode) ? DT_DIR : DT_REG))
			break;
		ctx->pos++;
	}
	mutex_unlock(&dir->i_sb->lock);
	return 0;
}

static const struct file_operations tmpfs_dir_fops = {.iterate = tmpfs_iterate};
