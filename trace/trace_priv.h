/*
 * Tracing's insides, shared by the ring buffer (trace_ring.c), the text
 * output (trace_output.c) and the event table (trace_events.c). Nothing
 * outside kernel/ includes this; the record format is trace/trace_record.h.
 */
#ifndef KERNEL_TRACE_PRIV_H
#define KERNEL_TRACE_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/trace.h"
#include "trace/trace_record.h"

/* Ring buffers (trace_ring.c), console context only. */
int trace_ring_init(unsigned long size_kb);
int trace_ring_resize(unsigned long size_kb); /* trace_mutex held, tracing off; -EINVAL/-ENOMEM */
unsigned long trace_ring_size_kb(void);
void trace_ring_clear(void);
int trace_ring_views(struct trace_view *views, int max);
void trace_record_marker(const char *text, size_t len);

#define TRACE_BUFFER_KB_DEFAULT 64
#define TRACE_BUFFER_KB_MAX 4096 /* one order-10 block per CPU */

#endif
