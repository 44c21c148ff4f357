/*
 * ramfs: a fixed table of read-only files and a pool for their names, filled
 * once at boot by the initramfs unpacker. Lookups are linear: tens of files,
 * looked up once per exec.
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "task/ramfs.h"

#define RAMFS_NAMES_SIZE (RAMFS_MAX_FILES * 32)

static struct ramfs_file ramfs_files[RAMFS_MAX_FILES];
static size_t nr_ramfs_files;
static char ramfs_names[RAMFS_NAMES_SIZE];
static size_t ramfs_names_used;

/* Absolute, no empty, "." or ".." component, no trailing '/'. */
static bool ramfs_path_ok(const char *path)
{
	const char *c = path;
	size_t n;

	if (!path || path[0] != '/' || strnlen(path, RAMFS_PATH_MAX) >= RAMFS_PATH_MAX)
		return false;
	while (*c == '/') {
		const char *end = strchr(c + 1, '/');

		n = end ? (size_t)(end - c - 1) : strlen(c + 1);
		if (n == 0 || (n == 1 && c[1] == '.') || (n == 2 && c[1] == '.' && c[2] == '.'))
			return false;
		c += n + 1;
	}
	return true;
}

static struct ramfs_file *ramfs_find(const char *path)
{
	for (size_t i = 0; path && i < nr_ramfs_files; i++)
		if (strcmp(ramfs_files[i].path, path) == 0)
			return &ramfs_files[i];
	return NULL;
}

const struct ramfs_file *ramfs_lookup(const char *path)
{
	return ramfs_find(path);
}

const struct ramfs_file *ramfs_next(const struct ramfs_file *prev)
{
	size_t i = prev ? (size_t)(prev - ramfs_files) + 1 : 0;

	return i < nr_ramfs_files ? &ramfs_files[i] : NULL;
}

int ramfs_add(const char *path, const void *data, size_t size, unsigned int mode)
{
	struct ramfs_file *f;
	size_t len;

	if (!ramfs_path_ok(path))
		return -EINVAL;
	f = ramfs_find(path);
	if (!f) {
		len = strlen(path) + 1;
		if (nr_ramfs_files == RAMFS_MAX_FILES ||
		    len > RAMFS_NAMES_SIZE - ramfs_names_used)
			return -ENOSPC;
		f = &ramfs_files[nr_ramfs_files++];
		f->path = memcpy(ramfs_names + ramfs_names_used, path, len);
		ramfs_names_used += len;
	}
	f->data = data;
	f->size = size;
	f->mode = mode;
	return 0;
}

void ramfs_reset(void)
{
	nr_ramfs_files = 0;
	ramfs_names_used = 0;
}
