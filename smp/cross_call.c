/*
 * Cross-call engine. Each CPU owns one request slot (function, argument,
 * count of targets still to finish), kept in its own cache line; each CPU
 * has an inbox bitmap whose bit I means "CPU I's slot holds a request for
 * you". One IPI on CALL_FUNCTION_VECTOR tells a target to look at its inbox.
 */
#include "smp/cross_call.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/traps.h"
#include "kernel/trace.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "smp/percpu.h"
#include "smp/poll.h"

struct call_request {
	smp_call_func_t func;
	void *info;
	unsigned int pending; /* targets that have not returned from func yet */
} __attribute__((aligned(64)));

struct call_inbox {
	struct cpumask from; /* initiators with a request for this CPU */
} __attribute__((aligned(64)));

static struct call_request call_requests[MAX_CPUS]; /* by initiator */
static struct call_inbox call_inboxes[MAX_CPUS];    /* by target */

/*
 * Why this is race-free (x86 TSO; every RMW below is a LOCKed instruction,
 * a full barrier):
 *
 * 1. Publish. The initiator fills its slot (func, info, pending = N) with
 *    plain stores, then sets its bit in each target's inbox with LOCK OR.
 *    The locked RMW orders the slot stores before the bit: a target that
 *    sees the bit sees the whole request. Only then is the IPI sent; the
 *    bit is globally visible before the ICR write (xAPIC: an uncached MMIO
 *    store, ordered after the locked op; x2APIC: lapic.c puts MFENCE;
 *    LFENCE before the WRMSR).
 * 2. Consume. The target takes its inbox words with XCHG (acquire), so
 *    each bit is consumed exactly once even when the IPI handler and the
 *    wait-loop poll below race on one CPU. It reads func and info after
 *    the XCHG, runs func, then LOCK DECs pending (release): func's writes
 *    are visible before the count drops.
 * 3. Complete. The initiator reads pending with acquire loads; at 0 every
 *    target has returned from func and stopped touching the slot, so the
 *    caller may read results and the slot may be refilled. A new request
 *    from a CPU always waits for its slot to drain first (no-wait calls
 *    included), so a slot is never overwritten under a reader.
 * 4. No lost IPI. A bit set after the target's XCHG comes with its own
 *    IPI; if that IPI arrives while the handler runs, the LAPIC holds it
 *    in the IRR (the vector is in service until our EOI, sent last) and
 *    delivers it after the EOI, so the late bit is taken then.
 * 5. No deadlock. A CPU that waits with interrupts off (slot drain or
 *    completion) polls its own inbox and shootdowns (smp_serve_pending),
 *    so CPUs calling each other, or shooting down at each other, all make
 *    progress.
 */

void cross_call_handle_pending(void)
{
	struct call_inbox *inbox = &call_inboxes[this_cpu_id()];
	struct percpu *pc = this_cpu_ptr();

	for (int w = 0; w < CPUMASK_WORDS; w++) {
		uint64_t bits;

		if (!__atomic_load_n(&inbox->from.bits[w], __ATOMIC_RELAXED))
			continue;
		bits = __atomic_exchange_n(&inbox->from.bits[w], 0, __ATOMIC_ACQ_REL);
		while (bits) {
			struct call_request *req = &call_requests[w * 64 + __builtin_ctzll(bits)];

			bits &= bits - 1;
			req->func(req->info);
			pc->calls_handled++;
			__atomic_sub_fetch(&req->pending, 1, __ATOMIC_RELEASE);
		}
	}
}

/* Interrupts off throughout: the trace records go to this CPU's ring, no lock. */
static void call_function_interrupt(struct trap_frame *frame)
{
	trace_hardirq_enter();
	trace_call_function_entry(CALL_FUNCTION_VECTOR);
	this_cpu_ptr()->call_ipis_received++;
	cross_call_handle_pending();
	trace_call_function_exit(CALL_FUNCTION_VECTOR);
	trace_hardirq_exit();
	lapic_eoi();
}

