/*
 * The pseudo-file registry: one list of files kept sorted with '/' ordering
 * before every other byte, so the entries under a directory are contiguous
 * and already in `ls` order. Lookups are linear: there are tens of files and
 * they are looked up at human speed, from the shell.
 */
#include "kernel/pseudofs.h"
#include "kernel/mutex.h"
#include "lib/errno.h"
#include "lib/string.h"

static struct pseudo_file *pseudofs_files;

/*
 * Every store runs alone: the console's echo and any number of threads'
 * write(2)s. Many stores reallocate (buffer_size_kb, nr_hugepages) or
 * check, then act (a knob valid only in some state); one lock around all
 * of them makes each store atomic against every other store without a
 * per-knob audit that a new knob could miss. Stores run at human speed;
 * state that paths other than stores also change keeps its own lock.
 */
static DEFINE_MUTEX(store_mutex);

void seq_buf_init(struct seq_buf *s, char *buf, size_t size)
{
	s->buf = buf;
	s->size = size;
	s->len = 0;
	s->overflow = false;
	s->allocated = false;
	if (size)
		buf[0] = '\0';
}

void seq_buf_release(struct seq_buf *s)
{
	if (s->allocated)
		seq_buf_free(s->buf, s->size);
	s->buf = NULL;
	s->size = s->len = 0;
	s->overflow = s->allocated = false;
}

void seq_printf(struct seq_buf *s, const char *fmt, ...)
{
	size_t avail = s->size - s->len;
	va_list ap;
	int n;

	if (avail == 0) {
		s->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, avail, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= avail) {
		s->overflow = true;
		s->len = s->size - 1;
	} else {
		s->len += (size_t)n;
	}
}

void seq_puts(struct seq_buf *s, const char *str)
{
	seq_printf(s, "%s", str);
}

void seq_write(struct seq_buf *s, const void *data, size_t n)
{
	size_t room = s->size ? s->size - 1 - s->len : 0;

	if (n > room) {
		s->overflow = true;
		n = room;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	if (s->size)
		s->buf[s->len] = '\0';
}

/* strcmp, except that '/' sorts before every other byte. */
static int path_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char ca = *a == '/' ? 1 : (unsigned char)*a;
		unsigned char cb = *b == '/' ? 1 : (unsigned char)*b;

		if (ca != cb || !ca)
			return ca - cb;
	}
}

/* Does @path lie strictly under directory @dir (both normalised)? */
static bool path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1) /* "/" */
		return path[0] == '/' && path[1];
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

int pseudofs_normalize(const char *path, char *out, size_t size)
{
	size_t n = 0;

	if (path[0] != '/')
		return -ENOENT;
	for (const char *p = path; *p; p++) {
		if (*p == '/' && n && out[n - 1] == '/')
			continue;
		if (n + 2 > size)
			return -ENAMETOOLONG;
		out[n++] = *p;
	}
	if (n > 1 && out[n - 1] == '/')
		n--;
	out[n] = '\0';
	return 0;
}

static bool path_is_canonical(const char *path)
{
	char tmp[PSEUDOFS_PATH_MAX];

	if (!path || pseudofs_normalize(path, tmp, sizeof(tmp)) < 0)
		return false;
	return strcmp(tmp, path) == 0 && strcmp(path, "/") != 0;
}

/*
 * May @a and @b not both be files: the same path, or one strictly under
 * the other (both canonical, neither "/"). One pass over the common prefix,
 * where strcmp and two path_under calls took five: registering scans every
 * file, so this is most of what creating a device's sysfs files costs.
 */
static bool paths_clash(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	if (!a[i])
		return !b[i] || b[i] == '/';
	return !b[i] && a[i] == '/';
}

int pseudofs_register(struct pseudo_file *f)
{
	struct pseudo_file **link = &pseudofs_files;

	if (!path_is_canonical(f->path))
		return -EINVAL;
	for (struct pseudo_file *g = pseudofs_files; g; g = g->next) {
		if (g == f || paths_clash(g->path, f->path))
			return -EEXIST;
	}
	while (*link && path_cmp((*link)->path, f->path) < 0)
		link = &(*link)->next;
	f->next = *link;
	*link = f;
	return 0;
}

