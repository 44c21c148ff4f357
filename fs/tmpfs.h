/*
 * tmpfs: files in memory, with a page cache (fs/page_cache.h), mounted at
 * /tmp and /dev/shm by fs_init. fs/-internal: the rest of the file layer
 * reaches it through fs/internal.h's tmpfs_* calls.
 */
#ifndef FS_TMPFS_H
#define FS_TMPFS_H

struct tmpfs_sb;

/* A new, empty instance (its root directory), or NULL without memory. */
struct tmpfs_sb *tmpfs_new_sb(const char *mount_point);

#endif
