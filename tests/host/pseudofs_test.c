/*
 * Host tests for kernel/pseudofs.c: registration rules, path resolution with
 * Linux's errors, implied directories, seq_buf, and whole reads of any length.
 */
#include "tests/host/host_test.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "tests/host/stubs/console_stub.h"
#include "tests/host/stubs/seq_buf_mem_stub.h"

static int show_hello(struct seq_buf *s, void *data)
{
	seq_printf(s, "hello %s\n", (const char *)data);
	return 0;
}

static int store_nothing(const char *buf, size_t len, void *data)
{
	return 0;
}

#define FILE_AT(p)                                                                                 \
	{                                                                                          \
		.path = (p), .show = show_hello, .data = "x", .mode = 0444                         \
	}

/* The tree every case sees, declared as the kernel declares its files. */
#define DECLARE_AT(var, p) DEFINE_PSEUDO_FILE_DATA(var, p, show_hello, NULL, 0444, "x")
DECLARE_AT(f_nr, "/proc/sys/vm/nr_hugepages");
DECLARE_AT(f_hp1g, "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages");
DECLARE_AT(f_vmstat, "/proc/vmstat");
DECLARE_AT(f_sysdot, "/proc/sys.a");
DECLARE_AT(f_meminfo, "/proc/meminfo");
DECLARE_AT(f_hvo, "/proc/sys/vm/hugetlb_optimize_vmemmap");
DECLARE_AT(f_sysdash, "/proc/sys-x");
DECLARE_AT(f_hp, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");

/* Declarations pseudofs_init must leave out, saying why (one of the two /dup/x). */
DEFINE_PSEUDO_FILE_DATA(bad_mode, "/bad/mode", show_hello, NULL, 0644, "x"); /* no store */
DEFINE_PSEUDO_FILE_DATA(dup_1, "/dup/x", show_hello, NULL, 0444, "1");
DEFINE_PSEUDO_FILE_DATA(dup_2, "/dup/x", show_hello, NULL, 0444, "2");
DEFINE_PSEUDO_FILE_DATA(bad_orphan, "/bad/*/x", show_hello, NULL, 0444, "x"); /* no family */

/* Instances: /fam/NAME for NAME in {a, b}, each with /fam/NAME/sub/c. */
static const char *const fam_names[] = {"a", "b"};

static void *fam_lookup(void *parent, const char *name)
{
	for (int i = 0; i < 2; i++)
		if (!strcmp(name, fam_names[i]))
			return (void *)fam_names[i];
	return NULL;
}

static void fam_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	for (int i = 0; i < 2; i++)
		emit(fam_names[i], ctx);
}

static char nested_data[2][8];

static void *nested_lookup(void *parent, const char *name)
{
	int i = (const char *)parent == fam_names[0] ? 0 : 1;

	if (strcmp(name, "c"))
		return NULL;
	snprintf(nested_data[i], sizeof(nested_data[i]), "%s.c", (const char *)parent);
	return nested_data[i];
}

static void nested_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	emit("c", ctx);
}

/* "b" is a link to "a", as /proc/self is to /proc/PID. */
static int fam_readlink(void *inst, const char *name, char *buf, size_t size)
{
	if (strcmp(name, "b"))
		return -EINVAL;
	return snprintf(buf, size, "a");
}

static const struct pseudo_dir_ops fam_ops = {
    .lookup = fam_lookup, .iterate = fam_iterate, .readlink = fam_readlink};
static const struct pseudo_dir_ops nested_ops = {.lookup = nested_lookup,
						 .iterate = nested_iterate};
DEFINE_PSEUDO_DIR(fam_dir, "/fam/*", &fam_ops);
DEFINE_PSEUDO_FILE(fam_name, "/fam/*/name", show_hello, NULL, 0444);
DEFINE_PSEUDO_DIR(fam_nested, "/fam/*/sub/*", &nested_ops);
DEFINE_PSEUDO_FILE(fam_leaf, "/fam/*/sub/*/leaf", show_hello, NULL, 0444);
DEFINE_PSEUDO_FILE(fam_static, "/fam/zz", show_hello, NULL, 0444);

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

/* The declared files are loaded once; every case sees the same tree. */
static void setup(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	host_console_reset();
	pseudofs_init();
}

