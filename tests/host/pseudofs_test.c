/*
 * Host tests for kernel/pseudofs.c: registration rules, path resolution with
 * Linux's errors, implied directories, seq_buf, and whole reads of any length.
 */
#include "tests/host/host_test.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "tests/host/stubs/seq_buf_mem_stub.h"

static int show_hello(struct seq_buf *s, void *data)
{
	seq_printf(s, "hello %s\n", (const char *)data);
	return 0;
}

#define FILE_AT(p)                                                                                 \
	{                                                                                          \
		.path = (p), .show = show_hello, .data = "x"                                       \
	}

static struct pseudo_file f_meminfo = FILE_AT("/proc/meminfo");
static struct pseudo_file f_vmstat = FILE_AT("/proc/vmstat");
static struct pseudo_file f_nr = FILE_AT("/proc/sys/vm/nr_hugepages");
static struct pseudo_file f_hvo = FILE_AT("/proc/sys/vm/hugetlb_optimize_vmemmap");
static struct pseudo_file f_sysdash = FILE_AT("/proc/sys-x");
static struct pseudo_file f_sysdot = FILE_AT("/proc/sys.a");
static struct pseudo_file f_hp = FILE_AT("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
static struct pseudo_file f_hp1g =
    FILE_AT("/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages");

static char listing[4096];

static void collect(const char *name, size_t len, bool is_dir, void *ctx)
{
	size_t n = strlen(listing);

	snprintf(listing + n, sizeof(listing) - n, "%.*s%s ", (int)len, name, is_dir ? "/" : "");
}

static const char *ls(const char *path, int *err)
{
	listing[0] = '\0';
	*err = pseudofs_list(path, collect, NULL);
	return listing;
}

/* Registered once, in a scrambled order; every case sees the same tree. */
static void setup(void)
{
	static bool done;
	struct pseudo_file *all[] = {&f_nr,	 &f_hp1g, &f_vmstat,  &f_sysdot,
				     &f_meminfo, &f_hvo,  &f_sysdash, &f_hp};

	if (done)
		return;
	done = true;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (pseudofs_register(all[i]) != 0)
			abort();
}

HOST_TEST(register_rejects_bad_paths)
{
	struct pseudo_file bad[] = {FILE_AT("proc/x"), FILE_AT("/proc//x"), FILE_AT("/proc/x/"),
				    FILE_AT("/"),      FILE_AT(""),	    FILE_AT(NULL)};

	setup();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, pseudofs_register(&bad[i]));
}

HOST_TEST(register_rejects_duplicates_and_file_dir_clashes)
{
	struct pseudo_file dup = FILE_AT("/proc/meminfo");
	struct pseudo_file as_dir = FILE_AT("/proc/meminfo/x");
	struct pseudo_file as_file = FILE_AT("/proc/sys");

	setup();
	EXPECT_EQ(-EEXIST, pseudofs_register(&dup));
	EXPECT_EQ(-EEXIST, pseudofs_register(&f_meminfo));
	EXPECT_EQ(-EEXIST, pseudofs_register(&as_dir));
	EXPECT_EQ(-EEXIST, pseudofs_register(&as_file));
}

HOST_TEST(lookup_normalises)
{
	setup();
	EXPECT_TRUE(pseudofs_lookup("/proc/meminfo") == &f_meminfo);
	EXPECT_TRUE(pseudofs_lookup("//proc///meminfo") == &f_meminfo);
	EXPECT_TRUE(pseudofs_lookup("/proc/meminfo/") == NULL); /* ENOTDIR */
	EXPECT_TRUE(pseudofs_lookup("proc/meminfo") == NULL);
	EXPECT_TRUE(pseudofs_lookup("/proc/meminf") == NULL);
	EXPECT_TRUE(pseudofs_lookup("/proc") == NULL);
	EXPECT_TRUE(pseudofs_lookup("") == NULL);
}

