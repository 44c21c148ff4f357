/*
 * The initramfs unpacker: Linux's cpio "newc" format (magic 070701, or 070702
 * with a checksum), one archive or several concatenated, into the ramfs.
 * The bytes come from a file anyone can replace on the ESP, so every header
 * field, name and size is checked against the buffer before use; a bad
 * archive ends the unpacking with a message naming the offset, never a fault.
 * Format: Linux's Documentation/driver-api/early-userspace/buffer-format.rst.
 */
#include "flushlab/boot_info.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "task/ramfs.h"
#include "uapi/stat.h"

#define NEWC_HDR_SIZE 110 /* "070701" + 13 fields of 8 hex digits */
#define NEWC_FIELDS 13

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK
};

struct cpio_entry {
	uint32_t field[NEWC_FIELDS];
	bool crc; /* 070702: F_CHECK is the sum of the data bytes */
	const char *name;
	const uint8_t *data;
};

struct cpio_cursor {
	const uint8_t *buf;
	size_t len, off; /* off: the next header, 4-aligned from buf */
	char *err;
	size_t errlen;
};

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

static int cpio_fail(struct cpio_cursor *c, const char *why, const char *what)
{
	if (c->errlen)
		snprintf(c->err, c->errlen, "offset %#zx: %s%s", c->off, why, what ? what : "");
	return -EINVAL;
}

static bool parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t ch = p[i];
		uint32_t d;

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
			d = (ch | 0x20) - 'a' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* The header at c->off: magic, fields, and the name (NUL-ended, in bounds). */
static int cpio_parse_header(struct cpio_cursor *c, struct cpio_entry *e)
{
	const uint8_t *h = c->buf + c->off;
	uint32_t namesize;

	if (c->len - c->off < NEWC_HDR_SIZE)
		return cpio_fail(c, "truncated header", NULL);
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return cpio_fail(c, "bad magic (want 070701, newc)", NULL);
	e->crc = h[5] == '2';
	for (int i = 0; i < NEWC_FIELDS; i++)
		if (!parse_hex8(h + 6 + 8 * i, &e->field[i]))
			return cpio_fail(c, "header field is not 8 hex digits", NULL);
	namesize = e->field[F_NAMESIZE];
	if (namesize < 2 || namesize > RAMFS_PATH_MAX - 1)
		return cpio_fail(c, "name size out of range", NULL);
	if (c->len - c->off - NEWC_HDR_SIZE < namesize)
		return cpio_fail(c, "name runs past the end", NULL);
	e->name = (const char *)h + NEWC_HDR_SIZE;
	if (strnlen(e->name, namesize) != namesize - 1)
		return cpio_fail(c, "name is not one NUL-terminated string", NULL);
	return 0;
}

/* The data after the header; moves c->off to the next header. */
static int cpio_parse_data(struct cpio_cursor *c, struct cpio_entry *e)
{
	size_t data_off = align4(c->off + NEWC_HDR_SIZE + e->field[F_NAMESIZE]);
	size_t size = e->field[F_FILESIZE];
	uint32_t sum = 0;

	if (data_off > c->len || size > c->len - data_off)
		return cpio_fail(c, "file data runs past the end: ", e->name);
	e->data = c->buf + data_off;
	if (e->crc) {
		for (size_t i = 0; i < size; i++)
			sum += e->data[i];
		if (sum != e->field[F_CHECK])
			return cpio_fail(c, "checksum mismatch (070702): ", e->name);
	}
	c->off = MIN(align4(data_off + size), c->len);
	return 0;
}

/* One entry into the ramfs: regular files only; directories are implied. */
static int cpio_add(struct cpio_cursor *c, const struct cpio_entry *e, int *added)
{
	uint32_t type = e->field[F_MODE] & S_IFMT;
	const char *name = e->name;
	char path[RAMFS_PATH_MAX];
	int err;

	while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	if (type == S_IFDIR || (type == S_IFREG && !*name && e->field[F_FILESIZE] == 0) ||
	    strcmp(name, ".") == 0)
		return 0;
	if (type != S_IFREG) {
		printk("initramfs: %s: skipped (only regular files and directories)\n", e->name);
		return 0;
	}
	snprintf(path, sizeof(path), "/%s", name);
	err = ramfs_add(path, e->data, e->field[F_FILESIZE], e->field[F_MODE]);
	if (err == -EINVAL)
		return cpio_fail(c, "bad file name (empty, . or .. component): ", e->name);
	if (err)
		return cpio_fail(c, "ramfs is full, at: ", e->name);
	(*added)++;
	return 0;
}

/* Between archives: NUL padding (GNU cpio pads to 512 bytes), then aligned. */
static bool cpio_skip_padding(struct cpio_cursor *c)
{
	while (c->off < c->len && c->buf[c->off] == 0)
		c->off++;
	return c->off < c->len;
}

int initramfs_unpack(const void *buf, size_t len, char *err, size_t errlen)
{
	struct cpio_cursor c = {buf, len, 0, err, errlen};
	struct cpio_entry e;
	bool in_archive = false;
	int added = 0, ret;

	if (errlen)
		err[0] = '\0';
	while (in_archive || cpio_skip_padding(&c)) {
		if (!in_archive && (c.off & 3))
			return cpio_fail(&c, "an archive must start 4-byte aligned", NULL);
		if (c.off == c.len)
			return cpio_fail(&c, "truncated: the archive has no TRAILER!!!", NULL);
		ret = cpio_parse_header(&c, &e);
		if (!ret)
			ret = cpio_parse_data(&c, &e);
		if (ret)
			return ret;
		in_archive = strcmp(e.name, "TRAILER!!!") != 0;
		if (in_archive && (ret = cpio_add(&c, &e, &added)))
			return ret;
	}
	return added;
}

void initramfs_init(const struct boot_info *bi)
{
	char why[160];
	int n;

	if (!bi->initrd.size) {
		printk("initramfs: none (no \\flushlab\\initrd on the ESP): /bin is empty\n");
		return;
	}
	n = initramfs_unpack((const void *)(DIRECT_MAP_BASE + bi->initrd.phys), bi->initrd.size,
			     why, sizeof(why));
	if (n < 0) {
		n = 0;
		for (const struct ramfs_file *f = ramfs_next(NULL); f; f = ramfs_next(f))
			n++;
		printk("initramfs: corrupt archive (%lu bytes): %s; kept the %d files before it\n",
		       (unsigned long)bi->initrd.size, why, n);
		return;
	}
	printk("initramfs: %d files from %lu bytes at %#lx\n", n, (unsigned long)bi->initrd.size,
	       (unsigned long)bi->initrd.phys);
}
