/*
 * The polling seam: the one place where the CPUs' plumbing calls up into
 * the flush engine and the cross-calls. IPIs and the tick ask a CPU to do
 * work for others (serve a shootdown, run a cross-call, flush for a TLB
 * epoch); a CPU that cannot take them right now (interrupts off, spinning
 * on a lock or for an ack) must do that work by polling, or two CPUs wait
 * for each other for ever. Everything that polls calls one of the three
 * functions below, implemented in poll.c; nothing else below the engine
 * calls into it. Each says who may call it and why.
 */
#ifndef SMP_POLL_H
#define SMP_POLL_H

#define SMP_TICK_HZ 100 /* LAPIC timer ticks per second on every CPU */

/*
 * The timer tick's share of the engine (smp.c's LAPIC timer handler, on
 * every tick, interrupts off; nothing else): catch up with the TLB epoch,
 * a full local flush if this CPU is behind (smp/tlbflush.c). This is how
 * an epoch passes without IPIs; a CPU whose tick does not come is nudged
 * by tlb_epoch_wait.
 */
void smp_poll_tick(void);

/*
 * Liveness rule: a CPU that spins with interrupts off calls this on every
 * iteration: it runs cross-calls and serves a shootdown aimed at this CPU,
 * and catches up with the TLB epoch, the work its held-off IPIs and tick
 * would have done. Callers: the cross-call wait (cross_call.c), the
 * shootdown lock spin (shootdown.c), tlb_epoch_wait (tlbflush.c).
 * Exceptions, each argued where it spins: the shootdown initiator's ack
 * wait (shootdown.c), printk's console lock (kernel/printk.c), the boot CPU
 * waiting for an AP to start (smp.c: no other CPU sends requests yet), and
 * hardware-bounded waits (the xAPIC ICR's delivery status, the UART's
 * transmit register).
 */
void smp_serve_pending(void);

/*
 * One turn of a wait loop for a lock another CPU may hold while it
 * flushes (mm_lock, the hugetlb locks, a mutex waiter with nothing to
 * run): with interrupts off, serve shootdowns aimed at this CPU (the
 * holder may be waiting for our ack); then pause (shootdown_spin). It
 * serves no cross-calls: a lock spun on here must not be held across a
 * cross-call that waits for this CPU.
 */
void tlb_wait_poll(void);

#endif