/* What Linux's path walk says, for every way a path can miss a file. */
HOST_TEST(resolve_errors_like_linux)
{
	char longpath[PSEUDOFS_PATH_MAX + 16];
	struct pseudo_file *f;

	setup();
	EXPECT_EQ(0, pseudofs_resolve("/proc//meminfo", &f));
	EXPECT_TRUE(f == &f_meminfo);
	EXPECT_EQ(-ENOTDIR, pseudofs_resolve("/proc/meminfo/", &f));
	EXPECT_TRUE(f == NULL);
	EXPECT_EQ(-ENOTDIR, pseudofs_resolve("/proc/meminfo//", &f));
	EXPECT_EQ(-ENOTDIR, pseudofs_resolve("/proc/meminfo/x", &f));
	EXPECT_EQ(-ENOTDIR, pseudofs_resolve("/proc/sys/vm/nr_hugepages/", &f));
	EXPECT_EQ(-EISDIR, pseudofs_resolve("/proc/sys/", &f));
	EXPECT_EQ(-EISDIR, pseudofs_resolve("/", &f));
	EXPECT_EQ(-ENOENT, pseudofs_resolve("/proc/nope", &f));
	EXPECT_EQ(-ENOENT, pseudofs_resolve("/proc/nope/", &f));
	EXPECT_EQ(-ENOENT, pseudofs_resolve("proc/meminfo", &f));
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, pseudofs_resolve(longpath, &f));
	EXPECT_TRUE(f == NULL);
}

HOST_TEST(normalize_errors)
{
	char out[8];

	EXPECT_EQ(-ENOENT, pseudofs_normalize("a/b", out, sizeof(out)));
	EXPECT_EQ(-ENAMETOOLONG, pseudofs_normalize("/abcdefghij", out, sizeof(out)));
	EXPECT_EQ(0, pseudofs_normalize("///", out, sizeof(out)));
	EXPECT_STREQ("/", out);
	EXPECT_EQ(0, pseudofs_normalize("/a//b/", out, sizeof(out)));
	EXPECT_STREQ("/a/b", out);
}

HOST_TEST(directories_are_implied)
{
	setup();
	EXPECT_TRUE(pseudofs_is_dir("/"));
	EXPECT_TRUE(pseudofs_is_dir("/proc"));
	EXPECT_TRUE(pseudofs_is_dir("/proc/sys/vm/"));
	EXPECT_TRUE(!pseudofs_is_dir("/proc/meminfo"));
	EXPECT_TRUE(!pseudofs_is_dir("/pro"));
	EXPECT_TRUE(!pseudofs_is_dir("/proc/sys/v"));
}

HOST_TEST(list_sorted_unique_with_dirs)
{
	int err;

	setup();
	EXPECT_STREQ("proc/ sys/ ", ls("/", &err));
	EXPECT_EQ(0, err);
	EXPECT_STREQ("meminfo sys/ sys-x sys.a vmstat ", ls("/proc", &err));
	EXPECT_STREQ("hugetlb_optimize_vmemmap nr_hugepages ", ls("//proc/sys/vm//", &err));
	EXPECT_STREQ("hugepages-1048576kB/ hugepages-2048kB/ ",
		     ls("/sys/kernel/mm/hugepages", &err));
	EXPECT_STREQ("", ls("/nope", &err));
	EXPECT_EQ(-ENOENT, err);
	ls("/proc/meminfo", &err);
	EXPECT_EQ(-ENOTDIR, err);
	ls("proc", &err);
	EXPECT_EQ(-ENOENT, err);
	ls("/proc/meminfo/", &err);
	EXPECT_EQ(-ENOTDIR, err);
	ls("/proc/meminfo/x", &err);
	EXPECT_EQ(-ENOTDIR, err);
}

HOST_TEST(unregister_and_dynamic_files)
{
	struct pseudo_file dyn = FILE_AT("/proc/dyn/a");
	int err;

	setup();
	EXPECT_EQ(0, pseudofs_register(&dyn));
	EXPECT_STREQ("dyn/ meminfo sys/ sys-x sys.a vmstat ", ls("/proc", &err));
	pseudofs_unregister(&dyn);
	EXPECT_TRUE(pseudofs_lookup("/proc/dyn/a") == NULL);
	EXPECT_TRUE(!pseudofs_is_dir("/proc/dyn"));
	EXPECT_EQ(0, pseudofs_register(&dyn)); /* and back again */
	pseudofs_unregister(&dyn);
}

