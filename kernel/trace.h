/*
 * Tracing in Linux's format (/sys/kernel/tracing/, docs/tracing.md): the
 * hooks that the TLB, IPI, interrupt and HVO code calls. Each hook is a
 * static inline function with one predictable branch on a per-event byte,
 * set only while tracing_on and that event are both on; `make TRACING=0`
 * compiles every hook to nothing. Never call a hook from an NMI handler.
 */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <stdint.h>

#include "kernel/platform.h" /* this_cpu_id() */
#include "lib/kernel.h"

#ifndef FLUSHLAB_TRACING
#define FLUSHLAB_TRACING 1
#endif

enum trace_event_id {
	TRACE_TLB_FLUSH,	   /* tlb:tlb_flush */
	TRACE_IPI_SEND_CPU,	   /* ipi:ipi_send_cpu */
	TRACE_IPI_SEND_CPUMASK,	   /* ipi:ipi_send_cpumask */
	TRACE_CALL_FUNCTION_ENTRY, /* irq_vectors:call_function_entry */
	TRACE_CALL_FUNCTION_EXIT,
	TRACE_LOCAL_TIMER_ENTRY, /* irq_vectors:local_timer_entry */
	TRACE_LOCAL_TIMER_EXIT,
	TRACE_HVO_SPLIT, /* flushlab:hvo_split ... */
	TRACE_HVO_REMAP,
	TRACE_HVO_RESTORE,
	TRACE_SHOOTDOWN_PUBLISH,
	TRACE_SHOOTDOWN_RECEIVED,
	TRACE_SHOOTDOWN_ACK,
	TRACE_SHOOTDOWN_DONE,
	TRACE_MARKER, /* ftrace:print, from trace_marker; on with tracing_on */
	NR_TRACE_EVENTS
};

/* Linux's enum tlb_flush_reason (include/linux/mm_types.h), then flushlab's. */
enum tlb_flush_reason {
	TLB_FLUSH_ON_TASK_SWITCH,
	TLB_REMOTE_SHOOTDOWN,
	TLB_LOCAL_SHOOTDOWN,
	TLB_LOCAL_MM_SHOOTDOWN,
	TLB_REMOTE_SEND_IPI,
	TLB_EPOCH_FLUSH, /* flushlab: a timer tick's catch-up with the TLB epoch */
	NR_TLB_FLUSH_REASONS
};

#define TLB_FLUSH_ALL_PAGES (-1L) /* tlb_flush's pages for a full flush */

/* 1 while tracing_on and the event are both on; written by trace_fs.c only. */
extern uint8_t trace_event_active[NR_TRACE_EVENTS];

/* Per-CPU hardirq nesting, for the `h` flag; written by its own CPU only. */
struct trace_cpu_state {
	uint32_t hardirq;
} __attribute__((aligned(64)));
extern struct trace_cpu_state trace_cpu_state[];

/*
 * Record one event on this CPU (interrupts off inside; re-checks the
 * event's byte with them off, which the buffer resize relies on). Any
 * context but NMI.
 */
void trace_record(unsigned int id, uint64_t a0, uint64_t a1, uint64_t a2);

#if FLUSHLAB_TRACING

#define TRACE_HOOK(id, a0, a1, a2)                                                                 \
	do {                                                                                       \
		if (unlikely(READ_ONCE(trace_event_active[id])))                                   \
			trace_record(id, (uint64_t)(a0), (uint64_t)(a1), (uint64_t)(a2));          \
	} while (0)

/* Interrupt handlers: entering and leaving (the `h` flag). Interrupts off. */
static inline void trace_hardirq_enter(void)
{
	trace_cpu_state[this_cpu_id()].hardirq++;
}

static inline void trace_hardirq_exit(void)
{
	trace_cpu_state[this_cpu_id()].hardirq--;
}

#else /* FLUSHLAB_TRACING == 0: every hook compiles to nothing */

#define TRACE_HOOK(id, a0, a1, a2)                                                                 \
	do {                                                                                       \
		(void)(a0);                                                                        \
		(void)(a1);                                                                        \
		(void)(a2);                                                                        \
	} while (0)
