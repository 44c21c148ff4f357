/*
 * Host tests for trace/trace_output.c and trace_events.c: rings built by
 * hand, formatted to text, compared with ftrace's exact layout and merged
 * by timestamp across CPUs; overwritten and torn records are left out.
 */
#include <regex.h>

#include "tests/host/host_test.h"
#include "trace/trace_record.h"
#include "smp/shootdown.h"

/* Stubs for what the formatter asks of the kernel: 1 TSC cycle = 1 ns here. */
uint64_t trace_ts_to_us(uint64_t ts)
{
	return ts / 1000;
}

uint64_t cycles_to_ns(uint64_t cycles)
{
	return cycles;
}

const char *symbolize_sized(uint64_t addr, uint64_t *offset, uint64_t *size)
{
	if (addr < 0x1000 || addr >= 0x1100)
		return NULL;
	*offset = addr - 0x1000;
	*size = 0x100;
	return "flush_tlb_kernel_range";
}

const char *shootdown_protocol_name(enum shootdown_protocol p)
{
	return p == SHOOTDOWN_LINUX ? "linux" : "other";
}

static char text[1 << 16];
static size_t text_len;

static void out(const char *s, size_t n)
{
	memcpy(text + text_len, s, n);
	text_len += n;
	text[text_len] = '\0';
}

static void put(struct trace_entry *ring, uint64_t nr, uint64_t idx, uint16_t id, uint64_t ts,
		uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct trace_entry *e = &ring[idx & (nr - 1)];

	memset(e, 0, sizeof(*e));
	*e = (struct trace_entry){.seq = idx + 1, .ts = ts, .id = id, .args = {a0, a1, a2}};
}

static void render(struct trace_view *v, int n)
{
	text_len = 0;
	text[0] = '\0';
	trace_output(v, n, n, out);
}

