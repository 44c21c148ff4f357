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

/*
 * A buffer that show callbacks print into; never overruns @size. A show that
 * did not fit is run again into a bigger buffer (pseudofs_read_whole), as
 * Linux's seq_read does, so a callback just prints everything.
 */
struct seq_buf {
	char *buf;
	size_t size, len; /* buf[len] is always '\0' when size > 0 */
	bool overflow;	  /* something did not fit */
	bool allocated;	  /* buf came from seq_buf_alloc: seq_buf_release frees it */
};

/* The most one read may hold: past this a read fails with -EFBIG. */
#define SEQ_BUF_MAX (4UL << 20)

void seq_buf_init(struct seq_buf *s, char *buf, size_t size);
/* Free @s's buffer if pseudofs allocated it; @s is then empty. */
void seq_buf_release(struct seq_buf *s);

/*
 * Where bigger buffers come from: whole buddy blocks in the kernel
 * (mm/seq_buf_mem.c), malloc in host tests. @size is a power of two of
 * at least a page; NULL when memory is short.
 */
void *seq_buf_alloc(size_t size);
void seq_buf_free(void *buf, size_t size);
void seq_printf(struct seq_buf *s, const char *fmt, ...) __printf(2, 3);
void seq_puts(struct seq_buf *s, const char *str);
void seq_write(struct seq_buf *s, const void *data, size_t n);

struct pseudo_file {
	const char *path;			    /* absolute, normalised: "/proc/meminfo" */
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

/*
 * Resolve a user path as Linux's path walk would: 0 with *@f set for a file;
 * otherwise *@f is NULL and the result says why: -EISDIR (a directory),
 * -ENOENT, -ENOTDIR (a file named with a trailing '/', or used as a
 * directory: "/proc/meminfo/x"), -ENAMETOOLONG (PSEUDOFS_PATH_MAX).
 */
int pseudofs_resolve(const char *path, struct pseudo_file **f);

/* pseudofs_resolve's file, or NULL for every other outcome. */
struct pseudo_file *pseudofs_lookup(const char *path);

/* True if some registered file lies under @path ("/" always is one). */
bool pseudofs_is_dir(const char *path);

/*
 * Call @emit for each entry directly under directory @path, sorted by name,
 * once per name; @is_dir for implied directories. 0, -ENOENT or -ENOTDIR.
 */
int pseudofs_list(const char *path,
		  void (*emit)(const char *name, size_t len, bool is_dir, void *ctx), void *ctx);

/* Run @f's show into @s: 0, the show's -errno, or -EACCES if write-only. */
int pseudofs_read(struct pseudo_file *f, struct seq_buf *s);

/*
 * pseudofs_read, never truncated: while the show overflows, run it again in
 * a buffer twice the size (from seq_buf_alloc) up to SEQ_BUF_MAX; -ENOMEM or
 * -EFBIG if that fails. @s starts on the caller's buffer; whatever the
 * result, the caller ends with seq_buf_release(@s).
 */
int pseudofs_read_whole(struct pseudo_file *f, struct seq_buf *s);

/*
 * Run @f's store on @len bytes of @buf: 0, the store's -errno, -EACCES if
 * read-only. Stores are serialised: one runs at a time, system-wide
 * (kernel/mutex.h: a waiter yields its CPU). Process context only.
 */
int pseudofs_write(struct pseudo_file *f, const char *buf, size_t len);

#endif
