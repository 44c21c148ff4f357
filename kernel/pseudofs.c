/*
 * The pseudo-file registry: the files every subsystem declares
 * (DEFINE_PSEUDO_FILE, in the "pseudo_files" linker section), loaded at
 * boot into one list kept sorted with '/' ordering before every other byte,
 * so the entries under a directory are contiguous and already in `ls`
 * order. A "*" component stands for the instances its DEFINE_PSEUDO_DIR
 * names (processes, CPUs, devices), found when a path is looked up, so
 * nothing registers at run time. Lookups are linear: there are a hundred
 * entries and they are looked up at human speed.
 */
#include "kernel/pseudofs.h"
#include "kernel/mutex.h"
#include "lib/errno.h"
#include "lib/kernel.h"
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

void seq_bitmap_list(struct seq_buf *s, const uint64_t *bits, int nbits)
{
	bool first = true;

	for (int i = 0; i < nbits; i++) {
		int end = i;

		if (!(bits[i / 64] & (1ULL << (i % 64))))
			continue;
		while (end + 1 < nbits && (bits[(end + 1) / 64] & (1ULL << ((end + 1) % 64))))
			end++;
		seq_printf(s, first ? "%d" : ",%d", i);
		if (end > i)
			seq_printf(s, "-%d", end);
		first = false;
		i = end;
	}
}

