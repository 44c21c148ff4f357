/*
 * What the TLB model's CPUs share (tlb_model.h): the set of physical frames
 * walked as page tables, and a generation that moves whenever any CPU
 * stores into one of them. The stale-translation checker re-walks an entry
 * only when the generation moved since the entry was last known current.
 * Touched by every vCPU thread: atomics, no locks.
 */
#include "tools/tlbmodel/tlb_model.h"

#include <stdlib.h>

int tlb_shared_init(struct tlb_shared *sh, unsigned int slots)
{
	sh->gen = 1;
	sh->pt_slots = slots;
	sh->pt_frames = calloc(slots, sizeof(*sh->pt_frames));
	return sh->pt_frames ? 0 : -1;
}

void tlb_shared_free(struct tlb_shared *sh)
{
	free(sh->pt_frames);
	sh->pt_frames = NULL;
}

static unsigned int pt_hash(const struct tlb_shared *sh, uint64_t pfn)
{
	return (unsigned int)((pfn * 0x9e3779b97f4a7c15ULL) >> 40) & (sh->pt_slots - 1);
}

/* Remember @table as a page-table frame: a later store to it bumps the generation. */
void tlb_shared_remember(struct tlb_shared *sh, uint64_t table)
{
	uint64_t key = (table >> 12) + 1;
	unsigned int i = pt_hash(sh, key);

	for (unsigned int n = 0; n < 64; n++, i = (i + 1) & (sh->pt_slots - 1)) {
		uint64_t cur = __atomic_load_n(&sh->pt_frames[i], __ATOMIC_RELAXED);

		if (cur == key)
			return;
		if (!cur && __atomic_compare_exchange_n(&sh->pt_frames[i], &cur, key, false,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return;
		if (cur == key)
			return;
	}
	/* A full neighbourhood: the frame is not tracked, so check=gen may miss it (rare). */
}

static bool pt_known(const struct tlb_shared *sh, uint64_t phys)
{
	uint64_t key = (phys >> 12) + 1;
	unsigned int i = pt_hash(sh, key);

	for (unsigned int n = 0; n < 64; n++, i = (i + 1) & (sh->pt_slots - 1)) {
		uint64_t cur = __atomic_load_n(&sh->pt_frames[i], __ATOMIC_RELAXED);

		if (cur == key)
			return true;
		if (!cur)
			return false;
	}
	return false;
}

void tlb_store_phys(struct tlb_shared *sh, uint64_t phys)
{
	if (pt_known(sh, phys))
		__atomic_fetch_add(&sh->gen, 1, __ATOMIC_RELAXED);
}
