/*
 * Pseudo-files: /proc and /sys style knobs that subsystems register by
 * absolute path, read with `cat` (a show callback printing into a seq_buf)
 * and written with `echo V > PATH` (a store callback). Directories are not
 * objects: they are implied by the registered paths, as `ls` shows them.
 */
#ifndef KERNEL_PSEUDOFS_H
#define KERNEL_PSEUDOFS_H

#include "lib/kernel.h"

#define PSEUDOFS_PATH_MAX 256

/* A fixed buffer that show callbacks print into; never overruns @size. */
struct seq_buf {
	char *buf;
	size_t size, len; /* buf[len] is always '\0' when size > 0 */
	bool overflow;    /* something did not fit */
};

void seq_buf_init(struct seq_buf *s, char *buf, size_t size);
void seq_printf(struct seq_buf *s, const char *fmt, ...) __printf(2, 3);
void seq_puts(struct seq_buf *s, const char *str);
void seq_write(struct seq_buf *s, const void *data, size_t n);

struct pseudo_file {
	const char *path; /* absolute, normalised: "/proc/meminfo" */
	int (*show)(struct seq_buf *s, void *data); /* NULL: write-only */
	/* @buf holds @len bytes, NUL-terminated, usually with a trailing '\n'. */
	int (*store)(const char *buf, size_t len, void *data); /* NULL: read-only */
	/*
	 * Optional, for output too long for one seq_buf (the trace): cat calls
	 * it instead of show, and it prints piece by piece through @out.
	 */
	int (*stream)(void (*out)(const char *s, size_t n), void *data);
	void *data;
	struct pseudo_file *next; /* registry link, owned by pseudofs */
};

/*
 * Add @f (caller keeps it alive until unregistered). -EINVAL for a path that
 * is not absolute and normalised, -EEXIST if the path, or a file where the
 * path needs a directory (or the reverse), is already registered.
 */
int pseudofs_register(struct pseudo_file *f);
void pseudofs_unregister(struct pseudo_file *f);

/*
 * Turn a user path into the canonical form: duplicate and trailing '/'
 * removed. -ENOENT for a relative path, -ENAMETOOLONG if it does not fit.
 */
int pseudofs_normalize(const char *path, char *out, size_t size);

/* Lookup by user path (normalised here); NULL if no such file. */
struct pseudo_file *pseudofs_lookup(const char *path);

/* True if some registered file lies under @path ("/" always is one). */
bool pseudofs_is_dir(const char *path);

/*
 * Call @emit for each entry directly under directory @path, sorted by name,
 * once per name; @is_dir for implied directories. 0, -ENOENT or -ENOTDIR.
 */
int pseudofs_list(const char *path,
		  void (*emit)(const char *name, size_t len, bool is_dir, void *ctx),
		  void *ctx);

/* Run @f's show into @s: 0, the show's -errno, or -EACCES if write-only. */
int pseudofs_read(struct pseudo_file *f, struct seq_buf *s);

/* Run @f's store on @len bytes of @buf: 0, the store's -errno, -EACCES if read-only. */
int pseudofs_write(struct pseudo_file *f, const char *buf, size_t len);

#endif
