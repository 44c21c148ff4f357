/*
 * Inodes: what every open file points at. A tmpfs inode lives while its
 * name, an open file or a lookup holds it; the others (a ramfs file, a
 * pseudo-file, a pseudo directory, a device, a pipe) are made for one
 * open and go with it. i_count is under inode_lock; the kind's evict
 * frees what the inode holds when the last reference goes.
 */
#include "fs/internal.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/slab.h"

static struct kmem_cache inode_cache = KMEM_CACHE_INIT(inode_cache, "inode", sizeof(struct inode));
static struct spinlock inode_lock;
static uint64_t last_ino = 1; /* the root's */

struct inode *new_inode(uint32_t mode, const struct file_operations *fop,
			const struct inode_operations *iop)
{
	struct inode *inode = kmem_cache_zalloc(&inode_cache);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	inode->i_ino = __atomic_add_fetch(&last_ino, 1, __ATOMIC_RELAXED);
	inode->i_count = 1;
	inode->i_nlink = 1;
	inode->i_fop = fop;
	inode->i_op = iop;
	INIT_LIST_HEAD(&inode->i_children);
	INIT_LIST_HEAD(&inode->i_sibling);
	return inode;
}

void ihold(struct inode *inode)
{
	spin_lock(&inode_lock);
	inode->i_count++;
	spin_unlock(&inode_lock);
}

void iput(struct inode *inode)
{
	bool last;

	if (!inode)
		return;
	spin_lock(&inode_lock);
	BUG_ON(inode->i_count <= 0);
	last = --inode->i_count == 0;
	spin_unlock(&inode_lock);
	if (!last)
		return;
	if (inode->i_op && inode->i_op->evict)
		inode->i_op->evict(inode);
	else
		free_inode(inode);
}

void free_inode(struct inode *inode)
{
	kmem_cache_free(&inode_cache, inode);
}

/* Linux's generic_fillattr: what stat(2) reports of @inode. */
void generic_fillattr(struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = is_tmpfs_inode(inode) ? 0x1a : 0x2; /* tmpfs, or the rest */
	st->st_ino = inode->i_ino;
	st->st_nlink = S_ISDIR(inode->i_mode) ? 2 : inode->i_nlink;
	st->st_mode = inode->i_mode;
	st->st_size = (int64_t)inode->i_size;
	st->st_blksize = 4096;
	st->st_blocks = (int64_t)inode->i_mapping.nrpages * 8;
}
