/*
 * The decisions behind PCIDs (see asid.h): which slot an mm gets, when a
 * CR3 write may keep a PCID's entries, and what a flush does to a PCID
 * that is not in CR3. Pure C on one CPU's state; the ordering argument
 * that makes tlb_gen trustworthy is in smp/tlb_mm.c, before the code that
 * reads it.
 */
#include "smp/asid.h"

void asid_cpu_init(struct asid_cpu *c)
{
	*c = (struct asid_cpu){.loaded = ASID_NONE};
}

uint16_t asid_pcid(unsigned int asid)
{
	return asid >= ASID_NONE ? 0 : (uint16_t)(asid + 1);
}

uint64_t asid_cr3(uint64_t root_pa, unsigned int asid, bool need_flush)
{
	return (root_pa & ~CR3_PCID_MASK & ~CR3_NOFLUSH) | asid_pcid(asid) |
	       (need_flush ? 0 : CR3_NOFLUSH);
}

static int find_slot(const struct asid_cpu *c, uint64_t ctx_id)
{
	for (unsigned int i = 0; i < TLB_NR_DYN_ASIDS; i++)
		if (ctx_id && c->slots[i].ctx_id == ctx_id)
			return (int)i;
	return -1;
}

/*
 * A victim for a new mm: an empty slot first, else round robin (the
 * loaded slot may go too: its mm is being left). Linux takes plain round
 * robin; the empty-first rule lets a slot emptied by a kernel range flush
 * be reused before a live mm is pushed out.
 */
static unsigned int pick_victim(struct asid_cpu *c)
{
	unsigned int v;

	for (unsigned int i = 0; i < TLB_NR_DYN_ASIDS; i++)
		if (!c->slots[i].ctx_id)
			return i;
	v = c->next_victim;
	c->next_victim = (v + 1) % TLB_NR_DYN_ASIDS;
	c->evictions++;
	return v;
}

struct asid_switch asid_switch_mm(struct asid_cpu *c, uint64_t ctx_id, uint64_t tlb_gen)
{
	int i = find_slot(c, ctx_id);
	struct asid_switch sw;

	if (i >= 0) {
		sw.asid = (unsigned int)i;
		/* Behind: a flush skipped this CPU (not in mm_cpumask) since the slot was current.
		 */
		sw.need_flush = c->slots[i].tlb_gen < tlb_gen;
		c->hits++;
		c->hits_noflush += !sw.need_flush;
	} else {
		sw.asid = pick_victim(c);
		sw.need_flush = true; /* the PCID may hold another mm's entries */
		c->slots[sw.asid].ctx_id = ctx_id;
	}
	if (sw.need_flush) /* the CR3 write empties the PCID: current up to what we read */
		c->slots[sw.asid].tlb_gen = tlb_gen;
	c->loaded = sw.asid;
	return sw;
}

struct asid_switch asid_switch_kernel(struct asid_cpu *c)
{
	c->loaded = ASID_NONE;
	return (struct asid_switch){.asid = ASID_NONE, .need_flush = true};
}

struct asid_plan asid_plan_flush(struct asid_cpu *c, uint64_t ctx_id, uint64_t new_gen, bool full,
				 bool have_invpcid)
{
	int i = find_slot(c, ctx_id);

	(void)full;
	/* No slot: no PCID holds its entries (a slot given away is flushed on load). */
	if (i < 0 || c->slots[i].tlb_gen >= new_gen)
		return (struct asid_plan){ASID_NOTHING, 0};
	if ((unsigned int)i == c->loaded)
		return (struct asid_plan){ASID_FLUSH_LOADED, (unsigned int)i};
	if (have_invpcid) {
		c->other_flushed++;
		return (struct asid_plan){ASID_FLUSH_OTHER, (unsigned int)i};
	}
	/* tlb_gen < new_gen <= the mm's tlb_gen: asid_switch_mm will flush it. */
	c->deferred++;
	return (struct asid_plan){ASID_DEFERRED, (unsigned int)i};
}

void asid_flush_done(struct asid_cpu *c, unsigned int asid, uint64_t new_gen, bool full)
{
	struct asid_slot *s;

	if (asid >= TLB_NR_DYN_ASIDS)
		return;
	s = &c->slots[asid];
	if (full ? s->tlb_gen < new_gen : s->tlb_gen + 1 == new_gen)
		s->tlb_gen = new_gen;
}

int asid_kernel_range_flushed(struct asid_cpu *c, bool have_invpcid, uint32_t *flush)
{
	int n = 0;

	*flush = 0;
	for (unsigned int i = 0; i < TLB_NR_DYN_ASIDS; i++) {
		if (i == c->loaded || !c->slots[i].ctx_id)
			continue;
		n++;
		if (have_invpcid) {
			*flush |= 1U << i;
		} else {
			c->slots[i] = (struct asid_slot){0, 0};
			c->forgotten++;
		}
	}
	return n;
}
