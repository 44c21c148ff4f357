/*
 * /sys/kernel/tracing/, with Linux's names and rules: tracing_on, trace
 * (read: every CPU merged; write: clear), trace_marker, buffer_size_kb
 * (per CPU; changed only while tracing is off), available_events and
 * events/[SYSTEM/[EVENT/]]enable (0, 1, or X when mixed). Decides the
 * per-event bytes the hooks in kernel/trace.h test.
 */
#include "kernel/mutex.h"
#include "kernel/pseudofs.h"
#include "trace/trace_priv.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "smp/percpu.h"
#include "smp/smp.h"

#define TRACING "/sys/kernel/tracing"
#define PATH_LEN 96

static bool tracing_on = true; /* Linux's default; every event starts off */
static uint8_t event_enabled[NR_TRACE_EVENTS];

/*
 * trace_mutex: tracing_on, the enables, and the rings' lifetime. A resize
 * checks tracing_on and frees the old rings under it, so no enable comes
 * in between; the trace's reader holds it, so the rings it walks stay.
 * Stores are serialised anyway (pseudofs_write); this lock also covers the
 * reader, which is not a store, and keeps the rule where the rings are.
 */
static DEFINE_MUTEX(trace_mutex);

/* Under trace_mutex: the bytes the hooks read, from tracing_on and each event. */
static void update_active(void)
{
	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++) {
		bool on = tracing_on && (id == TRACE_MARKER || event_enabled[id]);

		WRITE_ONCE(trace_event_active[id], on);
	}
}

/* "0" or "1", with one optional newline: anything else is -EINVAL. */
static int parse_bit(const char *buf, size_t len, bool *bit)
{
	if (len && buf[len - 1] == '\n')
		len--;
	if (len != 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	*bit = buf[0] == '1';
	return 0;
}

static int tracing_on_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%d\n", tracing_on);
	return 0;
}

static int tracing_on_store(const char *buf, size_t len, void *data)
{
	bool on;
	int err = parse_bit(buf, len, &on);

	if (err)
		return err;
	mutex_lock(&trace_mutex);
	tracing_on = on;
	update_active();
	mutex_unlock(&trace_mutex);
	return 0;
}

static int trace_stream(void (*out)(const char *s, size_t n), void *data)
{
	static struct trace_view views[MAX_CPUS]; /* under trace_mutex */
	int n;

	mutex_lock(&trace_mutex);
	n = trace_ring_views(views, MAX_CPUS);
	trace_output(views, n, READ_ONCE(nr_cpus_online), out);
	mutex_unlock(&trace_mutex);
	return 0;
}

/* Any write clears, as `echo > trace` (O_TRUNC) does on Linux. */
static int trace_store(const char *buf, size_t len, void *data)
{
	mutex_lock(&trace_mutex);
	trace_ring_clear();
	mutex_unlock(&trace_mutex);
	return 0;
}

/* Linux refuses marker writes while tracing is off (EBADF). */
static int marker_store(const char *buf, size_t len, void *data)
{
	if (!tracing_on)
		return -EBADF;
	if (len && buf[len - 1] == '\n')
		len--;
	trace_record_marker(buf, len);
	return 0;
}

static int buffer_size_show(struct seq_buf *s, void *data)
{
	seq_printf(s, "%lu\n", trace_ring_size_kb());
	return 0;
}

/* Resizing frees rings a writer could be using, so only with tracing off. */
static int buffer_size_store(const char *buf, size_t len, void *data)
{
	unsigned long kb;
	int err;

	if (kstrtoul(buf, 10, &kb))
		return -EINVAL;
	if (kb == 0 || kb > TRACE_BUFFER_KB_MAX)
		return -EINVAL;
	mutex_lock(&trace_mutex);
	err = tracing_on ? -EBUSY : trace_ring_resize(kb);
	mutex_unlock(&trace_mutex);
	return err;
}

