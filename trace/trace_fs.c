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

/*
 * events/SYSTEM and events/SYSTEM/EVENT are instances: each directory's
 * instance is the scope its enable file covers.
 */
static const struct enable_scope every_event = {NULL, -1};
static const struct enable_scope system_scopes[] = {
    {"tlb", -1}, {"ipi", -1}, {"irq_vectors", -1}, {"flushlab", -1}};
static struct enable_scope event_scopes[NR_TRACE_EVENTS]; /* trace_init fills them */

static void *system_lookup(void *parent, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_scopes); i++)
		if (!strcmp(system_scopes[i].system, name))
			return (void *)&system_scopes[i];
	return NULL;
}

static void system_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_scopes); i++)
		emit(system_scopes[i].system, ctx);
}

static void *event_lookup(void *parent, const char *name)
{
	const struct enable_scope *sys = parent;

	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (in_scope(sys, id) && !strcmp(trace_event_name(id), name))
			return &event_scopes[id];
	return NULL;
}

static void event_iterate(void *parent, void (*emit)(const char *name, void *ctx), void *ctx)
{
	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (in_scope(parent, id))
			emit(trace_event_name(id), ctx);
}

static const struct pseudo_dir_ops system_dirs = {.lookup = system_lookup,
						  .iterate = system_iterate};
static const struct pseudo_dir_ops event_dirs = {.lookup = event_lookup, .iterate = event_iterate};

DEFINE_PSEUDO_FILE_DATA(enable_all, TRACING "/events/enable", enable_show, enable_store, 0644,
			&every_event);
DEFINE_PSEUDO_DIR(system_dir, TRACING "/events/*", &system_dirs);
DEFINE_PSEUDO_FILE(system_enable, TRACING "/events/*/enable", enable_show, enable_store, 0644);
DEFINE_PSEUDO_DIR(event_dir, TRACING "/events/*/*", &event_dirs);
DEFINE_PSEUDO_FILE(event_enable, TRACING "/events/*/*/enable", enable_show, enable_store, 0644);

DEFINE_PSEUDO_FILE(tracing_on_file, TRACING "/tracing_on", tracing_on_show, tracing_on_store, 0644);
DEFINE_PSEUDO_FILE_EXT(trace_file, .path = TRACING "/trace", .stream = trace_stream,
		       .store = trace_store, .mode = 0644);
DEFINE_PSEUDO_FILE(marker_file, TRACING "/trace_marker", NULL, marker_store, 0200);
DEFINE_PSEUDO_FILE(buffer_size_file, TRACING "/buffer_size_kb", buffer_size_show, buffer_size_store,
		   0644);
DEFINE_PSEUDO_FILE(available_events_file, TRACING "/available_events", available_events_show, NULL,
		   0444);

void trace_init(void)
{
	if (trace_ring_init(TRACE_BUFFER_KB_DEFAULT))
		printk("trace: no memory for the ring buffers: tracing stays empty\n");
	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		event_scopes[id] = (struct enable_scope){trace_event_system(id), (int)id};
	update_active();
}
