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
/* Linux's "%*pbl": the set bits of @bits[0..@nbits) as ranges, "0-3,8" (no newline). */
void seq_bitmap_list(struct seq_buf *s, const uint64_t *bits, int nbits);
/*
 * Linux's "%*pb": @nbits bits in hex, 32 a group, groups joined by ',',
 * the first as wide as its bits need ("f" for 4, "00000001,ffffffff" for 64).
 */
void seq_bitmap(struct seq_buf *s, const uint64_t *bits, int nbits);

/*
 * Names a directory's instances: the component "*" in a registered path
 * stands for any one of them: declared with "*" where Linux's path has
 * the PID, /proc/PID/maps is one file of each process (a user path's
 * literal "*" never matches). @parent is the instance of the
 * enclosing "*" (NULL at the first); both callbacks run at human speed,
 * from process context, and must not sleep for long.
 */
struct pseudo_dir_ops {
	/* The instance called @name (one component), or NULL if there is none. */
	void *(*lookup)(void *parent, const char *name);
	/* Call @emit with each instance's name, in the order `ls` should show them. */
	void (*iterate)(void *parent, void (*emit)(const char *name, void *ctx), void *ctx);
	/*
	 * Optional: if instance @inst, looked up as @name, is a symbolic link
	 * (/proc/self), write its target into @buf (NUL-terminated, at most
	 * @size bytes with the NUL) and return its length; -EINVAL if it is
	 * none, as readlink(2) says of a file that is no link.
	 */
	int (*readlink)(void *inst, const char *name, char *buf, size_t size);
};

struct pseudo_file {
	const char *path; /* absolute, normalised: "/proc/meminfo"; "*": an instance */
	int (*show)(struct seq_buf *s, void *data); /* NULL: write-only */
	/* @buf holds @len bytes, NUL-terminated, usually with a trailing '\n'. */
	int (*store)(const char *buf, size_t len, void *data); /* NULL: read-only */
	/*
	 * Optional, for output too long for one seq_buf (the trace): cat calls
	 * it instead of show, and it prints piece by piece through @out.
	 */
	int (*stream)(void (*out)(const char *s, size_t n), void *data);
	/*
	 * Optional, for a file read at an offset rather than whole (a binary
	 * table indexed by address, /proc/PID/pagemap): up to @count bytes
	 * from @pos into @buf (a kernel buffer); the bytes read, 0 past the
	 * end, or -errno. Such a file has no show.
	 */
	long (*read_at)(void *data, char *buf, size_t count, uint64_t pos);
	void *data; /* handed to the callbacks; an instance's file: the instance */
	const struct pseudo_dir_ops *dir; /* a path ending in "*": names its instances */
	unsigned short mode;	  /* 0444 read, 0200 write, 0644 both (every caller is root) */
	struct pseudo_file *next; /* registry link, owned by pseudofs */
};

/*
 * Declare a pseudo-file: it is registered at boot (pseudofs_init) from the
 * "pseudo_files" linker section, so a subsystem's file is one declaration
 * beside its show and store, and no init function lists it. @mode must
 * match the callbacks (readable iff show, stream or read_at; writable iff
 * store): a mismatch is reported at boot and the file left out.
 */
#define __PSEUDO_FILE(var, ...)                                                                    \
	static struct pseudo_file var                                                              \
	    __attribute__((used, section("pseudo_files"), aligned(8))) = {__VA_ARGS__}
#define DEFINE_PSEUDO_FILE(var, fpath, fshow, fstore, fmode)                                       \
	__PSEUDO_FILE(var, .path = (fpath), .show = (fshow), .store = (fstore), .mode = (fmode))
#define DEFINE_PSEUDO_FILE_DATA(var, fpath, fshow, fstore, fmode, fdata)                           \
	__PSEUDO_FILE(var, .path = (fpath), .show = (fshow), .store = (fstore), .mode = (fmode),   \
		      .data = (void *)(fdata))
/* A directory of instances: @fpath's last component is "*", @ops names them. */
#define DEFINE_PSEUDO_DIR(var, fpath, fops) __PSEUDO_FILE(var, .path = (fpath), .dir = (fops))
/* The general form, for stream and read_at files: DEFINE_PSEUDO_FILE_EXT(x, .path = ...). */
#define DEFINE_PSEUDO_FILE_EXT(var, ...) __PSEUDO_FILE(var, __VA_ARGS__)

/*
 * A knob that takes one of a fixed list of words, shown as Linux shows one,
 * "always [madvise] never" (the chosen word in brackets). A store takes
 * exactly one word (with one trailing newline at most, Linux's
 * sysfs_streq); anything else is -EINVAL and changes nothing.
 */
