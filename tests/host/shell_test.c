/*
 * Host tests for the console language (kernel/shell.c, shell_builtins.c):
 * words, quotes, comments, `> PATH`, error wording, failure counting, time,
 * scripts full of noise, and the interactive loop, against test pseudo-files.
 */
#include "tests/host/host_test.h"
#include "tests/host/stubs/console_stub.h"
#include "tests/host/stubs/seq_buf_mem_stub.h"
#include "kernel/pseudofs.h"
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"

static unsigned long long knob = 1;
static char last_store[64];
static int stores;

static int knob_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%llu\n", knob);
	return 0;
}

static int knob_store(const char *buf, size_t len, void *data)
{
	unsigned long long v;

	stores++;
	snprintf(last_store, sizeof(last_store), "%.*s", (int)len, buf);
	if (buf[len] != '\0')
		return -EFAULT; /* the shell promises a NUL after the bytes */
	if (kstrtoull(buf, 0, &v))
		return -EINVAL;
	knob = v;
	return 0;
}

static int big_show(struct seq_buf *s, void *data)
{
	for (int i = 0; i < 2000; i++)
		seq_printf(s, "line %04d\n", i); /* 20000 bytes */
	return 0;
}

static int failing_show(struct seq_buf *s, void *data)
{
	seq_puts(s, "partial");
	return -EIO;
}

DEFINE_PSEUDO_FILE(knob_file, "/test/knob", knob_show, knob_store, 0644);
DEFINE_PSEUDO_FILE(ro_file, "/test/ro", knob_show, NULL, 0444);
DEFINE_PSEUDO_FILE(wo_file, "/test/wo", NULL, knob_store, 0200);
DEFINE_PSEUDO_FILE(big_file, "/test/big", big_show, NULL, 0444);
DEFINE_PSEUDO_FILE(broken_file, "/test/broken", failing_show, NULL, 0444);
DEFINE_PSEUDO_FILE(deep_file, "/test/sub/deep", knob_show, NULL, 0444);
DEFINE_PSEUDO_FILE(meminfo_file, "/proc/meminfo", knob_show, NULL, 0444);

static void setup(void)
{
	static bool done;

	if (!done) {
		pseudofs_init();
		done = true;
	}
	host_console_reset();
	shell_reset_failures();
	host_clock_step = 0;
	knob = 1;
	stores = 0;
	last_store[0] = '\0';
}

/* Run one line on a clean console; the output is in host_console. */
static int run(const char *line)
{
	host_console_reset();
	return shell_run_line(line);
}

HOST_TEST(echo_words_and_quotes)
{
	setup();
	EXPECT_EQ(0, run("echo a  b\t c"));
	EXPECT_STREQ("a b c\n", host_console);
	EXPECT_EQ(0, run("echo \"a  b\" 'c  d' e\"f g\"h ''"));
	EXPECT_STREQ("a  b c  d ef gh \n", host_console);
	EXPECT_EQ(0, run("echo \"say \\\"hi\\\"\" 'it\\s' a\\ b"));
	EXPECT_STREQ("say \"hi\" it\\s a b\n", host_console);
	EXPECT_EQ(0, run("echo -n x y"));
	EXPECT_STREQ("x y", host_console);
	EXPECT_EQ(0, run("echo"));
	EXPECT_STREQ("\n", host_console);
	EXPECT_EQ(0, shell_failures());
}

HOST_TEST(comments_and_empty_lines)
{
	setup();
	EXPECT_EQ(0, run("echo a # b c"));
	EXPECT_STREQ("a\n", host_console);
	EXPECT_EQ(0, run("echo a#b \"#q\" '#'"));
	EXPECT_STREQ("a#b #q #\n", host_console);
	EXPECT_EQ(0, run("   # just a comment > /nope"));
	EXPECT_STREQ("", host_console);
	EXPECT_EQ(0, run(""));
	EXPECT_EQ(0, run(" \t "));
	EXPECT_STREQ("", host_console);
	EXPECT_EQ(0, shell_failures());
}

