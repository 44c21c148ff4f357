/*
 * The trace record format and its text output: the interface between the
 * per-CPU rings (trace/trace_ring.c) and the ftrace-format reader
 * (trace/trace_output.c), which tests/host/trace_output_test.c also runs on
 * the host. Like Linux's struct trace_entry, a format, not an implementation.
 */
#ifndef KERNEL_TRACE_RECORD_H
#define KERNEL_TRACE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/trace.h"

/*
 * One record, 64 bytes. @seq is the record's index in its CPU's stream plus
 * one, stored last by the writer (0 while it writes): a reader that finds
 * the same expected @seq before and after copying the record has a whole
 * one. A trace_marker text longer than one record continues in records of
 * id TRACE_CONT, each carrying TRACE_CONT_BYTES more bytes.
 */
struct trace_entry {
	uint64_t seq;
	uint64_t ts;	 /* TSC */
	uint16_t id;	 /* enum trace_event_id, or TRACE_CONT */
	uint8_t flags;	 /* TRACE_FLAG_* */
	uint8_t hardirq; /* nesting depth */
	int32_t pid;	 /* 0: no task (<idle>) */
	char comm[16];
	uint64_t args[3];
};
_Static_assert(sizeof(struct trace_entry) == 64, "records are one cache line");

#define TRACE_CONT 0xffff
#define TRACE_CONT_BYTES sizeof(((struct trace_entry *)0)->args)
#define TRACE_MARKER_MAX_RECORDS 8 /* a marker text is cut at 8 x 24 - 1 bytes */

#define TRACE_FLAG_IRQS_OFF 0x1

/* One CPU's ring as the reader sees it: @head records written in all. */
struct trace_view {
	const struct trace_entry *ring;
	uint64_t nr;   /* slots */
	uint64_t head; /* snapshot of the write count */
};

/* The ftrace text of @nr_cpus views, merged by timestamp, through @out. */
void trace_output(const struct trace_view *views, int nr_cpus, int online_cpus,
		  void (*out)(const char *s, size_t n));

/* One event's fields as Linux's TP_printk prints them ("pages:1 reason:..."). */
int trace_event_print(char *buf, size_t size, const struct trace_entry *e);

extern int trace_print_nr_cpus; /* bits of a printed cpumask (trace_events.c) */

/* Event names: "tlb_flush", and systems: "tlb". */
const char *trace_event_name(unsigned int id);
const char *trace_event_system(unsigned int id);

/* Seconds since boot, in microseconds, of TSC value @ts (trace_ring.c / the host stub). */
uint64_t trace_ts_to_us(uint64_t ts);

#endif
