/*
 * The text of /sys/kernel/tracing/trace, as ftrace prints it for the nop
 * tracer: the header block, then one line per event from every CPU's ring,
 * merged by timestamp. Reads the rings without stopping the writers (each
 * record is checked by its sequence number) and consumes nothing. Also
 * compiled for the host (tests/host/trace_output_test.c).
 */
#include "trace/trace_priv.h"
#include "lib/kernel.h"
#include "lib/string.h"

#define LINE_MAX 320

/* A reader's place in one CPU's ring, and the next whole record there. */
struct cursor {
	uint64_t pos, end;
	bool have; /* @e holds the record at @pos */
	struct trace_entry e;
};

static struct cursor cursors[256];

/* Copy the record at @pos if it is whole and still the one written at @pos. */
static bool read_entry(const struct trace_view *v, uint64_t pos, struct trace_entry *e)
{
	const struct trace_entry *slot = &v->ring[pos & (v->nr - 1)];

	if (READ_ONCE(slot->seq) != pos + 1)
		return false;
	memcpy(e, (const void *)slot, sizeof(*e)); /* x86 keeps loads in order */
	__asm__ volatile("" ::: "memory");
	return READ_ONCE(slot->seq) == pos + 1 && e->seq == pos + 1;
}

/* Move @c to its next readable event record (orphaned continuations skipped). */
static void cursor_fill(const struct trace_view *v, struct cursor *c)
{
	while (!c->have && c->pos < c->end) {
		if (read_entry(v, c->pos, &c->e) && c->e.id != TRACE_CONT)
			c->have = true;
		else
			c->pos++;
	}
}

static void cursor_init(const struct trace_view *v, struct cursor *c)
{
	c->end = v->ring ? v->head : 0;
	c->pos = c->end > v->nr ? c->end - v->nr : 0;
	c->have = false;
	cursor_fill(v, c);
}

/* A marker's text: its own record, then the TRACE_CONT records after it. */
static void marker_text(const struct trace_view *v, struct cursor *c, char *buf, size_t size)
{
	struct trace_entry e = c->e;
	size_t len = 0;

	for (;;) {
		size_t n = strnlen((const char *)e.args, TRACE_CONT_BYTES);

		n = MIN(n, size - 1 - len);
		memcpy(buf + len, e.args, n);
		len += n;
		if (n < TRACE_CONT_BYTES || !read_entry(v, c->pos + 1, &e) || e.id != TRACE_CONT)
			break;
		c->pos++;
	}
	buf[len] = '\0';
}

static char hexdigit(unsigned int d)
{
	return d < 10 ? '0' + d : 'a' + d - 10;
}

/* TASK-PID [CPU] FLAGS TIMESTAMP: the context columns of one line. */
static int format_context(char *buf, size_t size, const struct trace_entry *e, int cpu)
{
	uint64_t us = trace_ts_to_us(e->ts);
	char flags[6] = {
	    e->flags & TRACE_FLAG_IRQS_OFF ? 'd' : '.',
	    '.', /* need-resched: flushlab's scheduler keeps no such flag */
	    e->hardirq ? 'h' : '.',
	    e->hardirq ? hexdigit(MIN(e->hardirq, 15u)) : '.', /* preempt depth */
	    '.', /* migrate-disable: tasks do not migrate inside the kernel */
	    '\0',
	};

	return snprintf(buf, size, "%16s-%-7d [%03d] %s %5lu.%06lu: ", e->pid ? e->comm : "<idle>",
			(int)e->pid, cpu, flags, (unsigned long)(us / 1000000),
			(unsigned long)(us % 1000000));
}

static void print_line(const struct trace_view *v, struct cursor *c, int cpu,
		       void (*out)(const char *s, size_t n))
{
	static char line[LINE_MAX];
	int n = format_context(line, sizeof(line), &c->e, cpu);

	if (c->e.id == TRACE_MARKER) {
		n += snprintf(line + n, sizeof(line) - n, "tracing_mark_write: ");
		marker_text(v, c, line + n, sizeof(line) - n - 1);
		n += strlen(line + n);
	} else {
		n += snprintf(line + n, sizeof(line) - n, "%s: ", trace_event_name(c->e.id));
		n += trace_event_print(line + n, sizeof(line) - n - 1, &c->e);
	}
	n = MIN(n, LINE_MAX - 2);
	line[n++] = '\n';
	out(line, n);
}

static void print_header(uint64_t entries, uint64_t written, int online,
			 void (*out)(const char *s, size_t n))
{
	static const char *const legend =
	    "#\n"
	    "#                                _-----=> irqs-off/BH-disabled\n"
	    "#                               / _----=> need-resched\n"
	    "#                              | / _---=> hardirq/softirq\n"
	    "#                              || / _--=> preempt-depth\n"
	    "#                              ||| / _-=> migrate-disable\n"
	    "#                              |||| /     delay\n"
	    "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	    "#              | |         |   |||||     |         |\n";
	char buf[128];
	int n = snprintf(buf, sizeof(buf),
			 "# tracer: nop\n#\n# entries-in-buffer/entries-written: %lu/%lu   #P:%d\n",
			 (unsigned long)entries, (unsigned long)written, online);

	out(buf, n);
	out(legend, strlen(legend));
}

/* Events readable now, and events written since the clear (overwritten ones too). */
static void count_events(const struct trace_view *views, int nr_cpus, uint64_t *entries,
			 uint64_t *written)
{
	*entries = *written = 0;
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		const struct trace_view *v = &views[cpu];
		uint64_t start = v->head > v->nr ? v->head - v->nr : 0, conts = 0;
		struct trace_entry e;

		for (uint64_t pos = start; v->ring && pos < v->head; pos++) {
			if (!read_entry(v, pos, &e))
				continue;
			if (e.id == TRACE_CONT)
				conts++;
			else
				(*entries)++;
		}
		*written += v->head - conts;
	}
}

void trace_output(const struct trace_view *views, int nr_cpus, int online_cpus,
		  void (*out)(const char *s, size_t n))
{
	uint64_t entries, written;

	nr_cpus = MIN(nr_cpus, (int)ARRAY_SIZE(cursors));
	trace_print_nr_cpus = online_cpus;
	count_events(views, nr_cpus, &entries, &written);
	print_header(entries, written, online_cpus, out);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		cursor_init(&views[cpu], &cursors[cpu]);
	for (;;) {
		int best = -1;

		for (int cpu = 0; cpu < nr_cpus; cpu++)
			if (cursors[cpu].have &&
			    (best < 0 || cursors[cpu].e.ts < cursors[best].e.ts))
				best = cpu;
		if (best < 0)
			break;
		print_line(&views[best], &cursors[best], best, out);
		cursors[best].pos++;
		cursors[best].have = false;
		cursor_fill(&views[best], &cursors[best]);
	}
}