HOST_TEST(redirect_forms_store_text_and_newline)
{
	const char *forms[] = {"echo 5 > /test/knob",
			       "echo 5 >/test/knob",
			       "echo 5>/test/knob",
			       "echo 5 >> /test/knob",
			       "echo \"5\" > \"//test//knob\"",
			       "echo 5 > /test/knob # note",
			       "echo 0x5 > /test/knob"};

	setup();
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		knob = 1;
		EXPECT_EQ(0, run(forms[i]));
		EXPECT_EQ(5, knob);
		EXPECT_STREQ("", host_console);
	}
	EXPECT_STREQ("0x5\n", last_store);
	EXPECT_EQ(0, run("echo -n 7 > /test/knob"));
	EXPECT_STREQ("7", last_store);
	EXPECT_EQ(0, run("cat /test/knob"));
	EXPECT_STREQ("7\n", host_console);
	EXPECT_EQ(0, run("echo -n > /test/knob")); /* nothing written, nothing stored */
	EXPECT_EQ(8, stores);
	EXPECT_EQ(0, run("cat /test/ro > /test/knob")); /* any command's output */
	EXPECT_EQ(7, knob);
	EXPECT_EQ(0, shell_failures());
}

HOST_TEST(redirect_syntax_errors)
{
	setup();
	EXPECT_TRUE(run("echo 5 >") != 0);
	EXPECT_STREQ("echo: syntax error: missing file after '>'\n", host_console);
	EXPECT_TRUE(run("echo 5 > # c") != 0);
	EXPECT_STREQ("echo: syntax error: missing file after '>'\n", host_console);
	EXPECT_TRUE(run("echo 5 > /test/knob > /test/ro") != 0);
	EXPECT_STREQ("echo: syntax error: more than one '>'\n", host_console);
	EXPECT_TRUE(run("> /test/knob") != 0);
	EXPECT_STREQ("flushlab: syntax error: missing command before '>'\n", host_console);
	EXPECT_TRUE(run("echo a | cat") != 0);
	EXPECT_STREQ("echo: syntax error near unexpected token `|'\n", host_console);
	EXPECT_TRUE(run("echo a; echo b") != 0);
	EXPECT_STREQ("echo: syntax error near unexpected token `;'\n", host_console);
	EXPECT_TRUE(run("echo \"open") != 0);
	EXPECT_STREQ("echo: syntax error: unterminated quote\n", host_console);
	EXPECT_EQ(7, shell_failures());
	EXPECT_EQ(0, stores);
	EXPECT_EQ(1, knob);
}

HOST_TEST(store_and_path_errors)
{
	setup();
	EXPECT_TRUE(run("echo 12abc > /test/knob") != 0);
	EXPECT_STREQ("echo: /test/knob: Invalid argument\n", host_console);
	EXPECT_EQ(1, knob);
	EXPECT_TRUE(run("echo 5 > /test/nope") != 0);
	EXPECT_STREQ("echo: /test/nope: No such file or directory\n", host_console);
	EXPECT_TRUE(run("echo 5 > test/knob") != 0);
	EXPECT_STREQ("echo: test/knob: No such file or directory\n", host_console);
	EXPECT_TRUE(run("echo 5 > /test") != 0);
	EXPECT_STREQ("echo: /test: Is a directory\n", host_console);
	EXPECT_TRUE(run("echo 5 > /test/ro") != 0);
	EXPECT_STREQ("echo: /test/ro: Permission denied\n", host_console);
	EXPECT_TRUE(run("cat /test/big > /test/knob") != 0);
	EXPECT_STREQ("cat: /test/knob: No space left on device\n", host_console);
	EXPECT_EQ(0, run("echo 9 > /test/wo"));
	EXPECT_EQ(9, knob);
	EXPECT_EQ(6, shell_failures());
}

HOST_TEST(cat_errors)
{
	setup();
	EXPECT_TRUE(run("cat /proc/nope") != 0);
	EXPECT_STREQ("cat: /proc/nope: No such file or directory\n", host_console);
	EXPECT_TRUE(run("cat /test/wo") != 0);
	EXPECT_STREQ("cat: /test/wo: Permission denied\n", host_console);
	EXPECT_TRUE(run("cat /test/") != 0);
	EXPECT_STREQ("cat: /test/: Is a directory\n", host_console);
	EXPECT_TRUE(run("cat /test/broken") != 0);
	EXPECT_STREQ("cat: /test/broken: Input/output error\n", host_console);
	EXPECT_TRUE(run("cat meminfo") != 0);
	EXPECT_STREQ("cat: meminfo: No such file or directory\n", host_console);
	EXPECT_TRUE(run("cat") != 0);
	EXPECT_STREQ("usage: cat PATH...\n", host_console);
	EXPECT_TRUE(run("cat /test/knob /nope /test/ro") != 0); /* goes on after an error */
	EXPECT_STREQ("1\ncat: /nope: No such file or directory\n1\n", host_console);
	EXPECT_EQ(7, shell_failures());
}