struct pseudo_choice {
	const char *const *names;   /* @nr words, in the order shown */
	const char *(*name)(int i); /* or this, where the words are private to their owner */
	int nr;
	int *value;	   /* the chosen index, read and written once */
	int (*set)(int i); /* optional: make @i the choice or refuse (-EBUSY, unchanged) */
};

int pseudo_choice_show(struct seq_buf *s, void *data);
int pseudo_choice_store(const char *buf, size_t len, void *data);
/* Store @word into @c as a write would (the command line's and commands' way in). */
int pseudo_choice_set(const struct pseudo_choice *c, const char *word);
/* The word @c has chosen now. */
const char *pseudo_choice_word(const struct pseudo_choice *c);

#define DEFINE_PSEUDO_CHOICE(var, fpath, choice)                                                   \
	DEFINE_PSEUDO_FILE_DATA(var, fpath, pseudo_choice_show, pseudo_choice_store, 0644, choice)

/*
 * Register every declared file; boot calls it once, before the console
 * reads any. Each file pseudofs_add refuses is reported with its reason.
 */
void pseudofs_init(void);

/*
 * Add @f to the registry: pseudofs_init's step for each declared file (and
 * host tests', which have no boot). -EINVAL for a path that is not absolute
 * and normalised or a mode that does not match the callbacks, -EEXIST if
 * the path, or a file where the path needs a directory (or the reverse), is
 * already registered, -ENOENT for a "*" no DEFINE_PSEUDO_DIR names.
 */
int pseudofs_add(struct pseudo_file *f);

/*
 * What a path resolved to: the file and the data its callbacks get (the
 * file's own, or for a file under "*" the instance the path named).
 */
struct pseudo_ref {
	struct pseudo_file *f;
	void *data;
};

/*
 * Turn a user path into the canonical form: duplicate and trailing '/'
 * removed. -ENOENT for a relative path, -ENAMETOOLONG if it does not fit.
 */
int pseudofs_normalize(const char *path, char *out, size_t size);

/*
 * Resolve a user path as Linux's path walk would: 0 with @r set for a file;
 * otherwise @r->f is NULL and the result says why: -EISDIR (a directory),
 * -ENOENT, -ENOTDIR (a file named with a trailing '/', or used as a
 * directory: "/proc/meminfo/x"), -ENAMETOOLONG (PSEUDOFS_PATH_MAX).
 */
int pseudofs_resolve(const char *path, struct pseudo_ref *r);

/* pseudofs_resolve's answer, as true for a file and false for every other outcome. */
bool pseudofs_lookup(const char *path, struct pseudo_ref *r);

/*
 * readlink(2) of @path: the length of the target written into @buf, or
 * -EINVAL (no link), or pseudofs_resolve's errors for a path that names
 * nothing. Only an instance can be a link; a link is followed everywhere
 * else (/proc/self/maps is the caller's maps).
 */
int pseudofs_readlink(const char *path, char *buf, size_t size);

/* True if @path is a directory: "/", or some registered file lies under it. */
bool pseudofs_is_dir(const char *path);

/*
 * Call @emit for each entry directly under directory @path, once per name:
 * a directory's instances first (in their own order), then its files and
 * subdirectories sorted by name; @is_dir for directories. 0, -ENOENT or
 * -ENOTDIR.
 */
int pseudofs_list(const char *path,
		  void (*emit)(const char *name, size_t len, bool is_dir, void *ctx), void *ctx);

/* Is @r readable (show, stream or read_at) / writable (store)? */
bool pseudofs_readable(const struct pseudo_ref *r);
bool pseudofs_writable(const struct pseudo_ref *r);

/* Run @r's show into @s: 0, the show's -errno, or -EACCES if it has none. */
int pseudofs_read(const struct pseudo_ref *r, struct seq_buf *s);

/*
 * pseudofs_read, never truncated: while the show overflows, run it again in
 * a buffer twice the size (from seq_buf_alloc) up to SEQ_BUF_MAX; -ENOMEM or
 * -EFBIG if that fails. @s starts on the caller's buffer; whatever the
 * result, the caller ends with seq_buf_release(@s).
 */
int pseudofs_read_whole(const struct pseudo_ref *r, struct seq_buf *s);

/* @r's read_at: bytes read, 0 at the end, -errno; -EACCES if it has none. */
long pseudofs_read_at(const struct pseudo_ref *r, char *buf, size_t count, uint64_t pos);

/*
 * Run @r's store on @len bytes of @buf: 0, the store's -errno, -EACCES if
 * read-only. Stores are serialised: one runs at a time, system-wide
 * (kernel/mutex.h: a waiter yields its CPU). Process context only.
 */
int pseudofs_write(const struct pseudo_ref *r, const char *buf, size_t len);

#endif