HOST_TEST(read_write_permissions)
{
	struct pseudo_file ro = {.path = "/t/ro", .show = show_hello, .data = "y"};
	struct pseudo_file wo = {.path = "/t/wo"};
	char buf[64];
	struct seq_buf s;

	seq_buf_init(&s, buf, sizeof(buf));
	EXPECT_EQ(0, pseudofs_read(&ro, &s));
	EXPECT_STREQ("hello y\n", buf);
	EXPECT_EQ(-EACCES, pseudofs_write(&ro, "1\n", 2));
	EXPECT_EQ(-EACCES, pseudofs_read(&wo, &s));
}

HOST_TEST(seq_buf_overflow_keeps_prefix)
{
	char buf[8];
	struct seq_buf s;

	seq_buf_init(&s, buf, sizeof(buf));
	seq_printf(&s, "%d", 1234);
	EXPECT_TRUE(!s.overflow);
	seq_printf(&s, "%s", "56789");
	EXPECT_TRUE(s.overflow);
	EXPECT_EQ(7, s.len);
	EXPECT_STREQ("1234567", buf);
	seq_puts(&s, "more");
	EXPECT_EQ(7, s.len);
	seq_buf_init(&s, buf, sizeof(buf));
	seq_write(&s, "abcdefghij", 10);
	EXPECT_TRUE(s.overflow);
	EXPECT_STREQ("abcdefg", buf);
}

/* Prints @data's count of 100-byte lines: "00042 xxx...\n". */
static int show_lines(struct seq_buf *s, void *data)
{
	for (long i = 0; i < *(long *)data; i++)
		seq_printf(s, "%05ld %093d\n", i, 0);
	return 0;
}

static int show_fails_when_big(struct seq_buf *s, void *data)
{
	show_lines(s, data);
	return s->size > 4096 ? -EIO : 0;
}

/* Read a file of @lines lines starting on a @first-byte buffer; 0 or -errno. */
static int read_lines(long lines, size_t first, int (*show)(struct seq_buf *, void *), size_t *len,
		      char *last)
{
	struct pseudo_file f = {.path = "/t/big", .show = show, .data = &lines};
	char *buf = malloc(first);
	struct seq_buf s;
	int err;

	seq_buf_init(&s, buf, first);
	err = pseudofs_read_whole(&f, &s);
	*len = s.len;
	if (!err && s.len >= 100)
		memcpy(last, s.buf + s.len - 100, 100);
	seq_buf_release(&s);
	free(buf);
	return err;
}

HOST_TEST(read_whole_grows_past_the_first_buffer)
{
	char last[101] = "";
	size_t len;

	EXPECT_EQ(0, read_lines(3, 16384, show_lines, &len, last));
	EXPECT_EQ(300, len);
	EXPECT_EQ(0, host_seq_buf_biggest); /* fitted: nothing allocated */
	/* 255 CPUs' worth of /proc/cpuinfo and more: 40000 bytes from a 16 KiB start. */
	EXPECT_EQ(0, read_lines(400, 16384, show_lines, &len, last));
	EXPECT_EQ(40000, len);
	EXPECT_TRUE(strncmp(last, "00399 000", 9) == 0);
	EXPECT_EQ(65536, host_seq_buf_biggest);
	EXPECT_EQ(0, host_seq_buf_live); /* released */
	/* A tiny first buffer grows by whole pages; exactly full still fits. */
	EXPECT_EQ(0, read_lines(81, 8, show_lines, &len, last));
	EXPECT_EQ(8100, len);
	EXPECT_EQ(0, host_seq_buf_live);
}

HOST_TEST(read_whole_fails_cleanly)
{
	char last[101];
	size_t len;

	/* Past SEQ_BUF_MAX (4 MiB): File too large, nothing truncated is shown. */
	EXPECT_EQ(-EFBIG, read_lines(42000, 16384, show_lines, &len, last));
	EXPECT_EQ(0, len);
	EXPECT_EQ(0, host_seq_buf_live);
	host_seq_buf_fail_above = 32768;
	EXPECT_EQ(-ENOMEM, read_lines(400, 16384, show_lines, &len, last));
	EXPECT_EQ(0, len);
	host_seq_buf_fail_above = 0;
	EXPECT_EQ(-EIO, read_lines(400, 1024, show_fails_when_big, &len, last));
	EXPECT_EQ(0, host_seq_buf_live);
}

HOST_TEST_MAIN("pseudofs")