HOST_TEST(cat_prints_big_output_whole)
{
	setup();
	EXPECT_EQ(0, run("cat /test/big"));
	EXPECT_TRUE(strncmp(host_console, "line 0000\nline 0001\n", 20) == 0);
	EXPECT_EQ(20000, host_console_len);
	EXPECT_STREQ("line 1999\n", host_console + 20000 - 10);
	EXPECT_EQ(0, host_seq_buf_live);
	host_seq_buf_fail_above = 16384; /* the bigger buffer cannot be had */
	EXPECT_TRUE(run("cat /test/big") != 0);
	host_seq_buf_fail_above = 0;
	EXPECT_STREQ("cat: /test/big: Cannot allocate memory\n", host_console);
}

/* A file named as a directory, in every verb: Linux's "Not a directory". */
HOST_TEST(trailing_slash_on_a_file_is_not_a_directory)
{
	setup();
	EXPECT_EQ(1, run("cat /proc/meminfo/"));
	EXPECT_STREQ("cat: /proc/meminfo/: Not a directory\n", host_console);
	EXPECT_EQ(1, run("ls /proc/meminfo/"));
	EXPECT_STREQ("ls: cannot access '/proc/meminfo/': Not a directory\n", host_console);
	EXPECT_EQ(1, run("echo 0 > /test/knob/"));
	EXPECT_STREQ("echo: /test/knob/: Not a directory\n", host_console);
	EXPECT_EQ(1, run("cat /test/knob/x"));
	EXPECT_STREQ("cat: /test/knob/x: Not a directory\n", host_console);
	EXPECT_EQ(0, stores);
	EXPECT_EQ(4, shell_failures());
}

/* One over-long path, one error, whichever verb meets it. */
HOST_TEST(over_long_path_same_error_everywhere)
{
	char path[400], line[512], want[512];
	const char *verbs[] = {"cat %s", "ls %s", "echo 1 > %s", "time > %s"};
	const char *errs[] = {"cat: %s: File name too long\n",
			      "ls: cannot access '%s': File name too long\n",
			      "echo: %s: File name too long\n", "time: %s: File name too long\n"};

	setup();
	memset(path, 'a', sizeof(path) - 1);
	memcpy(path, "/test/", 6);
	path[sizeof(path) - 1] = '\0';
	for (int i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), verbs[i], path);
		snprintf(want, sizeof(want), errs[i], path);
		EXPECT_EQ(1, run(line));
		EXPECT_STREQ(want, host_console);
	}
}

/* `time > PATH` opens PATH as a shell would: a bad one is an error, not a timing. */
HOST_TEST(time_with_only_a_redirect)
{
	setup();
	EXPECT_EQ(1, run("time > /proc/nope"));
	EXPECT_STREQ("time: /proc/nope: No such file or directory\n", host_console);
	EXPECT_EQ(1, run("time > /test/ro"));
	EXPECT_STREQ("time: /test/ro: Permission denied\n", host_console);
	EXPECT_EQ(1, run("time time > /test"));
	EXPECT_STREQ("time: /test: Is a directory\nreal\t0m0.000000s\n", host_console);
	EXPECT_EQ(0, run("time > /test/knob")); /* opens fine, stores nothing */
	EXPECT_STREQ("real\t0m0.000000s\n", host_console);
	EXPECT_EQ(0, stores);
	EXPECT_EQ(3, shell_failures());
}