void cross_call_init(void)
{
	irq_register(CALL_FUNCTION_VECTOR, call_function_interrupt);
}

/* Spin until @req has no targets left, serving the others if interrupts are off. */
static void wait_for_request(struct call_request *req)
{
	bool irqs_off = !(read_rflags() & X86_RFLAGS_IF);

	while (__atomic_load_n(&req->pending, __ATOMIC_ACQUIRE)) {
		if (irqs_off)
			smp_serve_pending();
		cpu_relax();
	}
}

/*
 * IPI every CPU in @targets; one shorthand IPI when that is everyone else.
 * The trace sees each ICR write: ipi_send_cpumask for the shorthand,
 * ipi_send_cpu per unicast, with @callsite (who asked) and @func.
 */
static void send_call_ipis(const struct cpumask *targets, uintptr_t callsite, smp_call_func_t func)
{
	struct percpu *pc = this_cpu_ptr();
	int cpu;

	if (smp_all_enabled_online() && cpumask_weight(targets) == nr_cpus_online - 1) {
		trace_ipi_send_cpumask(targets->bits[0], callsite, (uintptr_t)func);
		lapic_send_ipi_allbutself(CALL_FUNCTION_VECTOR);
		pc->ipis_sent++;
		return;
	}
	for_each_cpu (cpu, targets) {
		trace_ipi_send_cpu(cpu, callsite, (uintptr_t)func);
		lapic_send_ipi(per_cpu(cpu)->apic_id, CALL_FUNCTION_VECTOR);
		pc->ipis_sent++;
	}
}

/*
 * Post @func(@info) to the online CPUs of @mask other than this one and send
 * the IPIs. Interrupts must be off (this CPU's slot and id stay ours).
 * Returns the slot, or NULL when there was no target.
 */
static struct call_request *call_start(const struct cpumask *mask, smp_call_func_t func, void *info,
				       uintptr_t callsite)
{
	int self = this_cpu_id(), cpu, n;
	struct call_request *req = &call_requests[self];
	struct cpumask targets;

	cpumask_and(&targets, mask, &cpu_online_mask);
	cpumask_clear_cpu(self, &targets);
	n = cpumask_weight(&targets);
	if (!n)
		return NULL;
	wait_for_request(req); /* the previous (no-wait) request has drained */
	req->func = func;
	req->info = info;
	__atomic_store_n(&req->pending, n, __ATOMIC_RELAXED);
	for_each_cpu (cpu, &targets)
		cpumask_set_cpu(self, &call_inboxes[cpu].from); /* LOCK OR: publishes the slot */
	send_call_ipis(&targets, callsite, func);
	return req;
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info, bool wait)
{
	uint64_t flags = local_irq_save();
	struct call_request *req =
	    call_start(mask, func, info, (uintptr_t)__builtin_return_address(0));

	local_irq_restore(flags);
	if (req && wait)
		wait_for_request(req);
}

void on_each_cpu_mask(const struct cpumask *mask, smp_call_func_t func, void *info, bool wait)
{
	uint64_t flags = local_irq_save();
	struct call_request *req =
	    call_start(mask, func, info, (uintptr_t)__builtin_return_address(0));

	if (cpumask_test_cpu(this_cpu_id(), mask))
		func(info); /* ours runs while the others run theirs */
	local_irq_restore(flags);
	if (req && wait)
		wait_for_request(req);
}

void on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	on_each_cpu_mask(&cpu_online_mask, func, info, wait);
}

int smp_call_function_single(int cpu, smp_call_func_t func, void *info, bool wait)
{
	struct cpumask one;

	if (cpu < 0 || cpu >= MAX_CPUS || !cpumask_test_cpu(cpu, &cpu_online_mask))
		return -EINVAL;
	cpumask_clear(&one);
	cpumask_set_cpu(cpu, &one);
	on_each_cpu_mask(&one, func, info, wait);
	return 0;
}