/* The line with @needle in it, without its newline, in @buf. */
static const char *line_with(const char *needle, char *buf, size_t size)
{
	const char *p = strstr(text, needle), *start, *end;

	if (!p)
		return "";
	for (start = p; start > text && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	snprintf(buf, size, "%.*s", (int)(end - start), start);
	return buf;
}

HOST_TEST(trace_line_layout_is_ftraces)
{
	static struct trace_entry r0[4];
	struct trace_view v = {r0, 4, 2};
	char buf[256];

	put(r0, 4, 0, TRACE_TLB_FLUSH, 123456789000ULL, 1, TLB_REMOTE_SHOOTDOWN, 0);
	r0[0].flags = TRACE_FLAG_IRQS_OFF;
	r0[0].hardirq = 1;
	put(r0, 4, 1, TRACE_IPI_SEND_CPU, 123456790000ULL, 3, 0x1010, 0x5);
	r0[1].pid = 42;
	memcpy(r0[1].comm, "hugetlb_grow", 13);
	render(&v, 1);
	EXPECT_TRUE(!strncmp(
	    text, "# tracer: nop\n#\n# entries-in-buffer/entries-written: 2/2   #P:1\n#\n", 64));
	EXPECT_TRUE(!strcmp(line_with("tlb_flush", buf, sizeof(buf)),
			    "          <idle>-0       [000] d.h1.   123.456789: tlb_flush: "
			    "pages:1 reason:remote shootdown (1)"));
	EXPECT_TRUE(
	    !strcmp(line_with("ipi_send_cpu", buf, sizeof(buf)),
		    "    hugetlb_grow-42      [000] .....   123.456790: ipi_send_cpu: cpu=3 "
		    "callsite=flush_tlb_kernel_range+0x10/0x100 callback=0x5"));
}

HOST_TEST(trace_merges_cpus_by_timestamp)
{
	static struct trace_entry r0[8], r1[8];
	struct trace_view v[2] = {{r0, 8, 3}, {r1, 8, 2}};
	const char *a, *b, *c, *d, *e;

	put(r0, 8, 0, TRACE_SHOOTDOWN_PUBLISH, 1000000, SHOOTDOWN_LINUX, 2, 28);
	put(r1, 8, 0, TRACE_SHOOTDOWN_RECEIVED, 2000000, 0, 0, 0);
	put(r1, 8, 1, TRACE_SHOOTDOWN_ACK, 3000000, 0, 0, 0);
	put(r0, 8, 1, TRACE_SHOOTDOWN_DONE, 4000000, SHOOTDOWN_LINUX, 1, 2500);
	put(r0, 8, 2, TRACE_HVO_REMAP, 5000000, 0xffffea0000001000, 0xffffea0000008000, 7);
	render(v, 2);
	a = strstr(
	    text,
	    "[000] .....     0.001000: shootdown_publish: protocol=linux targets=2 pages=28\n");
	b = strstr(text, "[001] .....     0.002000: shootdown_received: initiator=0\n");
	c = strstr(text, "[001] .....     0.003000: shootdown_ack: initiator=0 ack=late\n");
	d = strstr(text, "shootdown_done: protocol=linux targets=1 wait_ns=2500\n");
	e = strstr(text, "hvo_remap: start=0xffffea0000001000 end=0xffffea0000008000 pages=7\n");
	ASSERT_TRUE(a && b && c && d && e);
	EXPECT_TRUE(a < b && b < c && c < d && d < e);
	EXPECT_TRUE(strstr(text, "entries-written: 5/5   #P:2\n") != NULL);
}

HOST_TEST(trace_overwritten_and_torn_records_are_skipped)
{
	static struct trace_entry r0[4];
	struct trace_view v = {r0, 4, 6}; /* 6 written into 4 slots: 2..5 remain */

	for (uint64_t i = 0; i < 6; i++)
		put(r0, 4, i, TRACE_CALL_FUNCTION_ENTRY, 1000 * (i + 1), 250 + i, 0, 0);
	r0[3].seq = 0; /* index 3: a writer is in the middle of it */
	render(&v, 1);
	EXPECT_TRUE(strstr(text, "vector=250") == NULL && strstr(text, "vector=251") == NULL);
	EXPECT_TRUE(strstr(text, "vector=252") && strstr(text, "vector=254") &&
		    strstr(text, "vector=255"));
	EXPECT_TRUE(strstr(text, "vector=253") == NULL);
	EXPECT_TRUE(strstr(text, "entries-in-buffer/entries-written: 3/6 ") != NULL);
}

HOST_TEST(trace_marker_spans_records)
{
	static struct trace_entry r0[8];
	struct trace_view v = {r0, 8, 3};
	const char *msg = "a marker longer than one record's 24 bytes";

	put(r0, 8, 0, TRACE_MARKER, 7000, 0, 0, 0);
	memcpy(r0[0].args, msg, 24);
	put(r0, 8, 1, TRACE_CONT, 7000, 0, 0, 0);
	memcpy(r0[1].args, msg + 24, strlen(msg) - 24);
	put(r0, 8, 2, TRACE_CONT, 8000, 0, 0, 0); /* orphan: must not print */
	render(&v, 1);
	EXPECT_TRUE(
	    strstr(text, "tracing_mark_write: a marker longer than one record's 24 bytes\n"));
	EXPECT_TRUE(strstr(text, "entries-in-buffer/entries-written: 1/1 ") != NULL);
}

/* Every event line matches Perfetto's systrace tokenizer regex (POSIX ERE form). */
HOST_TEST(trace_lines_match_perfettos_regex)
{
	static struct trace_entry r0[16];
	struct trace_view v = {r0, 16, NR_TRACE_EVENTS - 1};
	regex_t re;
	int lines = 0;

	for (unsigned int id = 0; id < NR_TRACE_EVENTS - 1; id++)
		put(r0, 16, id, id, 1000 * (id + 1), 1, 2, 3);
	render(&v, 1);
	ASSERT_TRUE(!regcomp(&re,
			     "-([0-9]+)[[:space:]]+\\(?[[:space:]]*([0-9]+|-+)?\\)?[[:space:]]?"
			     "\\[([0-9]+)\\][[:space:]]*([a-zA-Z.]{3}[0-9a-f.]{1,2}[[:space:]]*)?"
			     "([0-9]+\\.[0-9]+):[[:space:]]+([^[:space:]]+):",
			     REG_EXTENDED));
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		lines++;
		if (regexec(&re, line, 0, NULL, 0)) {
			HT_REPORT("no match: %s", line);
			*failed = 1;
		}
	}
	regfree(&re);
	EXPECT_EQ(NR_TRACE_EVENTS - 1, lines);
}

HOST_TEST_MAIN("trace_output")
