/*
 * The polling seam (smp/poll.h): what a CPU owes the others when it cannot
 * take their IPIs or its tick, in one place. The plumbing below (the tick,
 * the cross-call and lock waits) calls these; they call the engine.
 */
#include "smp/poll.h"
#include "arch/x86_64/cpu.h"
#include "smp/cross_call.h"
#include "smp/shootdown.h"
#include "smp/tlbflush_priv.h"

void smp_poll_tick(void)
{
	tlb_epoch_tick();
}

/*
 * What a CPU spinning with interrupts off still owes the others, since the
 * IPIs and the tick that would make it do these are held off: run the
 * cross-calls aimed at it, serve a shootdown aimed at it (an initiator may
 * wait for this CPU while we wait for it), and catch up with the TLB epoch.
 */
void smp_serve_pending(void)
{
	cross_call_handle_pending();
	shootdown_handle_pending();
	tlb_epoch_tick();
}

void tlb_wait_poll(void)
{
	if (!(read_rflags() & X86_RFLAGS_IF))
		shootdown_handle_pending();
	shootdown_spin();
}
