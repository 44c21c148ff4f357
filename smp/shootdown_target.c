/*
 * Carrying out a flush request on one CPU: INVLPG per page or a full
 * flush, counted in the ledger and traced; and a target's side of every
 * protocol (shootdown.c), from its IPI handler or from a wait loop that
 * polls. The ordering argument for real hardware is at the top of
 * shootdown.c.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/tlb.h"
#include "flushlab/layout.h"
#include "kernel/trace.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "smp/shootdown_priv.h"
#include "smp/tlb_ledger.h"
#include "smp/tlbflush_priv.h"

/*
 * The ledger counts a request's flushes before an ack (early ack: before
 * the flush itself), so an initiator that returns sees every count of it.
 */
static uintptr_t req_stride(const struct flush_req *req)
{
	return req->stride_shift ? 1UL << req->stride_shift : PAGE_SIZE;
}

long req_pages(const struct flush_req *req)
{
	uintptr_t stride = req_stride(req);

	if (req->full)
		return TLB_FLUSH_ALL_PAGES;
	if (req->vas)
		return req->nr;
	return (ALIGN_UP(req->end, stride) - ALIGN_DOWN(req->start, stride)) / stride;
}

static void count_req(const struct flush_req *req)
{
	struct tlb_ledger_totals *l = tlb_ledger_this();

	if (req->full)
		l->local_flush_all++;
	else
		l->local_flush_one += req_pages(req);
}

/*
 * A user request (req->cr3 != 0) concerns only a CPU that walks that root
 * now. INVLPG and a CR3 reload act on the current address space only (with
 * PCID off there is just the one: SDM vol. 3, 4.10.4.1), and a CPU that
 * has switched away from the root flushed every non-global entry, and its
 * paging-structure caches, with the CR3 write that switched (PCID off;
 * user entries are never global). So a CPU on another root holds nothing
 * of this mm and skips the request; one that switches to it later walks
 * the new tables. Interrupts are off here, so CR3 cannot change between
 * this test and the flush. With PCID on, a CPU that switched away keeps
 * the mm's entries under another PCID: tlb_mm_plan (smp/asid.c) flushes
 * that PCID with INVPCID or leaves it to its next load.
 */
static bool req_applies(const struct flush_req *req, struct asid_plan *plan)
{
	if (!req->cr3) {
		*plan = (struct asid_plan){ASID_FLUSH_LOADED, ASID_NONE};
		return true;
	}
	return tlb_mm_plan(req, plan);
}

/*
 * INVPCID on a PCID not in CR3: type 0 per page (user entries are never
 * global), type 1 for all (SDM vol. 2, INVPCID; AMD APM vol. 3, INVPCID,
 * the same types). Both also empty that PCID's paging-structure caches.
 */
static void flush_other_pcid(const struct flush_req *req, uint16_t pcid)
{
	uintptr_t stride = req_stride(req);

	if (req->full) {
		local_flush_tlb_pcid(pcid);
	} else if (req->vas) {
		for (unsigned long i = 0; i < req->nr; i++)
			local_flush_tlb_pcid_one(pcid, req->vas[i]);
	} else {
		for (uintptr_t va = ALIGN_DOWN(req->start, stride); va < req->end; va += stride)
			local_flush_tlb_pcid_one(pcid, va);
	}
}

/*
 * Interrupts off (every caller), so the trace record below needs no lock.
 * A kernel range flush is INVLPG: it drops the page's global entries
 * under every PCID but the paging-structure caches of the current PCID
 * only (SDM vol. 3, 4.10.4.1), so with PCID on the other PCIDs are seen
 * to (tlb_pcid_kernel_range_flushed).
 */
static void do_flush(const struct flush_req *req, const struct asid_plan *plan,
		     enum tlb_flush_reason reason)
{
	uintptr_t stride = req_stride(req);

	if (plan->action == ASID_FLUSH_OTHER) {
		flush_other_pcid(req, asid_pcid(plan->asid));
	} else if (req->full && req->cr3) {
		local_flush_tlb_nonglobal(); /* user entries are never global */
	} else if (req->full) {
		local_flush_tlb_all();
	} else if (req->vas) {
		for (unsigned long i = 0; i < req->nr; i++)
			local_flush_tlb_one(req->vas[i]);
	} else {
		for (uintptr_t va = ALIGN_DOWN(req->start, stride); va < req->end; va += stride)
			local_flush_tlb_one(va);
	}
	if (req->cr3)
		tlb_mm_flush_done(req, plan);
	else if (!req->full)
		tlb_pcid_kernel_range_flushed();
	trace_tlb_flush(req_pages(req), reason);
}

static void flush_req_apply(const struct flush_req *req, enum tlb_flush_reason reason)
{
	struct asid_plan plan;

	if (!req_applies(req, &plan))
		return;
	do_flush(req, &plan, reason);
	count_req(req);
}

