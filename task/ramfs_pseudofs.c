/*
 * The console's view of the ramfs: each file is a read-only pseudo-file,
 * so `ls /bin` lists the programs and `cat` reads text files as the shell
 * already does for /proc. A binary file is not dumped onto the serial
 * console (its bytes would garble the terminal and any script parsing the
 * output); `cat` prints one line saying what it is instead, like file(1).
 */
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "task/ramfs.h"

static bool is_elf64_exec(const uint8_t *d, size_t n)
{
	/* e_ident: \x7fELF, class 2 (64-bit), data 1 (LSB); e_type 2 (EXEC), e_machine 62 */
	return n >= 64 &&
	       memcmp(d,
		      "\x7f"
		      "ELF",
		      4) == 0 &&
	       d[4] == 2 && d[5] == 1 && d[16] == 2 && d[17] == 0 && d[18] == 62 && d[19] == 0;
}

static bool is_text(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] < 0x20 && d[i] != '\n' && d[i] != '\t' && d[i] != '\r')
			return false;
	return true;
}

static int ramfs_show(struct seq_buf *s, void *data)
{
	const struct ramfs_file *f = data;
	const uint8_t *d = f->data;

	if (is_text(d, f->size)) {
		seq_write(s, d, f->size);
		return 0;
	}
	seq_printf(s, "%s: %s, %zu bytes (binary: not printed)\n", f->path,
		   is_elf64_exec(d, f->size) ? "ELF 64-bit LSB executable, x86-64" : "data",
		   f->size);
	return 0;
}

/*
 * The ramfs's directories are the instances of "/" + "*": each top-level
 * name under which some file lies directly ("/bin/hello" makes "bin"); a
 * directory's instance is its first such file, whose path gives its name.
 * The console shows these two levels, which is what the initramfs holds
 * (tools/mkinitramfs.py writes /bin/NAME); a file elsewhere is for exec alone.
 */
static size_t top_len(const struct ramfs_file *f)
{
	const char *slash = strchr(f->path + 1, '/');

	if (!slash || strchr(slash + 1, '/'))
		return 0; /* not DIR/NAME */
	return (size_t)(slash - f->path - 1);
}

static bool same_top(const struct ramfs_file *a, const struct ramfs_file *b)
{
	size_t n = top_len(a);

	return n && n == top_len(b) && !memcmp(a->path + 1, b->path + 1, n);
}

static void *ramfs_dir_lookup(void *parent, const char *name)
{
	const struct ramfs_file *f;
	size_t n = strlen(name);

	for_each_ramfs_file(f)
	{
		if (top_len(f) == n && !memcmp(f->path + 1, name, n))
			return (void *)f;
	}
	return NULL;
}

static void ramfs_dir_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	const struct ramfs_file *f, *g;
	char name[RAMFS_PATH_MAX];

	for_each_ramfs_file(f)
	{
		size_t n = top_len(f);
		bool seen = false;

		for (g = ramfs_next(NULL); g != f && !seen; g = ramfs_next(g))
			seen = same_top(f, g);
		if (!n || seen)
			continue;
		memcpy(name, f->path + 1, n);
		name[n] = '\0';
		emit(name, ctx);
	}
}

/* A file of directory @parent (its first file): "/DIR/" + @name. */
static void *ramfs_file_lookup(void *parent, const char *name)
{
	const struct ramfs_file *dir = parent;
	char path[RAMFS_PATH_MAX];
	size_t n = top_len(dir);

	if (snprintf(path, sizeof(path), "/%.*s/%s", (int)n, dir->path + 1, name) >=
	    (int)sizeof(path))
		return NULL;
	return (void *)ramfs_lookup(path);
}

static void ramfs_file_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	const struct ramfs_file *f;

	for_each_ramfs_file(f)
	{
		if (same_top(f, parent))
			emit(f->path + top_len(f) + 2, ctx);
	}
}

static const struct pseudo_dir_ops ramfs_dirs = {.lookup = ramfs_dir_lookup,
						 .iterate = ramfs_dir_iterate};
static const struct pseudo_dir_ops ramfs_files = {.lookup = ramfs_file_lookup,
						  .iterate = ramfs_file_iterate};

DEFINE_PSEUDO_DIR(ramfs_dir, "/*", &ramfs_dirs);
DEFINE_PSEUDO_FILE_EXT(ramfs_file, .path = "/*/*", .show = ramfs_show, .dir = &ramfs_files,
		       .mode = 0444);
