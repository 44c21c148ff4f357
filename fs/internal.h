/*
 * fs/'s private objects: the inode every open file points at (a tmpfs
 * file or directory, a pipe, or one made per open for a ramfs file, a
 * pseudo-file, a pseudo directory or a device), the open file, and the
 * operations table each kind fills. Linux's names where they mean what
 * Linux's mean; a tmpfs inode is also its own dentry (no hard links).
 */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/asm/stat.h"
#include "uapi/dirent.h"
#include "uapi/fcntl.h"
#include "uapi/poll.h"
#include "uapi/stat.h"
#include "fs/page_cache.h"
#include "kernel/mutex.h"
#include "kernel/pseudofs.h"
#include "kernel/spinlock.h"
#include "mm/list.h"

#define NAME_MAX 255
#define PATH_MAX 256 /* flushlab's: PSEUDOFS_PATH_MAX, with the NUL */

struct file;
struct inode;
struct poll_table;
struct dir_context;
struct task_struct;

struct file_operations {
	/* May @inode be opened for @acc (O_RDONLY...)? NULL: yes, unless a directory. */
	int (*open)(struct inode *inode, int acc);
	/* Move *@pos on; NULL: -EINVAL. A stream (pipe) ignores @pos. */
	long (*read)(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos);
	long (*write)(struct file *f, uintptr_t ubuf, size_t count, uint64_t *pos);
	/* Emit entries from ctx->pos on (getdents64); NULL: -ENOTDIR. */
	int (*iterate)(struct file *f, struct dir_context *ctx);
	/* The events ready now; with @pt, also join the queues that will wake it. */
	unsigned int (*poll)(struct file *f, struct poll_table *pt);
	/* The last reference to the open file went (before its inode's). */
	void (*release)(struct file *f);
	bool stream; /* no file position: lseek is -ESPIPE, pread -ESPIPE */
};

struct inode_operations {
	/* The last reference went: free what the inode holds, and it. */
	void (*evict)(struct inode *inode);
};

struct tmpfs_sb;
struct shmem_rmap;

struct inode {
	uint32_t i_mode; /* S_IFREG | 0644 ... */
	uint64_t i_ino;
	int i_count;	  /* references: open files, a tmpfs name, lookups (inode_lock) */
	uint32_t i_nlink; /* names: 0 once unlinked (a tmpfs file then lives while open) */
	uint64_t i_size;
	const struct file_operations *i_fop;
	const struct inode_operations *i_op;
	void *i_private;	    /* the ramfs_file, dev_dax or pipe */
	struct pseudo_ref i_pseudo; /* a pseudo-file: the file and its instance's data */
	/* tmpfs (fs/tmpfs.c): the name in its parent, data in i_mapping */
	struct tmpfs_sb *i_sb;
	struct mutex i_rwsem; /* i_size and i_mapping (a writer, truncate, a reader) */
	struct address_space i_mapping;
	struct inode *i_parent;
	struct list_head i_children, i_sibling;
	bool i_hugetlb; /* MFD_HUGETLB: not implemented, never set (see memfd_create) */
	/* the reverse map: one entry per mm that maps it (fs/shmem_mmap.c) */
	struct spinlock i_mmap_lock;
	struct shmem_rmap *i_rmap; /* made at the first mmap, freed with the inode */
	/* a ramfs file, tmpfs name, or a pseudo directory's absolute path */
	char i_name[PATH_MAX];
};

struct file {
	bool used; /* the slot is taken (file_lock); cleared only after release */
	int count; /* references: each fd naming it and one per syscall using it */
	int f_flags;
	struct inode *f_inode;
	const struct file_operations *f_op;
	struct mutex f_pos_lock; /* read/write/lseek of a seekable file: one at a time */
	uint64_t f_pos;
	struct page *snap; /* a pseudo-file: the show's output, taken at the first read */
	size_t snap_len;
	char f_path[PATH_MAX]; /* absolute, as opened: the base of a dirfd look-up */
};

/* getdents64's cursor: emit returns false once the user buffer is full. */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len, uint64_t ino,
		     unsigned int type);
	uint64_t pos; /* entries already returned */
};