static inline void trace_hardirq_enter(void) {}
static inline void trace_hardirq_exit(void) {}

#endif

/* tlb:tlb_flush: @pages flushed here (TLB_FLUSH_ALL_PAGES: all), and why. */
static inline void trace_tlb_flush(long pages, enum tlb_flush_reason reason)
{
	TRACE_HOOK(TRACE_TLB_FLUSH, pages, reason, 0);
}

/* ipi:ipi_send_cpu: one ICR write to @cpu; @callsite asked, @callback runs there. */
static inline void trace_ipi_send_cpu(int cpu, uintptr_t callsite, uintptr_t callback)
{
	TRACE_HOOK(TRACE_IPI_SEND_CPU, cpu, callsite, callback);
}

/* ipi:ipi_send_cpumask: one shorthand ICR write reaching CPUs @mask (0-63). */
static inline void trace_ipi_send_cpumask(uint64_t mask, uintptr_t callsite, uintptr_t callback)
{
	TRACE_HOOK(TRACE_IPI_SEND_CPUMASK, mask, callsite, callback);
}

static inline void trace_call_function_entry(int vector)
{
	TRACE_HOOK(TRACE_CALL_FUNCTION_ENTRY, vector, 0, 0);
}

static inline void trace_call_function_exit(int vector)
{
	TRACE_HOOK(TRACE_CALL_FUNCTION_EXIT, vector, 0, 0);
}

static inline void trace_local_timer_entry(int vector)
{
	TRACE_HOOK(TRACE_LOCAL_TIMER_ENTRY, vector, 0, 0);
}

static inline void trace_local_timer_exit(int vector)
{
	TRACE_HOOK(TRACE_LOCAL_TIMER_EXIT, vector, 0, 0);
}

/* flushlab:hvo_split: @pmds vmemmap PMDs split to 4 KiB in [start, end). */
static inline void trace_hvo_split(uintptr_t start, uintptr_t end, unsigned long pmds)
{
	TRACE_HOOK(TRACE_HVO_SPLIT, start, end, pmds);
}

/* flushlab:hvo_remap: @pages vmemmap pages of [start, end) now map the shared tail. */
static inline void trace_hvo_remap(uintptr_t start, uintptr_t end, unsigned long pages)
{
	TRACE_HOOK(TRACE_HVO_REMAP, start, end, pages);
}

/* flushlab:hvo_restore: @pages vmemmap pages of [start, end) have own frames again. */
static inline void trace_hvo_restore(uintptr_t start, uintptr_t end, unsigned long pages)
{
	TRACE_HOOK(TRACE_HVO_RESTORE, start, end, pages);
}

/* flushlab:shootdown_publish: a request for CPUs @targets (0-63), @pages (-1: all). */
static inline void trace_shootdown_publish(int protocol, uint64_t targets, long pages)
{
	TRACE_HOOK(TRACE_SHOOTDOWN_PUBLISH, protocol, targets, pages);
}

/* flushlab:shootdown_received: this CPU read @initiator's request. */
static inline void trace_shootdown_received(int initiator)
{
	TRACE_HOOK(TRACE_SHOOTDOWN_RECEIVED, initiator, 0, 0);
}

/* flushlab:shootdown_ack: this CPU acknowledged, before (@early) or after its flush. */
static inline void trace_shootdown_ack(int initiator, bool early)
{
	TRACE_HOOK(TRACE_SHOOTDOWN_ACK, initiator, early, 0);
}

/* flushlab:shootdown_done: the initiator saw every ack after @wait_cycles of waiting. */
static inline void trace_shootdown_done(int protocol, int targets, uint64_t wait_cycles)
{
	TRACE_HOOK(TRACE_SHOOTDOWN_DONE, protocol, targets, wait_cycles);
}

/* /sys/kernel/tracing/ and the ring buffers (trace/trace_fs.c). Once, at boot. */
void trace_init(void);

#endif