void pseudofs_unregister(struct pseudo_file *f)
{
	for (struct pseudo_file **link = &pseudofs_files; *link; link = &(*link)->next) {
		if (*link == f) {
			*link = f->next;
			f->next = NULL;
			return;
		}
	}
}

static struct pseudo_file *lookup_normalized(const char *norm)
{
	for (struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		if (strcmp(f->path, norm) == 0)
			return f;
	}
	return NULL;
}

/* Is some registered file a proper ancestor of @norm ("/proc/meminfo" of "/proc/meminfo/x")? */
static bool under_a_file(const char *norm)
{
	for (struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		if (path_under(norm, f->path))
			return true;
	}
	return false;
}

static bool is_dir_normalized(const char *norm)
{
	if (strcmp(norm, "/") == 0)
		return true;
	for (struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		if (path_under(f->path, norm))
			return true;
	}
	return false;
}

bool pseudofs_is_dir(const char *path)
{
	char norm[PSEUDOFS_PATH_MAX];

	if (pseudofs_normalize(path, norm, sizeof(norm)) < 0)
		return false;
	return is_dir_normalized(norm);
}

int pseudofs_resolve(const char *path, struct pseudo_file **fp)
{
	char norm[PSEUDOFS_PATH_MAX];
	size_t n = strlen(path);
	bool dir_wanted = n > 1 && path[n - 1] == '/'; /* "cat /proc/meminfo/" */
	int err = pseudofs_normalize(path, norm, sizeof(norm));
	struct pseudo_file *f;

	*fp = NULL;
	if (err)
		return err;
	f = lookup_normalized(norm);
	if (f) {
		if (dir_wanted)
			return -ENOTDIR;
		*fp = f;
		return 0;
	}
	if (is_dir_normalized(norm))
		return -EISDIR;
	return under_a_file(norm) ? -ENOTDIR : -ENOENT;
}

struct pseudo_file *pseudofs_lookup(const char *path)
{
	struct pseudo_file *f;

	pseudofs_resolve(path, &f);
	return f;
}

int pseudofs_list(const char *path,
		  void (*emit)(const char *name, size_t len, bool is_dir, void *ctx), void *ctx)
{
	char norm[PSEUDOFS_PATH_MAX];
	const char *prev = NULL;
	size_t prev_len = 0, skip;
	int err = pseudofs_normalize(path, norm, sizeof(norm));

	if (err)
		return err;
	if (!is_dir_normalized(norm))
		return lookup_normalized(norm) || under_a_file(norm) ? -ENOTDIR : -ENOENT;
	skip = strcmp(norm, "/") == 0 ? 1 : strlen(norm) + 1;
	for (struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		const char *name = f->path + skip, *slash;
		size_t len;

		if (!path_under(f->path, norm))
			continue;
		slash = strchr(name, '/');
		len = slash ? (size_t)(slash - name) : strlen(name);
		/* Sorted with '/' first: one directory's files are adjacent. */
		if (prev && len == prev_len && memcmp(prev, name, len) == 0)
			continue;
		emit(name, len, slash != NULL, ctx);
		prev = name;
		prev_len = len;
	}
	return 0;
}

int pseudofs_read(struct pseudo_file *f, struct seq_buf *s)
{
	if (!f->show)
		return -EACCES;
	return f->show(s, f->data);
}

int pseudofs_write(struct pseudo_file *f, const char *buf, size_t len)
{
	int ret;

	if (!f->store)
		return -EACCES;
	mutex_lock(&store_mutex);
	ret = f->store(buf, len, f->data);
	mutex_unlock(&store_mutex);
	return ret;
}

int pseudofs_read_whole(struct pseudo_file *f, struct seq_buf *s)
{
	size_t size = s->size;
	int err = pseudofs_read(f, s);

	while (!err && s->overflow) {
		char *bigger;

		/* Free first: only one big buffer is ever held. */
		seq_buf_release(s);
		size = size < 4096 ? 4096 : size * 2; /* whole pages */
		if (size > SEQ_BUF_MAX)
			return -EFBIG;
		bigger = seq_buf_alloc(size);
		if (!bigger)
			return -ENOMEM;
		seq_buf_init(s, bigger, size);
		s->allocated = true;
		err = pseudofs_read(f, s);
	}
	return err;
}