/* ---- poll (fs/select.c) ---- */
struct wait_queue_head;
/* A file's poll operation names each queue that a change of its readiness is woken on. */
void poll_wait(struct file *f, struct wait_queue_head *wq, struct poll_table *pt);

/* ---- inodes (fs/inode.c) ---- */
struct inode *new_inode(uint32_t mode, const struct file_operations *fop,
			const struct inode_operations *iop);
void ihold(struct inode *inode);
void iput(struct inode *inode);
void free_inode(struct inode *inode); /* an evict's last step */
void generic_fillattr(struct inode *inode, struct stat *st);

/* ---- open files (fs/file.c) ---- */
struct file *fget(struct task_struct *t, int fd);
void fput(struct file *f);
/* A new open file on @inode (its reference passes to the file), or NULL. */
struct file *alloc_file(struct inode *inode, int flags, const char *path);
/* A new open file on @inode (its reference passes on) at the caller's lowest free fd. */
long install_file(struct inode *inode, int flags, const char *path, bool cloexec);
/* Put @f at the lowest free fd >= @from: the fd, or -EMFILE. */
int fd_install_from(struct task_struct *t, struct file *f, int from, bool cloexec);
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/* ---- path look-up (fs/namei.c) ---- */
#define LOOKUP_FOLLOW 0x1    /* follow a last-component symlink (/proc/self/exe) */
#define LOOKUP_DIRECTORY 0x2 /* the path ended in '/': must be a directory */
/*
 * @dfd and @upath (user memory) to an absolute, normalised path in @out:
 * ".", ".." and "//" resolved lexically, /proc/self replaced by the pid.
 * 0 or -EFAULT, -ENOENT (empty), -ENAMETOOLONG, -EBADF, -ENOTDIR.
 */
int user_path_at(int dfd, uintptr_t upath, char *out, size_t size, bool *trailing_slash);
/* The inode at @path (a reference), or -ENOENT/-ENOTDIR. */
int path_lookup(const char *path, struct inode **out);
/* /proc/PID/exe of the caller: the program's path it links to; else NULL. */
const char *proc_exe_target(const char *path);
/* The tmpfs @path lies on, with its path inside it in *@rest; else NULL. */
struct tmpfs_sb *tmpfs_mount_of(const char *path, const char **rest);

/* ---- the legacy namespace: ramfs, pseudo-files, devices (fs/pseudo.c) ---- */
int pseudo_lookup(const char *path, struct inode **out);
extern const struct file_operations console_fops;
bool is_dax_file(const struct file *f);
void pseudo_rewind(struct file *f); /* lseek to 0: the next read takes a new snapshot */

/* ---- tmpfs (fs/tmpfs.c) ---- */
int tmpfs_lookup(struct tmpfs_sb *sb, const char *rest, struct inode **out);
int tmpfs_create(struct tmpfs_sb *sb, const char *rest, uint32_t mode, bool excl,
		 struct inode **out);
int tmpfs_unlink(struct tmpfs_sb *sb, const char *rest, bool dir);
int tmpfs_truncate(struct inode *inode, uint64_t size);
int tmpfs_fallocate(struct inode *inode, int mode, uint64_t off, uint64_t len);
struct inode *tmpfs_new_unlinked(uint32_t mode); /* memfd: a file with no name */
bool is_tmpfs_inode(const struct inode *inode);
/* ---- mappings of tmpfs files (fs/shmem_mmap.c) ---- */
struct mm_struct;
long shmem_mmap(struct mm_struct *mm, struct inode *inode, bool writable, uintptr_t addr,
		size_t len, int prot, int flags, uint64_t off, uintptr_t *out);
/* Free the inode's reverse map (evict: nothing maps it any more). */
void shmem_rmap_free(struct inode *inode);
/* Unmap pages [first, last) of @inode from every mm (one flush each): the flushes made. */
unsigned long unmap_mapping_pages(struct inode *inode, unsigned long first, unsigned long last);

/* Names of the mount points, for the listing of their parent directories. */
void tmpfs_emit_mounts(const char *dir, struct dir_context *ctx, uint64_t *index);

#endif