void flush_req_local(const struct flush_req *req)
{
	flush_req_apply(req, req->cr3 ? TLB_LOCAL_MM_SHOOTDOWN : TLB_LOCAL_SHOOTDOWN);
}

/* ---- the target's side ---- */

/*
 * Early ack: take private copies of all the request says (the list into
 * @buf) so the initiator may reuse its request and list after our ack.
 * True if the list was longer than we copy and became a full flush: the
 * caller counts it (early_ack_full), since the initiator's over_ceiling
 * cannot know.
 */
static bool copy_for_early_ack(struct flush_req *req, uintptr_t *buf)
{
	if (req->full || !req->vas)
		return false;
	if (req->nr > EARLY_ACK_MAX_PAGES) {
		req->full = true; /* more than we copy: a full flush covers it */
		req->vas = NULL;
		return true;
	}
	memcpy(buf, req->vas, req->nr * sizeof(*buf));
	req->vas = buf;
	return false;
}

/*
 * Interrupts are off here (the IPI handler or an irqs-off poll), so the
 * trace records below go into this CPU's own ring without a lock; each
 * ack is recorded just before the store that releases the initiator, so
 * its timestamp comes before the initiator's shootdown_done.
 */
static void serve_csd(struct flush_csd *csd)
{
	uintptr_t buf[EARLY_ACK_MAX_PAGES];
	struct flush_req req = csd->req; /* after the acquire load of armed */
	struct asid_plan plan;

	tlb_ledger_this()->remote_flush_received++;
	trace_shootdown_received(req.initiator);
	if (!req_applies(&req, &plan)) {
		trace_shootdown_ack(req.initiator, false);
		__atomic_store_n(&csd->armed, 0, __ATOMIC_RELEASE);
	} else if (csd->early_ack) {
		if (copy_for_early_ack(&req, buf))
			tlb_ledger_this()->early_ack_full++;
		count_req(&req);
		trace_shootdown_ack(req.initiator, true);
		__atomic_store_n(&csd->armed, 0, __ATOMIC_RELEASE);
		do_flush(&req, &plan, TLB_REMOTE_SHOOTDOWN);
	} else {
		do_flush(&req, &plan, TLB_REMOTE_SHOOTDOWN);
		count_req(&req);
		trace_shootdown_ack(req.initiator, false);
		__atomic_store_n(&csd->armed, 0, __ATOMIC_RELEASE);
	}
}

static void serve_line(int self, uint32_t gen)
{
	uintptr_t buf[EARLY_ACK_MAX_PAGES];
	struct flush_req req = flush_line.req; /* after the acquire load of gen */
	struct asid_plan plan;
	bool applies = req_applies(&req, &plan);

	if (copy_for_early_ack(&req, buf) && applies)
		tlb_ledger_this()->early_ack_full++;
	shootdown_cpu[self].line_gen_seen = gen;
	tlb_ledger_this()->remote_flush_received++;
	trace_shootdown_received(req.initiator); /* interrupts off: see serve_csd */
	if (applies)
		count_req(&req);
	trace_shootdown_ack(req.initiator, true);
	__atomic_sub_fetch(&flush_line.pending, 1, __ATOMIC_RELEASE); /* LOCK XADD */
	if (applies)
		do_flush(&req, &plan, TLB_REMOTE_SHOOTDOWN);
}

/*
 * At most one request waits for a CPU at a time (one initiator holds the
 * lock, and it waits until every target has at least read its request),
 * so checking the CPU's own copy and then the shared line serves it. Run
 * on this CPU with interrupts off only, so the IPI handler and a poll on
 * the same CPU never interleave.
 */
void shootdown_handle_pending(void)
{
	int self = this_cpu_id();
	uint32_t gen;

	if (__atomic_load_n(&flush_csd[self].armed, __ATOMIC_ACQUIRE)) {
		serve_csd(&flush_csd[self]);
		return;
	}
	gen = __atomic_load_n(&flush_line.gen, __ATOMIC_ACQUIRE);
	if (gen != shootdown_cpu[self].line_gen_seen)
		serve_line(self, gen);
}

/*
 * The handler runs with interrupts off and touches only its request (copy
 * or line), its stack, its ledger line and the LAPIC: nothing in a range
 * mm/ flushes (vmemmap, scratch). A request arriving while it runs is held
 * in the IRR until the EOI, sent last, and is served then.
 */
void tlb_shootdown_interrupt(struct trap_frame *frame)
{
	trace_hardirq_enter();
	trace_call_function_entry(TLB_SHOOTDOWN_VECTOR);
	shootdown_handle_pending();
	trace_call_function_exit(TLB_SHOOTDOWN_VECTOR);
	trace_hardirq_exit();
	lapic_eoi();
}