HOST_TEST(ls_lists_implied_directories)
{
	setup();
	EXPECT_EQ(0, run("ls /test"));
	EXPECT_STREQ("big\nbroken\nknob\nro\nsub/\nwo\n", host_console);
	EXPECT_EQ(0, run("ls"));
	EXPECT_STREQ("proc/\ntest/\n", host_console);
	EXPECT_EQ(0, run("ls //test/sub/"));
	EXPECT_STREQ("deep\n", host_console);
	EXPECT_EQ(0, run("ls /test/ro"));
	EXPECT_STREQ("/test/ro\n", host_console);
	EXPECT_EQ(0, run("ls /proc /test/sub"));
	EXPECT_STREQ("/proc:\nmeminfo\n/test/sub:\ndeep\n", host_console);
	EXPECT_TRUE(run("ls /nope") != 0);
	EXPECT_STREQ("ls: cannot access '/nope': No such file or directory\n", host_console);
	EXPECT_TRUE(run("ls test") != 0);
	EXPECT_STREQ("ls: cannot access 'test': No such file or directory\n", host_console);
}

HOST_TEST(unknown_commands_and_failure_count)
{
	setup();
	EXPECT_EQ(127, run("nope"));
	EXPECT_STREQ("flushlab: nope: command not found\n", host_console);
	EXPECT_EQ(127, run("nope > /test/knob"));
	EXPECT_STREQ("flushlab: nope: command not found\n", host_console);
	EXPECT_EQ(0, run("true"));
	EXPECT_EQ(1, run("false"));
	EXPECT_EQ(3, shell_failures());
	EXPECT_EQ(0, stores);
}

HOST_TEST(too_many_arguments)
{
	char line[512] = "echo";

	setup();
	for (int i = 0; i < 70; i++)
		strcat(line, " x");
	EXPECT_TRUE(run(line) != 0);
	EXPECT_STREQ("echo: too many arguments (limit 64)\n", host_console);
}

HOST_TEST(long_lines)
{
	static char line[10001];

	setup();
	memset(line, 'a', 10000);
	memcpy(line, "echo ", 5);
	EXPECT_TRUE(run(line) != 0);
	EXPECT_STREQ("flushlab: line too long (10000 bytes, limit 1023)\n", host_console);
	line[SHELL_LINE_MAX - 1] = '\0'; /* 1023 bytes: the longest allowed */
	EXPECT_EQ(0, run(line));
	EXPECT_EQ(1023 - 5 + 1, host_console_len);
	EXPECT_EQ(1, shell_failures());
}

HOST_TEST(control_characters_refuse_the_line)
{
	setup();
	EXPECT_TRUE(run("echo 5 \x01> /test/knob") != 0);
	EXPECT_STREQ("flushlab: control character 0x01 (line ignored)\n", host_console);
	EXPECT_TRUE(run("echo \x1b[A") != 0);
	EXPECT_STREQ("flushlab: control character 0x1b (line ignored)\n", host_console);
	EXPECT_EQ(0, stores);
	EXPECT_EQ(0, run("echo \xc3\xa9t\xc3\xa9")); /* UTF-8 is text */
	EXPECT_STREQ("\xc3\xa9t\xc3\xa9\n", host_console);
}

static int hook_calls[2];
static uint64_t hook_time[2];

static void time_hook(int phase)
{
	hook_calls[phase]++;
	hook_time[phase] = host_clock_ns;
}

HOST_TEST(time_prints_real_and_calls_hook)
{
	setup();
	EXPECT_EQ(0, run("time sleep 1500"));
	EXPECT_STREQ("real\t0m1.500000s\n", host_console);
	host_clock_step = 20000000000ULL; /* each clock read: 20 s later */
	EXPECT_EQ(0, run("time sleep 55001"));
	host_clock_step = 0;
	EXPECT_STREQ("real\t1m15.001000s\n", host_console);
	host_clock_step = 6123000; /* 6.123 ms a clock read: microseconds show */
	EXPECT_EQ(0, run("time echo 1 > /test/knob"));
	host_clock_step = 0;
	EXPECT_STREQ("real\t0m0.006123s\n", host_console);
	shell_time_hook = time_hook;
	EXPECT_EQ(0, run("time echo 42 > /test/knob"));
	shell_time_hook = NULL;
	EXPECT_EQ(42, knob);
	EXPECT_STREQ("real\t0m0.000000s\n", host_console);
	EXPECT_EQ(1, hook_calls[0]);
	EXPECT_EQ(1, hook_calls[1]);
	EXPECT_EQ(1, run("time false"));
	EXPECT_STREQ("real\t0m0.000000s\n", host_console);
	EXPECT_EQ(127, run("time nope"));
	EXPECT_EQ(0, run("time time true"));
	EXPECT_STREQ("real\t0m0.000000s\nreal\t0m0.000000s\n", host_console);
	EXPECT_EQ(1, run("time echo x > /test/ro"));
	EXPECT_STREQ("echo: /test/ro: Permission denied\nreal\t0m0.000000s\n", host_console);
	EXPECT_EQ(3, shell_failures());
}

