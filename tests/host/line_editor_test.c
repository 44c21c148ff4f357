/* Host tests for kernel/line_editor.c: editing keys, CRLF, escapes, history, binary noise. */
#include "tests/host/host_test.h"
#include "tests/host/stubs/console_stub.h"
#include "kernel/line_editor.h"

static struct line_editor le;

/* Feed @s; returns the last non-LE_CONTINUE result (LE_CONTINUE if none). */
static int feed(const char *s, size_t n)
{
	int last = LE_CONTINUE;

	for (size_t i = 0; i < n; i++) {
		int r = line_editor_feed(&le, (uint8_t)s[i]);

		if (r != LE_CONTINUE)
			last = r;
	}
	return last;
}
#define FEED(lit) feed(lit, sizeof(lit) - 1)

static void fresh(void)
{
	line_editor_init(&le);
	host_console_reset();
}

HOST_TEST(plain_line_echoed)
{
	fresh();
	EXPECT_EQ(LE_LINE, FEED("echo hi\r"));
	EXPECT_STREQ("echo hi", le.line);
	EXPECT_STREQ("echo hi\r\n", host_console);
}

HOST_TEST(crlf_counts_once_lf_alone_ends)
{
	int lines = 0;
	const char *in = "a\r\nb\nc\r\rd\n";

	fresh();
	for (const char *p = in; *p; p++)
		lines += line_editor_feed(&le, (uint8_t)*p) == LE_LINE;
	EXPECT_EQ(5, lines); /* a, b, c, "", d */
	EXPECT_STREQ("d", le.line);
}

HOST_TEST(backspace_del_and_ctrl_u)
{
	fresh();
	EXPECT_EQ(LE_LINE, FEED("abx\bc\x7f\x7f"
				"d\n"));
	EXPECT_STREQ("ad", le.line);
	EXPECT_STREQ("abx\b \bc\b \b\b \bd\r\n", host_console);
	EXPECT_EQ(LE_LINE, FEED("\b\b\bok\n")); /* backspace on empty line: nothing */
	EXPECT_STREQ("ok", le.line);
	host_console_reset();
	EXPECT_EQ(LE_LINE, FEED("junk\x15"
				"ls\n"));
	EXPECT_STREQ("ls", le.line);
	EXPECT_STREQ("junk\b \b\b \b\b \b\b \bls\r\n", host_console);
}

HOST_TEST(ctrl_c_cancels)
{
	fresh();
	EXPECT_EQ(LE_CANCEL, FEED("poweroff\x03"));
	EXPECT_EQ(0, le.len);
	EXPECT_EQ(LE_LINE, FEED("true\n"));
	EXPECT_STREQ("true", le.line);
}

HOST_TEST(escape_sequences_swallowed)
{
	fresh();
	/* arrows left/right, Delete (ESC [ 3 ~), F1 (ESC O P), Alt-x, ESC [ 1 ; 5 C */
	EXPECT_EQ(LE_LINE, FEED("a\x1b[D\x1b[C\x1b[3~\x1bOP\x1bx\x1b[1;5Cb\n"));
	EXPECT_STREQ("ab", le.line);
	EXPECT_STREQ("ab\r\n", host_console);
}

HOST_TEST(broken_escape_still_ends_line)
{
	fresh();
	EXPECT_EQ(LE_LINE, FEED("a\x1b[12\n"));
	EXPECT_STREQ("a", le.line);
	EXPECT_EQ(LE_LINE, FEED("b\x1b\r"));
	EXPECT_STREQ("b", le.line);
}

HOST_TEST(control_and_high_bytes_dropped_and_counted)
{
	fresh();
	EXPECT_EQ(LE_LINE, feed("a\0\x01\x02\x80\xff\x04z\n", 9));
	EXPECT_STREQ("az", le.line);
	EXPECT_EQ(6, le.dropped);
	EXPECT_EQ(LE_LINE, FEED("x\ty\n"));
	EXPECT_STREQ("x y", le.line);
}

HOST_TEST(too_long_reported_once_then_discarded)
{
	static char big[3000];
	int too_long = 0, cancel = 0, lines = 0;

	fresh();
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\n';
	for (size_t i = 0; i < sizeof(big); i++) {
		int r = line_editor_feed(&le, (uint8_t)big[i]);

		too_long += r == LE_TOO_LONG;
		cancel += r == LE_CANCEL;
		lines += r == LE_LINE;
		ASSERT_TRUE(le.len < SHELL_LINE_MAX);
	}
	EXPECT_EQ(1, too_long);
	EXPECT_EQ(1, cancel);
	EXPECT_EQ(0, lines);
	EXPECT_EQ(LE_LINE, FEED("ok\n"));
	EXPECT_STREQ("ok", le.line);
}

HOST_TEST(exactly_max_fits)
{
	static char line[SHELL_LINE_MAX];

	fresh();
	memset(line, 'a', SHELL_LINE_MAX - 1);
	line[SHELL_LINE_MAX - 1] = '\n';
	EXPECT_EQ(LE_LINE, feed(line, sizeof(line)));
	EXPECT_EQ(SHELL_LINE_MAX - 1, strlen(le.line));
}

HOST_TEST(history_up_down)
{
	fresh();
	line_editor_add_history(&le, "first");
	line_editor_add_history(&le, "second");
	line_editor_add_history(&le, "");
	EXPECT_EQ(LE_LINE, FEED("\x1b[A\n"));
	EXPECT_STREQ("second", le.line);
	EXPECT_EQ(LE_LINE, FEED("xy\x1b[A\x1b[A\x1b[A\n"));
	EXPECT_STREQ("first", le.line); /* stops at the oldest */
	EXPECT_EQ(LE_LINE, FEED("\x1b[A\x1b[A\x1b[B\n"));
	EXPECT_STREQ("second", le.line);
	EXPECT_EQ(LE_LINE, FEED("\x1b[A\x1b[B\n"));
	EXPECT_STREQ("", le.line);
	for (int i = 0; i < 20; i++) {
		char h[16];

		snprintf(h, sizeof(h), "h%d", i);
		line_editor_add_history(&le, h);
	}
	EXPECT_EQ(LE_LINE, FEED("\x1b[A\x1b[A\n"));
	EXPECT_STREQ("h18", le.line);
}

HOST_TEST(million_random_bytes)
{
	unsigned int seed = 12345;
	long results[4] = {0};

	fresh();
	for (int i = 0; i < 1000000; i++) {
		int r;

		seed = seed * 1103515245u + 12345u;
		r = line_editor_feed(&le, (uint8_t)(seed >> 16));
		ASSERT_TRUE(r >= LE_CONTINUE && r <= LE_TOO_LONG);
		ASSERT_TRUE(le.len < SHELL_LINE_MAX);
		results[r]++;
		if (r == LE_LINE) {
			ASSERT_EQ(le.len, strlen(le.line));
			for (size_t k = 0; k < le.len; k++)
				ASSERT_TRUE(le.line[k] >= 0x20 && le.line[k] < 0x7f);
		}
		if (host_console_len > HOST_CONSOLE_MAX / 2)
			host_console_reset();
	}
	EXPECT_TRUE(results[LE_LINE] > 1000);
	EXPECT_TRUE(le.dropped > 100000);
	/* And it still edits normally afterwards. */
	FEED("\x03");
	EXPECT_EQ(LE_LINE, FEED("help\n"));
	EXPECT_STREQ("help", le.line);
}

HOST_TEST_MAIN("line_editor")
