/*
 * In-kernel check of whole pseudo-file reads: a show far past cat's 16 KiB
 * first buffer (what /proc/cpuinfo prints at -smp 255) reads whole through
 * the buddy allocator, and the buffer goes back (the host tier tests the
 * growth rules; this proves the kernel's seq_buf_alloc/free agree).
 */
#include "kernel/ktest.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/page_alloc.h"

#define BIG_LINES 1000 /* 64 bytes each: 64000 bytes, four times cat's first buffer */

static int show_numbered_lines(struct seq_buf *s, void *data)
{
	for (int i = 0; i < BIG_LINES; i++)
		seq_printf(s, "line %04d %053d\n", i, 0);
	return 0;
}

static void read_whole_past_first_buffer(struct ktest *t)
{
	static char first[16384];
	struct pseudo_file f = {.path = "/ktest/big", .show = show_numbered_lines, .mode = 0444};
	struct pseudo_ref r = {&f, NULL};
	unsigned long free_before = nr_free_pages();
	struct seq_buf s;
	int err;

	seq_buf_init(&s, first, sizeof(first));
	err = pseudofs_read_whole(&r, &s);
	if (err == -ENOMEM) {
		seq_buf_release(&s);
		KTEST_SKIP(t, "no 64 KiB block free (fault injection armed?)");
	}
	KEXPECT_EQ(t, 0, err);
	KEXPECT_EQ(t, BIG_LINES * 64, s.len);
	KEXPECT_TRUE(t, s.allocated && !s.overflow);
	KEXPECT_TRUE(t, s.len >= 64 && memcmp(s.buf + s.len - 64, "line 0999 ", 10) == 0);
	seq_buf_release(&s);
	KEXPECT_EQ(t, free_before, nr_free_pages());
}

static const struct ktest_case pseudofs_cases[] = {
    KTEST_CASE(read_whole_past_first_buffer),
    {},
};
DEFINE_KTEST_SUITE(pseudofs, pseudofs_cases);