HOST_TEST(sleep_bounds)
{
	setup();
	host_clock_ns = 0;
	EXPECT_EQ(0, run("sleep 250"));
	EXPECT_EQ(250000000ULL, host_clock_ns);
	EXPECT_EQ(0, run("sleep 60000")); /* the cap itself is allowed */
	EXPECT_EQ(60250000000ULL, host_clock_ns);
	host_clock_ns = 250000000ULL;
	EXPECT_TRUE(run("sleep 60001") != 0);
	EXPECT_STREQ("sleep: 60001: Numerical result out of range (limit 60000 ms)\n",
		     host_console);
	EXPECT_TRUE(run("sleep 600000") != 0);
	EXPECT_TRUE(run("sleep 1s") != 0);
	EXPECT_STREQ("sleep: invalid time interval '1s'\n", host_console);
	EXPECT_TRUE(run("sleep") != 0);
	EXPECT_STREQ("usage: sleep MS\n", host_console);
	EXPECT_EQ(250000000ULL, host_clock_ns);
}

/* Ctrl-C at the console ends a sleep within one 10 ms poll step, as a failure. */
HOST_TEST(sleep_stops_at_ctrl_c)
{
	setup();
	host_clock_ns = 0;
	host_interrupt_at_ns = 1500000000ULL;
	EXPECT_EQ(130, run("sleep 50000"));
	EXPECT_STREQ("^C\nsleep: interrupted\n", host_console);
	EXPECT_TRUE(host_clock_ns >= 1500000000ULL && host_clock_ns <= 1510000000ULL);
	EXPECT_EQ(0, host_interrupt_at_ns); /* consumed: the next sleep runs whole */
	EXPECT_EQ(0, run("sleep 20"));
	EXPECT_EQ(1520000000ULL, host_clock_ns);
	EXPECT_EQ(1, shell_failures());
}

HOST_TEST(help_is_sorted)
{
	const char *order[] = {"  cat ",      "  echo ",  "  false ", "  help ", "  ls ",
			       "  poweroff ", "  sleep ", "  time ",  "  true "};
	const char *prev;

	setup();
	EXPECT_EQ(0, run("help"));
	prev = host_console;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *at = strstr(host_console, order[i]);

		EXPECT_TRUE(at != NULL && at >= prev);
		if (at)
			prev = at;
	}
	EXPECT_TRUE(strstr(host_console, "echo [-n] [ARGS...] [> PATH]") != NULL);
}

static int poweroff_status(const char *line)
{
	jmp_buf jb;

	host_exit_status = -1;
	host_exit_jmp = &jb;
	if (setjmp(jb) == 0)
		run(line);
	host_exit_jmp = NULL;
	return host_exit_status;
}

HOST_TEST(poweroff_status)
{
	setup();
	EXPECT_EQ(0, poweroff_status("poweroff"));
	EXPECT_STREQ("flushlab: poweroff, status 0 (0 failed commands)\n", host_console);
	run("false");
	EXPECT_EQ(1, poweroff_status("poweroff"));
	EXPECT_EQ(-1, poweroff_status("poweroff x"));
	EXPECT_STREQ("poweroff: invalid status 'x' (0 passed, 1 failed)\n", host_console);
	EXPECT_EQ(-1, poweroff_status("poweroff 1 2"));
	EXPECT_EQ(0, poweroff_status("poweroff 0"));
	EXPECT_EQ(1, poweroff_status("poweroff 1"));
}