void seq_bitmap(struct seq_buf *s, const uint64_t *bits, int nbits)
{
	int chunk = nbits % 32 ? nbits % 32 : 32;

	for (int i = ALIGN_UP(nbits, 32) - 32; i >= 0; i -= 32) {
		uint32_t val =
		    (uint32_t)(bits[i / 64] >> (i % 64)) & (uint32_t)((1ULL << chunk) - 1);

		seq_printf(s, i + 32 >= nbits ? "%0*x" : ",%0*x", (chunk + 3) / 4, val);
		chunk = 32;
	}
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

static bool is_dir_entry(const struct pseudo_file *f)
{
	return f->dir && !f->show; /* a family whose instances are directories */
}

/*
 * May @g and @f not both be registered: the same path, or one strictly
 * under the other where the upper one is a file. One pass over the common
 * prefix: registering scans every file, so this is most of what it costs.
 */
static bool paths_clash(const struct pseudo_file *g, const struct pseudo_file *f)
{
	const char *a = g->path, *b = f->path;
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	if (!a[i] && !b[i])
		return true;
	if (!a[i] && b[i] == '/')
		return !is_dir_entry(g);
	return !b[i] && a[i] == '/' && !is_dir_entry(f);
}

static bool mode_matches(const struct pseudo_file *f)
{
	bool readable = f->show || f->stream || f->read_at, writable = f->store != NULL;

	if (is_dir_entry(f))
		return !f->store && !f->stream && !f->read_at;
	return ((f->mode & 0444) != 0) == readable && ((f->mode & 0222) != 0) == writable &&
	       !(f->mode & ~0777);
}

int pseudofs_add(struct pseudo_file *f)
{
	struct pseudo_file **link = &pseudofs_files;

	if (!path_is_canonical(f->path) || !mode_matches(f))
		return -EINVAL;
	for (struct pseudo_file *g = pseudofs_files; g; g = g->next) {
		if (g == f || paths_clash(g, f))
			return -EEXIST;
	}
	while (*link && path_cmp((*link)->path, f->path) < 0)
		link = &(*link)->next;
	f->next = *link;
	*link = f;
	return 0;
}

/* ---- matching a user path against a registered one ---- */

/* Bytes up to the next '/' or the end. */
static size_t comp_len(const char *p)
{
	size_t n = 0;

	while (p[n] && p[n] != '/')
		n++;
	return n;
}

/* The family that names the "*" ending @pat's first @len bytes, or NULL. */
static const struct pseudo_file *family_at(const char *pat, size_t len)
{
	for (const struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		if (f->dir && strlen(f->path) == len && !strncmp(f->path, pat, len))
			return f;
	}
	return NULL;
}

enum match {
	NO_MATCH,
	MATCH,	     /* the path names the registered entry */
	MATCH_ABOVE, /* the path is a directory the entry lies under; *@rest is the rest */
	MATCH_BELOW, /* the entry is a proper ancestor of the path */
};

/*
 * Compare normalised @path with registered @pat component by component; a
 * "*" in @pat matches the component its family's lookup knows, and *@inst
 * is the last instance matched (unchanged if none).
 */
static enum match match_path(const char *pat, const char *path, void **inst, const char **rest)
{
	const char *p = pat + 1, *q = path + 1;

	if (!*q) /* "/": everything lies under it */
		return *rest = p, MATCH_ABOVE;
	for (;;) {
		size_t plen = comp_len(p), qlen = comp_len(q);

		if (plen == 1 && *p == '*') {
			const struct pseudo_file *fam = family_at(pat, (size_t)(p + 1 - pat));
			char name[PSEUDOFS_PATH_MAX];
			void *found;

			memcpy(name, q, qlen);
			name[qlen] = '\0';
			found = fam ? fam->dir->lookup(*inst, name) : NULL;
			if (!found)
				return NO_MATCH;
			*inst = found;
		} else if (plen != qlen || memcmp(p, q, plen)) {
			return NO_MATCH;
		}
		p += plen;
		q += qlen;
		if (!*p && !*q)
			return MATCH;
		if (!*q)
			return *rest = p + 1, MATCH_ABOVE;
		if (!*p)
			return MATCH_BELOW;
		p++;
		q++;
	}
}

/* What @norm is: 0 and @r set for a file, else -EISDIR, -ENOTDIR or -ENOENT. */
static int resolve_normalized(const char *norm, struct pseudo_ref *r)
{
	bool is_dir = !strcmp(norm, "/"), below_file = false;

	r->f = NULL;
	for (struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		void *inst = NULL;
		const char *rest;

		switch (match_path(f->path, norm, &inst, &rest)) {
		case MATCH:
			if (is_dir_entry(f))
				return -EISDIR;
			r->f = f;
			r->data = strchr(f->path, '*') ? inst : f->data;
			return 0;
		case MATCH_ABOVE:
			is_dir = true;
			break;
		case MATCH_BELOW:
			below_file |= !is_dir_entry(f);
			break;
		default:
			break;
		}
	}
	if (is_dir)
		return -EISDIR;
	return below_file ? -ENOTDIR : -ENOENT;
}

bool pseudofs_is_dir(const char *path)
{
	char norm[PSEUDOFS_PATH_MAX];
	struct pseudo_ref r;

	if (pseudofs_normalize(path, norm, sizeof(norm)) < 0)
		return false;
	return resolve_normalized(norm, &r) == -EISDIR;
}

int pseudofs_resolve(const char *path, struct pseudo_ref *r)
{
	char norm[PSEUDOFS_PATH_MAX];
	size_t n = strlen(path);
	bool dir_wanted = n > 1 && path[n - 1] == '/'; /* "cat /proc/meminfo/" */
	int err = pseudofs_normalize(path, norm, sizeof(norm));

	r->f = NULL;
	if (err)
		return err;
	err = resolve_normalized(norm, r);
	if (!err && dir_wanted) {
		r->f = NULL;
		return -ENOTDIR;
	}
	return err;
}

int pseudofs_readlink(const char *path, char *buf, size_t size)
{
	char norm[PSEUDOFS_PATH_MAX];
	const char *name = norm;
	struct pseudo_ref r;
	int err = pseudofs_normalize(path, norm, sizeof(norm));

	if (err)
		return err;
	for (const char *p = norm; *p; p++) /* the last component */
		if (*p == '/')
			name = p + 1;
	for (struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		void *inst = NULL;
		const char *rest;

		if (f->dir && match_path(f->path, norm, &inst, &rest) == MATCH)
			return f->dir->readlink ? f->dir->readlink(inst, name, buf, size) : -EINVAL;
	}
	err = resolve_normalized(norm, &r);
	return err && err != -EISDIR ? err : -EINVAL;
}

bool pseudofs_lookup(const char *path, struct pseudo_ref *r)
{
	return pseudofs_resolve(path, r) == 0;
}

struct list_ctx {
	void (*emit)(const char *name, size_t len, bool is_dir, void *ctx);
	void *ctx;
	bool is_dir;
};

static void emit_instance(const char *name, void *data)
{
	struct list_ctx *lc = data;

	lc->emit(name, strlen(name), lc->is_dir, lc->ctx);
}

int pseudofs_list(const char *path,
		  void (*emit)(const char *name, size_t len, bool is_dir, void *ctx), void *ctx)
{
	char norm[PSEUDOFS_PATH_MAX];
	const char *prev = NULL;
	size_t prev_len = 0;
	struct pseudo_ref r;
	int err = pseudofs_normalize(path, norm, sizeof(norm));

	if (err)
		return err;
	err = resolve_normalized(norm, &r);
	if (err != -EISDIR)
		return err ? err : -ENOTDIR;
	/* Sorted with '/' first: one directory's entries are adjacent, "*" before names. */
	for (struct pseudo_file *f = pseudofs_files; f; f = f->next) {
		void *inst = NULL;
		const char *name;
		size_t len;
		bool sub;

		if (match_path(f->path, norm, &inst, &name) != MATCH_ABOVE)
			continue;
		len = comp_len(name);
		sub = name[len] != '\0' || is_dir_entry(f);
		if (prev && len == prev_len && memcmp(prev, name, len) == 0)
			continue;
		prev = name;
		prev_len = len;
		if (len == 1 && *name == '*') {
			const struct pseudo_file *fam =
			    family_at(f->path, (size_t)(name + 1 - f->path));
			struct list_ctx lc = {emit, ctx, sub};

			if (fam)
				fam->dir->iterate(inst, emit_instance, &lc);
			continue;
		}
		emit(name, len, sub, ctx);
	}
	return 0;
}

bool pseudofs_readable(const struct pseudo_ref *r)
{
	return r->f->show || r->f->stream || r->f->read_at;
}

bool pseudofs_writable(const struct pseudo_ref *r)
{
	return r->f->store != NULL;
}

int pseudofs_read(const struct pseudo_ref *r, struct seq_buf *s)
{
	if (!r->f->show)
		return -EACCES;
	return r->f->show(s, r->data);
}

long pseudofs_read_at(const struct pseudo_ref *r, char *buf, size_t count, uint64_t pos)
{
	if (!r->f->read_at)
		return -EACCES;
	return r->f->read_at(r->data, buf, count, pos);
}

int pseudofs_write(const struct pseudo_ref *r, const char *buf, size_t len)
{
	int ret;

	if (!r->f->store)
		return -EACCES;
	mutex_lock(&store_mutex);
	ret = r->f->store(buf, len, r->data);
	mutex_unlock(&store_mutex);
	return ret;
}

int pseudofs_read_whole(const struct pseudo_ref *r, struct seq_buf *s)
{
	size_t size = s->size;
	int err = pseudofs_read(r, s);

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
		err = pseudofs_read(r, s);
	}
	return err;
}

