/*
 * The event table: each event's system and name, and how its fields print,
 * in Linux's TP_printk formats where Linux has the event (tlb, ipi,
 * irq_vectors) and in the same key=value style for flushlab's own. Shared
 * by the kernel and the host test of the text format.
 */
#include "arch/x86_64/tsc.h"
#include "kernel/backtrace.h"
#include "trace/trace_priv.h"
#include "lib/kernel.h"
#include "smp/shootdown.h"

typedef int (*print_fn)(char *buf, size_t size, const struct trace_entry *e);

struct trace_event_desc {
	const char *system, *name;
	print_fn print;
};

int trace_print_nr_cpus = 1; /* bits in a printed cpumask; set by trace_output */

/* Linux's __print_symbolic table for tlb_flush's reason, plus flushlab's last. */
static const char *const tlb_flush_reasons[NR_TLB_FLUSH_REASONS] = {
    "flush on task switch", "remote shootdown", "local shootdown",
    "local mm shootdown",   "remote ipi send",	"tlb epoch flush",
};

static int print_tlb_flush(char *buf, size_t size, const struct trace_entry *e)
{
	uint64_t r = e->args[1];

	return snprintf(buf, size, "pages:%ld reason:%s (%d)", (long)e->args[0],
			r < NR_TLB_FLUSH_REASONS ? tlb_flush_reasons[r] : "?", (int)r);
}

/* %pS: name+0xoff/0xsize, or the bare address when no symbol holds it. */
static int print_sym(char *buf, size_t size, uint64_t addr)
{
	uint64_t off, len;
	const char *name = addr ? symbolize_sized(addr, &off, &len) : NULL;

	if (!name)
		return snprintf(buf, size, "0x%lx", (unsigned long)addr);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", name, (unsigned long)off, (unsigned long)len);
}

/* Linux's %*pb: hex, 32-bit chunks separated by commas, the first one as wide as its bits. */
static int print_cpumask(char *buf, size_t size, uint64_t mask)
{
	int bits = MIN(MAX(trace_print_nr_cpus, 1), 64);
	int first = bits % 32 ? bits % 32 : 32;

	if (bits <= 32)
		return snprintf(buf, size, "%0*lx", (first + 3) / 4, (unsigned long)mask);
	return snprintf(buf, size, "%0*lx,%08lx", (first + 3) / 4, (unsigned long)(mask >> 32),
			(unsigned long)(mask & 0xffffffffUL));
}

static int print_callsite(char *buf, size_t size, const struct trace_entry *e)
{
	int n = snprintf(buf, size, " callsite=");

	n += print_sym(buf + n, size - n, e->args[1]);
	n += snprintf(buf + n, size - n, " callback=");
	return n + print_sym(buf + n, size - n, e->args[2]);
}

static int print_ipi_send_cpu(char *buf, size_t size, const struct trace_entry *e)
{
	int n = snprintf(buf, size, "cpu=%u", (unsigned int)e->args[0]);

	return n + print_callsite(buf + n, size - n, e);
}

static int print_ipi_send_cpumask(char *buf, size_t size, const struct trace_entry *e)
{
	int n = snprintf(buf, size, "cpumask=");

	n += print_cpumask(buf + n, size - n, e->args[0]);
	return n + print_callsite(buf + n, size - n, e);
}

static int print_vector(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "vector=%d", (int)e->args[0]);
}

static int print_hvo(char *buf, size_t size, const struct trace_entry *e, const char *what)
{
	return snprintf(buf, size, "start=0x%lx end=0x%lx %s=%lu", (unsigned long)e->args[0],
			(unsigned long)e->args[1], what, (unsigned long)e->args[2]);
}

static int print_hvo_split(char *buf, size_t size, const struct trace_entry *e)
{
	return print_hvo(buf, size, e, "pmds");
}

static int print_hvo_pages(char *buf, size_t size, const struct trace_entry *e)
{
	return print_hvo(buf, size, e, "pages");
}

static int print_publish(char *buf, size_t size, const struct trace_entry *e)
{
	int n = snprintf(buf, size, "protocol=%s targets=",
			 shootdown_protocol_name((enum shootdown_protocol)e->args[0]));

	n += print_cpumask(buf + n, size - n, e->args[1]);
	return n + snprintf(buf + n, size - n, " pages=%ld", (long)e->args[2]);
}

static int print_received(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "initiator=%d", (int)e->args[0]);
}

static int print_ack(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "initiator=%d ack=%s", (int)e->args[0],
			e->args[1] ? "early" : "late");
}

static int print_done(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "protocol=%s targets=%d wait_ns=%lu",
			shootdown_protocol_name((enum shootdown_protocol)e->args[0]),
			(int)e->args[1], (unsigned long)cycles_to_ns(e->args[2]));
}

static const struct trace_event_desc events[NR_TRACE_EVENTS] = {
    [TRACE_TLB_FLUSH] = {"tlb", "tlb_flush", print_tlb_flush},
    [TRACE_IPI_SEND_CPU] = {"ipi", "ipi_send_cpu", print_ipi_send_cpu},
    [TRACE_IPI_SEND_CPUMASK] = {"ipi", "ipi_send_cpumask", print_ipi_send_cpumask},
    [TRACE_CALL_FUNCTION_ENTRY] = {"irq_vectors", "call_function_entry", print_vector},
    [TRACE_CALL_FUNCTION_EXIT] = {"irq_vectors", "call_function_exit", print_vector},
    [TRACE_LOCAL_TIMER_ENTRY] = {"irq_vectors", "local_timer_entry", print_vector},
    [TRACE_LOCAL_TIMER_EXIT] = {"irq_vectors", "local_timer_exit", print_vector},
    [TRACE_HVO_SPLIT] = {"flushlab", "hvo_split", print_hvo_split},
    [TRACE_HVO_REMAP] = {"flushlab", "hvo_remap", print_hvo_pages},
    [TRACE_HVO_RESTORE] = {"flushlab", "hvo_restore", print_hvo_pages},
    [TRACE_SHOOTDOWN_PUBLISH] = {"flushlab", "shootdown_publish", print_publish},
    [TRACE_SHOOTDOWN_RECEIVED] = {"flushlab", "shootdown_received", print_received},
    [TRACE_SHOOTDOWN_ACK] = {"flushlab", "shootdown_ack", print_ack},
    [TRACE_SHOOTDOWN_DONE] = {"flushlab", "shootdown_done", print_done},
    [TRACE_MARKER] = {"ftrace", "print", NULL},
};

const char *trace_event_name(unsigned int id)
{
	return id < NR_TRACE_EVENTS ? events[id].name : "?";
}

const char *trace_event_system(unsigned int id)
{
	return id < NR_TRACE_EVENTS ? events[id].system : "?";
}

int trace_event_print(char *buf, size_t size, const struct trace_entry *e)
{
	int n;

	if (e->id >= NR_TRACE_EVENTS || !events[e->id].print)
		return snprintf(buf, size, "?");
	n = events[e->id].print(buf, size, e);
	return MIN(n, (int)size - 1);
}
