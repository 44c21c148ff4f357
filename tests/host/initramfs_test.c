/*
 * Host tests for the initramfs unpacker and the ramfs (task/initramfs.c,
 * task/ramfs.c, task/ramfs_pseudofs.c): good archives, every truncation,
 * bad magic, fields and sizes, concatenated archives, and random corruption.
 * Every archive sits in a malloc'd buffer of exactly its length, so ASan
 * turns any read past the end into a failure.
 */
#include "tests/host/host_test.h"
#include "tests/host/stubs/console_stub.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "task/ramfs.h"

#define MAX_ARCHIVE 32768

struct archive {
	unsigned char buf[MAX_ARCHIVE];
	size_t len;
};

/* One newc record, as tools/mkinitramfs.py writes it. */
static void put_entry(struct archive *a, const char *magic, const char *name, unsigned mode,
		      const void *data, size_t size, unsigned check)
{
	size_t namesize = strlen(name) + 1;

	a->len += (size_t)sprintf((char *)a->buf + a->len,
				  "%s%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", magic,
				  1u, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, check);
	memcpy(a->buf + a->len, name, namesize);
	a->len = (a->len + namesize + 3) & ~3UL;
	memcpy(a->buf + a->len, data, size);
	a->len = (a->len + size + 3) & ~3UL;
}

static void put_file(struct archive *a, const char *name, const char *text)
{
	put_entry(a, "070701", name, 0100755, text, strlen(text), 0);
}

static void put_trailer(struct archive *a)
{
	put_entry(a, "070701", "TRAILER!!!", 0, "", 0, 0);
}

static void good_archive(struct archive *a)
{
	memset(a, 0, sizeof(*a));
	put_entry(a, "070701", "bin", 040755, "", 0, 0);
	put_file(a, "bin/hello", "hello text\n");
	put_file(a, "./bin/two", "second");
	put_trailer(a);
}

/* Unpack a private copy of exactly @len bytes into an empty ramfs. */
static int unpack(const void *data, size_t len, char *err, size_t errlen)
{
	void *copy = malloc(len ? len : 1);
	int n;

	memcpy(copy, data, len);
	ramfs_reset();
	n = initramfs_unpack(copy, len, err, errlen);
	free(copy); /* the ramfs now points at freed bytes: callers only look at counts */
	return n;
}

HOST_TEST(good_archive_unpacks_files)
{
	static struct archive a;
	char err[128];
	const struct ramfs_file *f;

	good_archive(&a);
	ramfs_reset();
	ASSERT_EQ(2, initramfs_unpack(a.buf, a.len, err, sizeof(err)));
	f = ramfs_lookup("/bin/hello");
	ASSERT_TRUE(f != NULL);
	EXPECT_EQ(11, f->size);
	EXPECT_TRUE(memcmp(f->data, "hello text\n", 11) == 0);
	EXPECT_TRUE((const unsigned char *)f->data > a.buf &&
		    (const unsigned char *)f->data < a.buf + a.len); /* no copy */
	EXPECT_EQ(0100755, f->mode);
	EXPECT_TRUE(ramfs_lookup("/bin/two") != NULL);
	EXPECT_TRUE(ramfs_lookup("/bin") == NULL);
	EXPECT_TRUE(ramfs_lookup("/bin/nope") == NULL);
	EXPECT_STREQ("", err);
}

HOST_TEST(empty_input_is_no_files)
{
	char err[128];

	EXPECT_EQ(0, unpack("", 0, err, sizeof(err)));
	EXPECT_EQ(0, unpack("\0\0\0\0\0\0\0\0", 8, err, sizeof(err)));
}

HOST_TEST(every_truncation_fails_cleanly)
{
	struct archive a;
	char err[128];

	good_archive(&a);
	for (size_t len = 1; len < a.len; len++) {
		int n = unpack(a.buf, len, err, sizeof(err));

		/* Cutting inside the trailer's padding still leaves a whole trailer. */
		if (n >= 0 && len >= a.len - 3)
			continue;
		if (n != -EINVAL || !err[0]) {
			HT_REPORT("length %zu of %zu: got %d, error \"%s\"", len, a.len, n, err);
			*failed = 1;
			return;
		}
	}
}

HOST_TEST(bad_magic_is_named)
{
	struct archive a;
	char err[128];

	good_archive(&a);
	memcpy(a.buf, "070707", 6); /* the old binary-ish "odc" format */
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, "offset 0: bad magic") != NULL);
}

HOST_TEST(non_hex_field_rejected)
{
	struct archive a;
	char err[128];

	good_archive(&a);
	a.buf[6 + 8 * 6 + 3] = 'g'; /* F_FILESIZE of the first entry */
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, "not 8 hex digits") != NULL);
}