/* Only the documented verdicts: no forged crash (3) or timeout (124), no wrap (256). */
HOST_TEST(poweroff_refuses_other_statuses)
{
	const char *bad[] = {"3", "124", "256", "-1", "2", "0x1", "01x", "4294967296"};
	char line[64], msg[128];

	setup();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "poweroff %s", bad[i]);
		snprintf(msg, sizeof(msg), "poweroff: invalid status '%s' (0 passed, 1 failed)\n",
			 bad[i]);
		EXPECT_EQ(-1, poweroff_status(line));
		EXPECT_STREQ(msg, host_console);
	}
	EXPECT_EQ((int)(sizeof(bad) / sizeof(bad[0])), shell_failures());
}

HOST_TEST(script_echoes_and_counts)
{
	const char text[] = "# setup\r\necho 3 > /test/knob\n\nnope\ncat /test/knob\nfalse\n"
			    "echo \"unterminated\necho last";
	char *copy = malloc(sizeof(text) - 1); /* exact length: ASan catches an overread */

	setup();
	memcpy(copy, text, sizeof(text) - 1);
	EXPECT_EQ(3, shell_run_script(copy, sizeof(text) - 1));
	EXPECT_EQ(3, knob);
	EXPECT_STREQ("flushlab# # setup\n"
		     "flushlab# echo 3 > /test/knob\n"
		     "flushlab# nope\n"
		     "flushlab: nope: command not found\n"
		     "flushlab# cat /test/knob\n3\n"
		     "flushlab# false\n"
		     "flushlab# echo \"unterminated\n"
		     "echo: syntax error: unterminated quote\n"
		     "flushlab# echo last\nlast\n",
		     host_console);
	EXPECT_EQ(3, shell_failures());
	free(copy);
}

HOST_TEST(script_bad_lines_named_by_number)
{
	static const char text[] = "echo ok\necho a\0b > /test/knob\necho \x07\n";
	static char longline[12000];

	setup();
	EXPECT_EQ(2, shell_run_script(text, sizeof(text) - 1));
	EXPECT_STREQ("flushlab# echo ok\nok\n"
		     "flushlab# echo a\\x00b > /test/knob\n"
		     "flushlab: line 2: control character 0x00 (line ignored)\n"
		     "flushlab# echo \\x07\n"
		     "flushlab: line 3: control character 0x07 (line ignored)\n",
		     host_console);
	EXPECT_EQ(0, stores);
	host_console_reset();
	memset(longline, 'x', 10000);
	memcpy(longline + 10000, "\ntrue\n", 6);
	EXPECT_EQ(1, shell_run_script(longline, 10006));
	EXPECT_TRUE(strstr(host_console, "xxx...\nflushlab: line 1: line too long "
					 "(10000 bytes, limit 1023)\nflushlab# true\n") != NULL);
}

HOST_TEST(script_of_random_noise)
{
	enum { N = 1 << 20 };
	unsigned char *noise = malloc(N);
	unsigned int seed = 777;
	jmp_buf jb;
	int nfail;

	setup();
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		noise[i] = (unsigned char)(seed >> 16);
	}
	host_exit_jmp = &jb;
	ASSERT_TRUE(setjmp(jb) == 0); /* noise must never power off */
	nfail = shell_run_script((const char *)noise, N);
	host_exit_jmp = NULL;
	EXPECT_TRUE(nfail > 1000);
	EXPECT_EQ(nfail, shell_failures());
	EXPECT_EQ(1, knob);
	free(noise);
}

static const char *interactive_input;

static int string_getc(void)
{
	return *interactive_input ? (unsigned char)*interactive_input++ : -1;
}

HOST_TEST(interactive_loop)
{
	setup();
	interactive_input = "echo hi\r\nnopx\x7f"
			    "e\n\x1b[A\r\x03"
			    "echo 4 > /test/knob\n";
	shell_interactive(string_getc);
	EXPECT_EQ(4, knob);
	EXPECT_STREQ("flushlab# echo hi\r\nhi\n"
		     "flushlab# nopx\b \be\r\nflushlab: nope: command not found\n"
		     "flushlab# nope\r\nflushlab: nope: command not found\n"
		     "flushlab# ^C\r\nflushlab# echo 4 > /test/knob\r\nflushlab# ",
		     host_console);
	EXPECT_EQ(2, shell_failures());
}

HOST_TEST_MAIN("shell")
