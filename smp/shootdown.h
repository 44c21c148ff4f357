/*
 * The TLB shootdown engine behind smp/tlbflush.h: one flush request carried
 * to every online CPU on its own IPI vector, by one of several protocols
 * chosen at run time (/sys/kernel/debug/flushlab/shootdown_protocol), so
 * their costs can be measured side by side. Each step adds one technique:
 *
 *   protocol     IPIs (all others targeted)  local flush   ack           request
 *   linux        one ICR write per target    before send   after flush   per-target copy
 *   broadcast    one, all-excluding-self     before send   after flush   per-target copy
 *   concurrent   one, all-excluding-self     while waiting after flush   per-target copy
 *   early_ack    one, all-excluding-self     while waiting on entry      per-target copy
 *   cacheline    one, all-excluding-self     while waiting on entry      one shared line
 */
#ifndef SMP_SHOOTDOWN_H
#define SMP_SHOOTDOWN_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/cpumask.h"

/* An early-ack target copies this many addresses; a longer list is a full flush there. */
#define EARLY_ACK_MAX_PAGES 64

enum shootdown_protocol {
	SHOOTDOWN_LINUX,
	SHOOTDOWN_BROADCAST,
	SHOOTDOWN_CONCURRENT,
	SHOOTDOWN_EARLY_ACK,
	SHOOTDOWN_CACHELINE,
	NR_SHOOTDOWN_PROTOCOLS
};

/* One flush, as the engine carries it (Linux's struct flush_tlb_info). */
struct flush_req {
	uintptr_t start, end; /* range form: [start, end), when vas is NULL */
	const uintptr_t *vas; /* list form: nr page addresses */
	uint32_t nr;	      /* flush_tlb_kernel_pages makes a longer list a full flush */
	bool full : 1;	      /* every entry, global ones included (no range/list then) */
	/*
	 * What the caller does once the engine returns, which an early ack
	 * would make unsafe (see shootdown_req_check): frees page-table pages
	 * that were reachable before the change; or links a new entry where
	 * one of another page size was cleared (break-before-make, SDM vol. 3,
	 * 4.10.2.3). Either flag makes every protocol ack late.
	 */
	bool frees_tables : 1;
	bool bbm : 1;
	uint8_t cause;	      /* enum flush_cause */
	uint8_t stride_shift; /* range form: one INVLPG per 1 << stride_shift bytes (0: 4 KiB) */
	uint8_t
	    initiator; /* set by the engine in each target's copy: who sent it (for the trace) */
	uint64_t cr3;  /* 0: kernel (every CPU); else only CPUs whose CR3 root is this (user mm) */
	uint64_t ctx_id;      /* user mm: its ctx_id, for a PCID that holds it but is not in CR3 */
	uint64_t new_tlb_gen; /* user mm: its tlb_gen after this request's bump (smp/asid.h) */
};

extern enum shootdown_protocol shootdown_protocol; /* the knob; default cacheline */
extern bool shootdown_spin_pause;		   /* PAUSE in wait loops (1, right for hardware) */

const char *shootdown_protocol_name(enum shootdown_protocol p);
/* By name (a trailing newline allowed): 0, or -EINVAL for an unknown name. */
int shootdown_protocol_set(const char *name);

/*
 * Carry @req to this CPU and every other online CPU; returns when no CPU
 * can use a translation @req drops (see each protocol for what "ack" means).
 * Process or interrupt context, interrupts on or off; not from NMI context
 * nor from a shootdown handler. Counts one request when another CPU is
 * targeted. A caller that will free a page-table page that was reachable
 * before the change, or link a new entry after a break (page-size change),
 * sets req->frees_tables or req->bbm: then every target has flushed, not
 * only read the request, when this returns (early ack is not safe then).
 */
void shootdown(const struct flush_req *req);

/*
 * The targeted form for user address spaces: carry @req (req->cr3 set) to
 * the CPUs in @mask only, this one included if it is in @mask. Same flags,
 * same contexts as shootdown().
 */
void shootdown_mask(const struct flush_req *req, const struct cpumask *mask);

/*
 * shootdown() with protocol @p as given, not as the flags would pick it:
 * for `crash early-ack-table-free`, which shows the engine refusing (BUG)
 * a table-freeing request on an early-ack protocol. Nothing else calls it.
 */
void shootdown_with_protocol(const struct flush_req *req, enum shootdown_protocol p);

/* Does protocol @p release the initiator before its targets have flushed? */
bool shootdown_protocol_acks_early(enum shootdown_protocol p);
/*
 * The engine's contract check, run before every protocol: 0 if @p may
 * carry @req, -EINVAL if @req frees tables or breaks before make and @p
 * acks early (the engine BUGs on that: a freed table reachable from a
 * target's paging-structure caches, or a second page size cached for one
 * address, is not something to carry on from).
 */
int shootdown_req_check(const struct flush_req *req, enum shootdown_protocol p);

/* This CPU only, counted in the ledger: INVLPG per page, or a full flush. */
void flush_req_local(const struct flush_req *req);

/* Serve a shootdown request aimed at this CPU, if one is waiting (interrupts off). */
void shootdown_handle_pending(void);

/* A wait loop's pause: PAUSE, or nothing, as shootdown_spin_pause says. */
void shootdown_spin(void);

#endif