static int available_events_show(struct seq_buf *s, void *data)
{
	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (id != TRACE_MARKER)
			seq_printf(s, "%s:%s\n", trace_event_system(id), trace_event_name(id));
	return 0;
}

/* ---- events/enable, events/SYSTEM/enable, events/SYSTEM/EVENT/enable ---- */

/* Which events an enable file covers: one (@id >= 0), a system, or all. */
struct enable_scope {
	const char *system; /* NULL: every system */
	int id;		    /* -1: every event of the scope's system(s) */
};

static bool in_scope(const struct enable_scope *sc, unsigned int id)
{
	if (id == TRACE_MARKER)
		return false;
	if (sc->id >= 0)
		return (int)id == sc->id;
	return !sc->system || !strcmp(sc->system, trace_event_system(id));
}

static int enable_show(struct seq_buf *s, void *data)
{
	const struct enable_scope *sc = data;
	bool any_on = false, any_off = false;

	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++) {
		if (!in_scope(sc, id))
			continue;
		any_on |= event_enabled[id];
		any_off |= !event_enabled[id];
	}
	seq_puts(s, any_on && any_off ? "X\n" : any_on ? "1\n" : "0\n");
	return 0;
}

static int enable_store(const char *buf, size_t len, void *data)
{
	const struct enable_scope *sc = data;
	bool on;
	int err = parse_bit(buf, len, &on);

	if (err)
		return err;
	mutex_lock(&trace_mutex);
	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (in_scope(sc, id))
			event_enabled[id] = on;
	update_active();
	mutex_unlock(&trace_mutex);
	return 0;
}

static const char *const systems[] = {"tlb", "ipi", "irq_vectors", "flushlab"};

#define NR_ENABLE_FILES (1 + ARRAY_SIZE(systems) + NR_TRACE_EVENTS)

static struct pseudo_file enable_files[NR_ENABLE_FILES];
static struct enable_scope enable_scopes[NR_ENABLE_FILES];
static char enable_paths[NR_ENABLE_FILES][PATH_LEN];

static void add_enable_file(unsigned int i, const char *system, int id)
{
	if (!system)
		snprintf(enable_paths[i], PATH_LEN, TRACING "/events/enable");
	else if (id < 0)
		snprintf(enable_paths[i], PATH_LEN, TRACING "/events/%s/enable", system);
	else
		snprintf(enable_paths[i], PATH_LEN, TRACING "/events/%s/%s/enable", system,
			 trace_event_name(id));
	enable_scopes[i] = (struct enable_scope){system, id};
	enable_files[i] = (struct pseudo_file){.path = enable_paths[i],
					       .show = enable_show,
					       .store = enable_store,
					       .data = &enable_scopes[i]};
	pseudofs_register(&enable_files[i]);
}

static struct pseudo_file trace_files[] = {
    {.path = TRACING "/tracing_on", .show = tracing_on_show, .store = tracing_on_store},
    {.path = TRACING "/trace", .stream = trace_stream, .store = trace_store},
    {.path = TRACING "/trace_marker", .store = marker_store},
    {.path = TRACING "/buffer_size_kb", .show = buffer_size_show, .store = buffer_size_store},
    {.path = TRACING "/available_events", .show = available_events_show},
};

void trace_init(void)
{
	unsigned int n = 0;

	if (trace_ring_init(TRACE_BUFFER_KB_DEFAULT))
		printk("trace: no memory for the ring buffers: tracing stays empty\n");
	for (size_t i = 0; i < ARRAY_SIZE(trace_files); i++)
		pseudofs_register(&trace_files[i]);
	add_enable_file(n++, NULL, -1);
	for (size_t i = 0; i < ARRAY_SIZE(systems); i++)
		add_enable_file(n++, systems[i], -1);
	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (id != TRACE_MARKER)
			add_enable_file(n++, trace_event_system(id), id);
	update_active();
}
