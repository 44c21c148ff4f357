/*
 * The trace ring buffers: one per online CPU, of fixed 64-byte records,
 * overwriting the oldest like Linux's. Each CPU writes only its own ring,
 * with interrupts off, so a writer needs no lock; readers on other CPUs
 * check each record's sequence number instead (trace_priv.h). The rings
 * come from the buddy allocator (purpose "trace"), allocated at boot and
 * replaced only by a resize with tracing off.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/tsc.h"
#include "trace/trace_priv.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/gfp.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "smp/cross_call.h"
#include "smp/smp.h"
#include "task/task.h"

struct trace_cpu_buf {
	struct trace_entry *ring; /* NULL until allocated */
	struct page *page;
	uint64_t nr;   /* slots, a power of two */
	uint64_t head; /* records written since the last clear; written by its CPU only */
} __attribute__((aligned(64)));

uint8_t trace_event_active[NR_TRACE_EVENTS];
struct trace_cpu_state trace_cpu_state[MAX_CPUS];
static struct trace_cpu_buf trace_bufs[MAX_CPUS];
static unsigned int ring_order; /* every CPU's ring is one block of this order */

uint64_t trace_ts_to_us(uint64_t ts)
{
	return ts > kernel_entry_tsc ? cycles_to_ns(ts - kernel_entry_tsc) / 1000 : 0;
}

/*
 * Start the next record of @b: its seq is zeroed first, so a reader copying
 * this slot meanwhile sees a mismatch. x86 keeps stores in order (TSO);
 * the barrier keeps the compiler from reordering them.
 */
static struct trace_entry *entry_start(struct trace_cpu_buf *b)
{
	struct trace_entry *e = &b->ring[b->head & (b->nr - 1)];

	WRITE_ONCE(e->seq, 0);
	barrier();
	return e;
}

static void entry_commit(struct trace_cpu_buf *b, struct trace_entry *e)
{
	uint64_t idx = b->head;

	barrier();
	WRITE_ONCE(e->seq, idx + 1);
	WRITE_ONCE(b->head, idx + 1);
}

/* Everything but the payload: time, flags, task. Interrupts off. */
static void entry_fill(struct trace_entry *e, unsigned int id, uint64_t rflags, int cpu)
{
	struct task_struct *t = this_cpu_ptr()->current_task;

	e->ts = rdtsc();
	e->id = id;
	e->flags = (rflags & X86_RFLAGS_IF) ? 0 : TRACE_FLAG_IRQS_OFF;
	e->hardirq = trace_cpu_state[cpu].hardirq;
	e->pid = t ? t->pid : 0;
	if (t)
		memcpy(e->comm, t->comm, sizeof(e->comm));
	else
		e->comm[0] = '\0';
}

/*
 * Interrupts go off before the event's byte is read again: a resize turns
 * tracing off, then waits for a cross-call to run on every CPU. That call
 * runs only with interrupts on, so any writer that saw the byte set has
 * finished by then, and every later one sees it clear.
 */
void trace_record(unsigned int id, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t rflags = local_irq_save();
	int cpu = this_cpu_id();
	struct trace_cpu_buf *b = &trace_bufs[cpu];
	struct trace_entry *e;

	if (READ_ONCE(trace_event_active[id]) && b->ring) {
		e = entry_start(b);
		entry_fill(e, id, rflags, cpu);
		e->args[0] = a0;
		e->args[1] = a1;
		e->args[2] = a2;
		entry_commit(b, e);
	}
	local_irq_restore(rflags);
}

/* A trace_marker write: the text in the first record and TRACE_CONT ones after it. */
void trace_record_marker(const char *text, size_t len)
{
	uint64_t rflags = local_irq_save();
	int cpu = this_cpu_id();
	struct trace_cpu_buf *b = &trace_bufs[cpu];
	size_t off = 0;

	len = MIN(len, TRACE_MARKER_MAX_RECORDS * TRACE_CONT_BYTES - 1);
	if (READ_ONCE(trace_event_active[TRACE_MARKER]) && b->ring) {
		do {
			struct trace_entry *e = entry_start(b);
			size_t n = MIN(len - off, TRACE_CONT_BYTES);

			entry_fill(e, off ? TRACE_CONT : TRACE_MARKER, rflags, cpu);
			memset(e->args, 0, sizeof(e->args));
			memcpy(e->args, text + off, n);
			entry_commit(b, e);
			off += n;
		} while (off < len); /* the reader stops at a NUL or at the next non-CONT record */
	}
	local_irq_restore(rflags);
}

/* The ring of every online CPU as it is now; returns how many. */
int trace_ring_views(struct trace_view *views, int max)
{
	int n = MIN(max, READ_ONCE(nr_cpus_online));

	for (int cpu = 0; cpu < n; cpu++) {
		views[cpu].ring = trace_bufs[cpu].ring;
		views[cpu].nr = trace_bufs[cpu].ring ? trace_bufs[cpu].nr : 0;
		views[cpu].head = __atomic_load_n(&trace_bufs[cpu].head, __ATOMIC_ACQUIRE);
	}
	return n;
}

/* On each CPU, interrupts off (a cross-call): no writer of this CPU is running. */
static void clear_local(void *info)
{
	WRITE_ONCE(trace_bufs[this_cpu_id()].head, 0);
}

void trace_ring_clear(void)
{
	on_each_cpu(clear_local, NULL, true);
}

static void sync_noop(void *info) {}

static unsigned int order_for_kb(unsigned long kb)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < kb * 1024)
		order++;
	return order;
}

unsigned long trace_ring_size_kb(void)
{
	return (PAGE_SIZE << ring_order) / 1024;
}

static void free_rings(struct page **pages, int n, unsigned int order)
{
	for (int cpu = 0; cpu < n; cpu++)
		if (pages[cpu])
			__free_pages(pages[cpu], order);
}

/*
 * New rings of @size_kb (rounded up to a power of two of pages) for every
 * online CPU, or none: -ENOMEM leaves the old ones. The caller holds
 * trace_mutex (trace/trace_fs.c; at boot nothing else runs) and turned
 * tracing off under it; the cross-call below waits until no CPU is inside
 * a writer (see trace_record) before the old rings go back to the buddy
 * allocator. Two resizes at once shared the arrays below and freed each
 * other's rings ("Bad page state"); the lock is what rules that out.
 */
int trace_ring_resize(unsigned long size_kb)
{
	static struct page *fresh[MAX_CPUS], *old[MAX_CPUS]; /* under trace_mutex */
	int n = READ_ONCE(nr_cpus_online);
	unsigned int order;

	if (size_kb == 0 || size_kb > TRACE_BUFFER_KB_MAX)
		return -EINVAL;
	order = order_for_kb(size_kb);
	memset(fresh, 0, sizeof(fresh));
	for (int cpu = 0; cpu < n; cpu++) {
		fresh[cpu] = alloc_pages(GFP_TRACE | __GFP_NOWARN, order);
		if (!fresh[cpu]) {
			free_rings(fresh, cpu, order);
			return -ENOMEM;
		}
	}
	on_each_cpu(sync_noop, NULL, true);
	for (int cpu = 0; cpu < n; cpu++) {
		struct trace_cpu_buf *b = &trace_bufs[cpu];

		old[cpu] = b->page;
		b->page = fresh[cpu];
		b->ring = page_address(fresh[cpu]);
		b->nr = (PAGE_SIZE << order) / sizeof(struct trace_entry);
		b->head = 0;
	}
	free_rings(old, n, ring_order);
	ring_order = order;
	return 0;
}

int trace_ring_init(unsigned long size_kb)
{
	return trace_ring_resize(size_kb);
}
