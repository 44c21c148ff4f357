/*
 * What the two halves of the shootdown engine share: shootdown.c (the
 * initiator's protocols) and shootdown_target.c (carrying out a request on
 * one CPU: the flush itself, and a target's side of every protocol).
 * Private to smp/.
 */
#ifndef SMP_SHOOTDOWN_PRIV_H
#define SMP_SHOOTDOWN_PRIV_H

#include "arch/x86_64/traps.h"
#include "smp/percpu.h"
#include "smp/shootdown.h"

/* Linux's per-CPU call_single_data: one request copy per target, own line. */
struct flush_csd {
	uint32_t armed;	    /* 1: a request waits; the target's ack stores 0 */
	uint32_t early_ack; /* ack on entry, before flushing */
	struct flush_req req;
} __attribute__((aligned(64)));

/* The cacheline protocol's single request: request and ack count together. */
struct flush_line {
	uint32_t gen;	  /* bumped per request; publishes it */
	uint32_t pending; /* targets that have not acknowledged */
	struct flush_req req;
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct flush_line) == 64, "the request must be one cache line");

struct shootdown_cpu {
	uint32_t line_gen_seen; /* last flush_line.gen this CPU served (or sent) */
} __attribute__((aligned(64)));

extern struct flush_csd flush_csd[MAX_CPUS]; /* by target */
extern struct flush_line flush_line;
extern struct shootdown_cpu shootdown_cpu[MAX_CPUS];

/* Pages @req names, or TLB_FLUSH_ALL_PAGES (-1) for a full flush. */
long req_pages(const struct flush_req *req);

/* The handler of TLB_SHOOTDOWN_VECTOR (registered at the first shootdown). */
void tlb_shootdown_interrupt(struct trap_frame *frame);

#endif