/* A path's file, or NULL for any other outcome. */
static struct pseudo_file *lookup(const char *path)
{
	struct pseudo_ref r;

	return pseudofs_lookup(path, &r) ? r.f : NULL;
}

HOST_TEST(init_leaves_out_bad_declarations)
{
	struct pseudo_file *dup;

	setup();
	EXPECT_TRUE(strstr(host_console, "/bad/mode: left out: bad path or mode") != NULL);
	EXPECT_TRUE(strstr(host_console, "/dup/x: left out: registered twice") != NULL);
	EXPECT_TRUE(strstr(host_console, "/bad/*/x: left out: no DEFINE_PSEUDO_DIR") != NULL);
	EXPECT_TRUE(lookup("/bad/mode") == NULL);
	dup = lookup("/dup/x");
	EXPECT_TRUE(dup == &dup_1 || dup == &dup_2);
	EXPECT_TRUE(!pseudofs_is_dir("/bad"));
}

HOST_TEST(register_rejects_bad_paths)
{
	struct pseudo_file bad[] = {FILE_AT("proc/x"), FILE_AT("/proc//x"), FILE_AT("/proc/x/"),
				    FILE_AT("/"),      FILE_AT(""),	    FILE_AT(NULL)};

	setup();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, pseudofs_add(&bad[i]));
}

HOST_TEST(register_rejects_modes_that_lie)
{
	struct pseudo_file rw_no_store = {.path = "/m/a", .show = show_hello, .mode = 0644};
	struct pseudo_file ro_with_store = {.path = "/m/b", .store = store_nothing, .mode = 0444};
	struct pseudo_file no_mode = {.path = "/m/c", .show = show_hello};
	struct pseudo_file odd_bits = {.path = "/m/d", .show = show_hello, .mode = 04444};

	setup();
	EXPECT_EQ(-EINVAL, pseudofs_add(&rw_no_store));
	EXPECT_EQ(-EINVAL, pseudofs_add(&ro_with_store));
	EXPECT_EQ(-EINVAL, pseudofs_add(&no_mode));
	EXPECT_EQ(-EINVAL, pseudofs_add(&odd_bits));
	EXPECT_TRUE(!pseudofs_is_dir("/m"));
}

HOST_TEST(register_rejects_duplicates_and_file_dir_clashes)
{
	struct pseudo_file dup = FILE_AT("/proc/meminfo");
	struct pseudo_file as_dir = FILE_AT("/proc/meminfo/x");
	struct pseudo_file as_file = FILE_AT("/proc/sys");
	struct pseudo_file over_family = FILE_AT("/fam/*");

	setup();
	EXPECT_EQ(-EEXIST, pseudofs_add(&dup));
	EXPECT_EQ(-EEXIST, pseudofs_add(&f_meminfo));
	EXPECT_EQ(-EEXIST, pseudofs_add(&as_dir));
	EXPECT_EQ(-EEXIST, pseudofs_add(&as_file));
	EXPECT_EQ(-EEXIST, pseudofs_add(&over_family));
}

HOST_TEST(lookup_normalises)
{
	setup();
	EXPECT_TRUE(lookup("/proc/meminfo") == &f_meminfo);
	EXPECT_TRUE(lookup("//proc///meminfo") == &f_meminfo);
	EXPECT_TRUE(lookup("/proc/meminfo/") == NULL); /* ENOTDIR */
	EXPECT_TRUE(lookup("proc/meminfo") == NULL);
	EXPECT_TRUE(lookup("/proc/meminf") == NULL);
	EXPECT_TRUE(lookup("/proc") == NULL);
	EXPECT_TRUE(lookup("") == NULL);
}

