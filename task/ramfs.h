/*
 * The read-only in-memory filesystem that holds the initramfs: /bin/hello and
 * friends. Files point into the initrd bytes the loader left (kept reserved
 * for good), so nothing is copied. exec reads programs with ramfs_lookup();
 * the console lists and prints them as pseudo-files (task/ramfs_pseudofs.c).
 */
#ifndef TASK_RAMFS_H
#define TASK_RAMFS_H

#include <stddef.h>

#define RAMFS_MAX_FILES 128
#define RAMFS_PATH_MAX 256   /* with the NUL, like PSEUDOFS_PATH_MAX */
#define RAMFS_MODE_EXEC 0111 /* any x bit in mode: a program */

struct ramfs_file {
	const char *path; /* absolute, normalised: "/bin/hello" */
	const void *data;
	size_t size;
	unsigned int mode; /* the cpio mode: S_IFREG | permission bits */
};

struct boot_info;

/* The file at @path (normalised, absolute), or NULL if absent. */
const struct ramfs_file *ramfs_lookup(const char *path);

/* Listing: ramfs_next(NULL) is the first file, NULL after the last. */
const struct ramfs_file *ramfs_next(const struct ramfs_file *prev);
#define for_each_ramfs_file(f) for ((f) = ramfs_next(NULL); (f); (f) = ramfs_next(f))

/*
 * Add a file; @path is absolute and normalised, @data stays valid for good.
 * A path already present is replaced (a later archive overrides an earlier
 * one, as in Linux). 0, -EINVAL (bad path), -ENOSPC (table or names full).
 */
int ramfs_add(const char *path, const void *data, size_t size, unsigned int mode);

/* Empty the table (host tests; the kernel never removes files). */
void ramfs_reset(void);

/*
 * Unpack one or more concatenated cpio newc archives (NUL padding between
 * them allowed) into the ramfs. Every header field and size is checked
 * against @len; on the first bad byte it stops, writes why and where into
 * @err and returns -EINVAL (files before that stay). Returns the number of
 * files added otherwise.
 */
int initramfs_unpack(const void *buf, size_t len, char *err, size_t errlen);

/* Boot: unpack boot_info's initrd, print one line saying what came of it. */
void initramfs_init(const struct boot_info *bi);

#endif