/* ---- boot: the declared files ---- */

/* Weak: a host test that declares no file has no section. */
extern struct pseudo_file __start_pseudo_files[] __attribute__((weak));
extern struct pseudo_file __stop_pseudo_files[] __attribute__((weak));

/* Does every "*" in @f's path have its family? */
static bool families_declared(const struct pseudo_file *f)
{
	for (const char *p = strchr(f->path, '*'); p; p = strchr(p + 1, '*')) {
		if (!family_at(f->path, (size_t)(p + 1 - f->path)))
			return false;
	}
	return true;
}

static void pseudofs_remove(struct pseudo_file *f)
{
	for (struct pseudo_file **link = &pseudofs_files; *link; link = &(*link)->next) {
		if (*link == f) {
			*link = f->next;
			return;
		}
	}
}

void pseudofs_init(void)
{
	for (struct pseudo_file *f = __start_pseudo_files; f < __stop_pseudo_files; f++) {
		int err = pseudofs_add(f);

		if (err)
			printk("pseudofs: %s: left out: %s\n", f->path ? f->path : "(null)",
			       err == -EEXIST ? "registered twice" : "bad path or mode");
	}
	for (struct pseudo_file *f = __start_pseudo_files; f < __stop_pseudo_files; f++) {
		if (!families_declared(f)) {
			printk("pseudofs: %s: left out: no DEFINE_PSEUDO_DIR names its \"*\"\n",
			       f->path);
			pseudofs_remove(f);
		}
	}
}