/* What Linux's path walk says, for every way a path can miss a file. */
HOST_TEST(resolve_errors_like_linux)
{
	char longpath[PSEUDOFS_PATH_MAX + 16];
	struct pseudo_ref f;

	setup();
	EXPECT_EQ(0, pseudofs_resolve("/proc//meminfo", &f));
	EXPECT_TRUE(f.f == &f_meminfo);
	EXPECT_EQ(-ENOTDIR, pseudofs_resolve("/proc/meminfo/", &f));
	EXPECT_TRUE(f.f == NULL);
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
	EXPECT_TRUE(f.f == NULL);
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
	EXPECT_STREQ("dup/ fam/ proc/ sys/ ", ls("/", &err));
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

/* "*" names what the family's lookup knows, and nothing else. */
HOST_TEST(families_resolve_instances)
{
	struct pseudo_ref r;
	char buf[64];
	struct seq_buf s;

	setup();
	EXPECT_EQ(0, pseudofs_resolve("/fam/b/name", &r));
	EXPECT_TRUE(r.f == &fam_name);
	EXPECT_STREQ("b", (const char *)r.data);
	seq_buf_init(&s, buf, sizeof(buf));
	EXPECT_EQ(0, pseudofs_read(&r, &s));
	EXPECT_STREQ("hello b\n", buf);
	EXPECT_EQ(0, pseudofs_resolve("/fam/a/sub/c/leaf", &r));
	EXPECT_STREQ("a.c", (const char *)r.data);
	EXPECT_EQ(-EISDIR, pseudofs_resolve("/fam/a", &r));
	EXPECT_EQ(-EISDIR, pseudofs_resolve("/fam/a/sub/c", &r));
	EXPECT_EQ(-ENOENT, pseudofs_resolve("/fam/x/name", &r));
	EXPECT_EQ(-ENOENT, pseudofs_resolve("/fam/x", &r));
	EXPECT_EQ(-ENOENT, pseudofs_resolve("/fam/a/sub/d/leaf", &r));
	EXPECT_EQ(-ENOENT, pseudofs_resolve("/fam/*/name", &r)); /* "*" is no name */
	EXPECT_EQ(-ENOENT, pseudofs_resolve("/fam/*", &r));
	EXPECT_EQ(-ENOTDIR, pseudofs_resolve("/fam/a/name/x", &r));
	EXPECT_EQ(-ENOTDIR, pseudofs_resolve("/fam/a/name/", &r));
	EXPECT_EQ(0, pseudofs_resolve("/fam/zz", &r));
	EXPECT_TRUE(r.data == NULL); /* a file's own data: it declared none */
}

HOST_TEST(readlink_of_instances)
{
	char buf[16];

	setup();
	EXPECT_EQ(1, pseudofs_readlink("/fam/b", buf, sizeof(buf)));
	EXPECT_STREQ("a", buf);
	EXPECT_EQ(1, pseudofs_readlink("//fam/b/", buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, pseudofs_readlink("/fam/a", buf, sizeof(buf)));	 /* no link */
	EXPECT_EQ(-EINVAL, pseudofs_readlink("/fam/a/name", buf, sizeof(buf)));	 /* a file */
	EXPECT_EQ(-EINVAL, pseudofs_readlink("/fam", buf, sizeof(buf)));	 /* a directory */
	EXPECT_EQ(-EINVAL, pseudofs_readlink("/fam/a/sub/c", buf, sizeof(buf))); /* no readlink */
	EXPECT_EQ(-ENOENT, pseudofs_readlink("/fam/x", buf, sizeof(buf)));
	EXPECT_EQ(-ENOTDIR, pseudofs_readlink("/fam/a/name/x", buf, sizeof(buf)));
}

HOST_TEST(families_list_instances_then_names)
{
	int err;

	setup();
	EXPECT_STREQ("a/ b/ zz ", ls("/fam", &err));
	EXPECT_EQ(0, err);
	EXPECT_STREQ("name sub/ ", ls("/fam/a", &err));
	EXPECT_STREQ("c/ ", ls("/fam/b/sub", &err));
	EXPECT_STREQ("leaf ", ls("/fam/b/sub/c", &err));
	EXPECT_STREQ("", ls("/fam/x", &err));
	EXPECT_EQ(-ENOENT, err);
	ls("/fam/a/name", &err);
	EXPECT_EQ(-ENOTDIR, err);
}

HOST_TEST(read_write_permissions)
{
	struct pseudo_file ro = {.path = "/t/ro", .show = show_hello, .data = "y"};
	struct pseudo_file wo = {.path = "/t/wo", .store = store_nothing};
	struct pseudo_ref ro_ref = {&ro, "y"}, wo_ref = {&wo, NULL};
	char buf[64];
	struct seq_buf s;

	seq_buf_init(&s, buf, sizeof(buf));
	EXPECT_EQ(0, pseudofs_read(&ro_ref, &s));
	EXPECT_STREQ("hello y\n", buf);
	EXPECT_EQ(-EACCES, pseudofs_write(&ro_ref, "1\n", 2));
	EXPECT_EQ(-EACCES, pseudofs_read(&wo_ref, &s));
	EXPECT_EQ(-EACCES, pseudofs_read_at(&ro_ref, buf, 8, 0));
	EXPECT_TRUE(pseudofs_readable(&ro_ref) && !pseudofs_writable(&ro_ref));
	EXPECT_TRUE(!pseudofs_readable(&wo_ref) && pseudofs_writable(&wo_ref));
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
	struct pseudo_ref r = {&f, &lines};
	char *buf = malloc(first);
	struct seq_buf s;
	int err;

	seq_buf_init(&s, buf, first);
	err = pseudofs_read_whole(&r, &s);
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

/* Linux's "%*pbl" and "%*pb", as /sys/devices/system/cpu and status print masks. */
HOST_TEST(seq_bitmap_formats_as_linux)
{
	uint64_t bits[2] = {0x10fULL | (1ULL << 63), 0x1};
	char buf[128];
	struct seq_buf s;

	seq_buf_init(&s, buf, sizeof(buf));
	seq_bitmap_list(&s, bits, 128);
	EXPECT_STREQ("0-3,8,63-64", buf);
	seq_buf_init(&s, buf, sizeof(buf));
	seq_bitmap(&s, bits, 4);
	EXPECT_STREQ("f", buf);
	seq_buf_init(&s, buf, sizeof(buf));
	seq_bitmap(&s, bits, 12);
	EXPECT_STREQ("10f", buf);
	seq_buf_init(&s, buf, sizeof(buf));
	seq_bitmap(&s, bits, 65);
	EXPECT_STREQ("1,80000000,0000010f", buf);
	seq_buf_init(&s, buf, sizeof(buf));
	bits[0] = 0;
	seq_bitmap_list(&s, bits, 1);
	EXPECT_STREQ("", buf);
}

/* ---- "a [b] c" knobs (kernel/pseudofs_choice.c) ---- */

static const char *const words[] = {"always", "defer+madvise", "never"};
static int chosen = 1, busy;

static int set_unless_busy(int i)
{
	if (busy)
		return -EBUSY;
	chosen = i;
	return 0;
}

static const struct pseudo_choice plain = {.names = words, .nr = 3, .value = &chosen};
static const struct pseudo_choice guarded = {
    .names = words, .nr = 3, .value = &chosen, .set = set_unless_busy};

static const char *choice_text(const struct pseudo_choice *c)
{
	static char buf[64];
	struct seq_buf s;

	seq_buf_init(&s, buf, sizeof(buf));
	pseudo_choice_show(&s, (void *)c);
	return buf;
}

HOST_TEST(choice_shows_and_takes_one_word)
{
	chosen = 1;
	EXPECT_STREQ("always [defer+madvise] never\n", choice_text(&plain));
	EXPECT_EQ(0, pseudo_choice_store("never\n", 6, (void *)&plain));
	EXPECT_EQ(2, chosen);
	EXPECT_STREQ("always defer+madvise [never]\n", choice_text(&plain));
	EXPECT_STREQ("never", pseudo_choice_word(&plain));
	EXPECT_EQ(0, pseudo_choice_set(&plain, "always"));
	EXPECT_EQ(0, chosen);
}

/* Bad input: -EINVAL and the value stays, whatever the knob. */
HOST_TEST(choice_refuses_and_changes_nothing)
{
	static const char *const bad[] = {"",	   "\n",	"nev",		"never ", " never",
					  "Never", "never\n\n", "always never", "defer",  "2"};

	chosen = 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, pseudo_choice_store(bad[i], strlen(bad[i]), (void *)&plain));
		EXPECT_EQ(-EINVAL, pseudo_choice_set(&guarded, bad[i]));
	}
	EXPECT_EQ(1, chosen);
	busy = 1; /* a setter that refuses: its error, nothing changed */
	EXPECT_EQ(-EBUSY, pseudo_choice_set(&guarded, "never"));
	EXPECT_EQ(1, chosen);
	busy = 0;
	EXPECT_EQ(0, pseudo_choice_set(&guarded, "never"));
	EXPECT_EQ(2, chosen);
}

HOST_TEST_MAIN("pseudofs")