HOST_TEST(sizes_past_the_end_rejected)
{
	struct archive a;
	char err[128];

	memset(&a, 0, sizeof(a));
	put_entry(&a, "070701", "bin/big", 0100755, "abcd", 4, 0);
	put_trailer(&a);
	memcpy(a.buf + 6 + 8 * 6, "7fffffff", 8); /* filesize */
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, "runs past the end: bin/big") != NULL);
	memcpy(a.buf + 6 + 8 * 6, "ffffffff", 8); /* would wrap a 32-bit offset */
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	memcpy(a.buf + 6 + 8 * 6, "00000004", 8);
	memcpy(a.buf + 6 + 8 * 11, "00001000", 8); /* namesize beyond the buffer */
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	memcpy(a.buf + 6 + 8 * 11, "00000000", 8); /* namesize 0 */
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, "name size") != NULL);
	memcpy(a.buf + 6 + 8 * 11, "00000003", 8); /* "bin/big" is longer: no NUL there */
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, "NUL-terminated") != NULL);
}

HOST_TEST(dotdot_and_empty_components_rejected)
{
	static const char *bad[] = {"bin/../etc", "bin//x", "..", "bin/."};
	struct archive a;
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&a, 0, sizeof(a));
		put_file(&a, bad[i], "x");
		put_trailer(&a);
		EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	}
}

HOST_TEST(concatenated_archives_later_wins)
{
	struct archive a;
	char err[128];
	const struct ramfs_file *f;

	good_archive(&a);
	a.len += 512 - a.len % 512; /* GNU cpio's block padding: NUL bytes */
	put_file(&a, "bin/hello", "replaced");
	put_file(&a, "bin/mine", "extra");
	put_trailer(&a);
	ramfs_reset();
	EXPECT_EQ(4, initramfs_unpack(a.buf, a.len, err, sizeof(err)));
	f = ramfs_lookup("/bin/hello");
	ASSERT_TRUE(f != NULL);
	EXPECT_EQ(8, f->size);
	EXPECT_TRUE(ramfs_lookup("/bin/mine") != NULL);
	EXPECT_TRUE(ramfs_lookup("/bin/two") != NULL);
	/* Junk between the archives is not padding. */
	memset(&a, 0, sizeof(a));
	put_file(&a, "a", "1");
	put_trailer(&a);
	a.buf[a.len] = 'x';
	a.len += 4;
	put_file(&a, "b", "2");
	put_trailer(&a);
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
}

HOST_TEST(crc_format_checks_the_sum)
{
	struct archive a;
	char err[128];
	unsigned sum = 'a' + 'b' + 'c';

	memset(&a, 0, sizeof(a));
	put_entry(&a, "070702", "bin/c", 0100644, "abc", 3, sum);
	put_trailer(&a);
	EXPECT_EQ(1, unpack(a.buf, a.len, err, sizeof(err)));
	memset(&a, 0, sizeof(a));
	put_entry(&a, "070702", "bin/c", 0100644, "abc", 3, sum + 1);
	put_trailer(&a);
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, "checksum") != NULL);
}

HOST_TEST(table_full_is_an_error)
{
	static struct archive a;
	char err[128], name[32];

	memset(&a, 0, sizeof(a));
	for (int i = 0; i <= RAMFS_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		put_entry(&a, "070701", name, 0100644, "", 0, 0);
	}
	put_trailer(&a);
	EXPECT_EQ(-EINVAL, unpack(a.buf, a.len, err, sizeof(err)));
	EXPECT_TRUE(strstr(err, "full") != NULL);
}

HOST_TEST(random_corruption_never_crashes)
{
	static struct archive a, bad;
	char err[128];
	unsigned seed = 2026;

	good_archive(&a);
	for (int round = 0; round < 20000; round++) {
		bad = a;
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245 + 12345;
			bad.buf[(seed >> 8) % a.len] = (unsigned char)(seed >> 20);
		}
		int n = unpack(bad.buf, bad.len, err, sizeof(err));

		if (n < -EINVAL || n > 3 || (n == -EINVAL && !err[0])) {
			HT_REPORT("round %d: got %d", round, n);
			*failed = 1;
			return;
		}
	}
}

HOST_TEST(console_lists_and_describes_files)
{
	static struct archive a;
	static const unsigned char elf[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1, [16] = 2, [18] = 62};
	char buf[256], err[128];
	struct pseudo_ref r;
	struct seq_buf s;

	memset(&a, 0, sizeof(a));
	put_entry(&a, "070701", "bin/prog", 0100755, elf, sizeof(elf), 0);
	put_file(&a, "etc/motd", "welcome\n");
	put_trailer(&a);
	ramfs_reset();
	ASSERT_EQ(2, initramfs_unpack(a.buf, a.len, err, sizeof(err)));
	pseudofs_init();
	ASSERT_TRUE(pseudofs_lookup("/bin/prog", &r));
	EXPECT_TRUE(pseudofs_is_dir("/bin"));
	EXPECT_TRUE(!pseudofs_is_dir("/usr"));
	ASSERT_TRUE(pseudofs_lookup("/etc/motd", &r));
	seq_buf_init(&s, buf, sizeof(buf));
	EXPECT_EQ(0, pseudofs_read(&r, &s));
	EXPECT_STREQ("welcome\n", buf);
	ASSERT_TRUE(pseudofs_lookup("/bin/prog", &r));
	seq_buf_init(&s, buf, sizeof(buf));
	EXPECT_EQ(0, pseudofs_read(&r, &s));
	EXPECT_STREQ(
	    "/bin/prog: ELF 64-bit LSB executable, x86-64, 64 bytes (binary: not printed)\n", buf);
}

HOST_TEST_MAIN("initramfs")
