/*
 * smp/asid.c on the host: the PCID decisions case by case, then against a
 * model of one CPU's TLB under PCIDs (SDM vol. 3, 4.10): random switches,
 * page walks, user flushes that reach the CPU at once, late (after it
 * switched away) or never (it was not in mm_cpumask), and kernel range
 * flushes. The property: whenever an mm is in CR3, its PCID holds no entry
 * of another mm and none older than a flush that has completed here.
 */
#include <stdint.h>

#include "host_test.h"
#include "smp/asid.h"

HOST_TEST(cr3_value_carries_pcid_and_noflush)
{
	EXPECT_EQ(0, asid_pcid(ASID_NONE));
	EXPECT_EQ(1, asid_pcid(0));
	EXPECT_EQ(TLB_NR_DYN_ASIDS, asid_pcid(TLB_NR_DYN_ASIDS - 1));
	EXPECT_EQ(0x1234000ULL | 3 | CR3_NOFLUSH, asid_cr3(0x1234000, 2, false));
	EXPECT_EQ(0x1234000ULL | 3, asid_cr3(0x1234000, 2, true));
	EXPECT_EQ(0x1234000ULL, asid_cr3(0x1234000, ASID_NONE, true));
	/* Stray low bits or bit 63 in the root never leak into the PCID. */
	EXPECT_EQ(0x1234000ULL | 1, asid_cr3(0x1234fffULL | CR3_NOFLUSH, 0, true));
}

HOST_TEST(switch_back_keeps_entries_unless_behind)
{
	struct asid_cpu c;
	struct asid_switch sw;

	asid_cpu_init(&c);
	EXPECT_EQ(ASID_NONE, c.loaded);
	sw = asid_switch_mm(&c, 100, 5);
	EXPECT_TRUE(sw.need_flush); /* a new slot: the PCID may hold anything */
	EXPECT_EQ(0, sw.asid);
	sw = asid_switch_mm(&c, 200, 0);
	EXPECT_EQ(1, sw.asid);
	sw = asid_switch_mm(&c, 100, 5);
	EXPECT_EQ(0, sw.asid);
	EXPECT_TRUE(!sw.need_flush); /* nothing changed: CR3 bit 63 may be set */
	EXPECT_EQ(1, c.hits_noflush);
	sw = asid_switch_mm(&c, 200, 1); /* flushed once while we were away */
	EXPECT_EQ(1, sw.asid);
	EXPECT_TRUE(sw.need_flush);
	EXPECT_EQ(1, c.slots[1].tlb_gen);
	sw = asid_switch_kernel(&c);
	EXPECT_EQ(ASID_NONE, c.loaded);
	EXPECT_TRUE(sw.need_flush);
}

HOST_TEST(eviction_is_round_robin_after_empty_slots)
{
	struct asid_cpu c;
	struct asid_switch sw;

	asid_cpu_init(&c);
	for (uint64_t ctx = 1; ctx <= TLB_NR_DYN_ASIDS; ctx++)
		EXPECT_EQ(ctx - 1, asid_switch_mm(&c, ctx, 0).asid);
	EXPECT_EQ(0, c.evictions);
	for (unsigned int i = 0; i < 2 * TLB_NR_DYN_ASIDS; i++) {
		sw = asid_switch_mm(&c, 1000 + i, 0);
		EXPECT_EQ(i % TLB_NR_DYN_ASIDS, sw.asid);
		EXPECT_TRUE(sw.need_flush);
	}
	EXPECT_EQ(2 * TLB_NR_DYN_ASIDS, c.evictions);
	/* The evicted mm comes back in a fresh slot, flushed. */
	sw = asid_switch_mm(&c, 1, 0);
	EXPECT_TRUE(sw.need_flush);
}

HOST_TEST(flush_plans)
{
	struct asid_cpu c;
	struct asid_plan p;

	asid_cpu_init(&c);
	p = asid_plan_flush(&c, 7, 1, false, false);
	EXPECT_EQ(ASID_NOTHING, p.action); /* never loaded here */
	asid_switch_mm(&c, 7, 0);
	p = asid_plan_flush(&c, 7, 1, false, false);
	EXPECT_EQ(ASID_FLUSH_LOADED, p.action);
	EXPECT_EQ(0, p.asid);
	asid_flush_done(&c, p.asid, 1, false);
	EXPECT_EQ(1, c.slots[0].tlb_gen);
	p = asid_plan_flush(&c, 7, 1, false, false);
	EXPECT_EQ(ASID_NOTHING, p.action); /* already current */
	asid_switch_mm(&c, 8, 0);	   /* 7 is now in a PCID that is not in CR3 */
	p = asid_plan_flush(&c, 7, 2, true, true);
	EXPECT_EQ(ASID_FLUSH_OTHER, p.action);
	EXPECT_EQ(0, p.asid);
	asid_flush_done(&c, p.asid, 2, true);
	EXPECT_TRUE(!asid_switch_mm(&c, 7, 2).need_flush);
	asid_switch_mm(&c, 8, 0);
	p = asid_plan_flush(&c, 7, 3, false, false);
	EXPECT_EQ(ASID_DEFERRED, p.action);
	EXPECT_EQ(1, c.deferred);
	EXPECT_TRUE(asid_switch_mm(&c, 7, 3).need_flush); /* the deferred flush, at load */
}

HOST_TEST(range_flush_advances_generation_only_without_gap)
{
	struct asid_cpu c;

	asid_cpu_init(&c);
	asid_switch_mm(&c, 9, 4);
	asid_flush_done(&c, 0, 6, false); /* 5 may have been skipped */
	EXPECT_EQ(4, c.slots[0].tlb_gen);
	asid_flush_done(&c, 0, 5, false);
	EXPECT_EQ(5, c.slots[0].tlb_gen);
	asid_flush_done(&c, 0, 9, true);
	EXPECT_EQ(9, c.slots[0].tlb_gen);
	asid_flush_done(&c, 0, 3, true); /* a late, older one changes nothing */
	EXPECT_EQ(9, c.slots[0].tlb_gen);
	asid_flush_done(&c, ASID_NONE, 10, true); /* the kernel's root: no slot */
}

HOST_TEST(kernel_range_flush_reaches_other_pcids)
{
	struct asid_cpu c;
	uint32_t mask;

	asid_cpu_init(&c);
	asid_switch_mm(&c, 1, 0);
	asid_switch_mm(&c, 2, 0);
	asid_switch_mm(&c, 3, 0); /* loaded: slot 2 */
	EXPECT_EQ(2, asid_kernel_range_flushed(&c, true, &mask));
	EXPECT_EQ(0x3, mask);
	EXPECT_EQ(1, c.slots[0].ctx_id); /* INVPCID flushed them: they stay */
	EXPECT_EQ(2, asid_kernel_range_flushed(&c, false, &mask));
	EXPECT_EQ(0, mask);
	EXPECT_EQ(0, c.slots[0].ctx_id);
	EXPECT_EQ(2, c.forgotten);
	EXPECT_TRUE(asid_switch_mm(&c, 1, 0).need_flush); /* emptied: flushed on load */
	EXPECT_EQ(0, asid_switch_mm(&c, 1, 0).asid);	  /* and it took an empty slot */
}

/* ---- the model ---- */

#define NR_MM 9 /* more than the slots: evictions happen */
#define NR_PAGES 4
#define NR_PCID (TLB_NR_DYN_ASIDS + 1)
#define MAX_PENDING 16

struct entry {
	int valid, mm, kernel_psc; /* kernel_psc: a cached kernel paging-structure entry */
	uint64_t walked_gen;	   /* the mm's tlb_gen when this CPU walked it */
};

struct model {
	struct asid_cpu c;
	struct entry tlb[NR_PCID][NR_PAGES];
	uint64_t gen[NR_MM];		   /* each mm's tlb_gen */
	uint64_t changed[NR_MM][NR_PAGES]; /* generation of the page's last PTE change */
	uint64_t kernel_changed;       /* kernel tables changed (a range flush) this many times */
	uint64_t kernel_seen[NR_PCID]; /* ... as of each PCID's kernel_psc entry */
	int loaded_mm;		       /* -1: the kernel's root */
	struct {
		int mm, page, full;
		uint64_t gen;
	} pending[MAX_PENDING];
	int nr_pending;
	int invpcid;
	uint64_t rng;
};

static unsigned int rnd(struct model *m, unsigned int n)
{
	m->rng = m->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(m->rng >> 33) % n;
}

static unsigned int pcid_of_loaded(const struct model *m)
{
	return asid_pcid(m->c.loaded);
}

/* MOV to CR3: bit 63 clear empties the new PCID (non-global entries, PSCs). */
static void switch_to(struct model *m, int mm)
{
	struct asid_switch sw = mm < 0 ? asid_switch_kernel(&m->c)
				       : asid_switch_mm(&m->c, (uint64_t)mm + 1, m->gen[mm]);

	if (sw.need_flush)
		memset(m->tlb[asid_pcid(sw.asid)], 0, sizeof(m->tlb[0]));
	m->loaded_mm = mm;
}

static void walk(struct model *m, int page)
{
	struct entry *e = &m->tlb[pcid_of_loaded(m)][page];

	if (m->loaded_mm < 0 || rnd(m, 4) == 0) { /* a kernel address: its PSC entry */
		e = &m->tlb[pcid_of_loaded(m)][0];
		if (!e->valid || e->kernel_psc) {
			*e = (struct entry){1, -1, 1, 0};
			m->kernel_seen[pcid_of_loaded(m)] = m->kernel_changed;
		}
		return;
	}
	*e = (struct entry){1, m->loaded_mm, 0, m->gen[m->loaded_mm]};
}

/* The IPI's work, at once or late: smp/shootdown_target.c's PCID branch. */
static void deliver(struct model *m, int i)
{
	int mm = m->pending[i].mm, full = m->pending[i].full, page = m->pending[i].page;
	uint64_t g = m->pending[i].gen;
	struct asid_plan p = asid_plan_flush(&m->c, (uint64_t)mm + 1, g, full, m->invpcid);

	m->pending[i] = m->pending[--m->nr_pending];
	if (p.action == ASID_FLUSH_LOADED || p.action == ASID_FLUSH_OTHER) {
		struct entry *t = m->tlb[asid_pcid(p.asid)];

		for (int pg = 0; pg < NR_PAGES; pg++)
			if (full || pg == page)
				t[pg].valid = t[pg].kernel_psc ? t[pg].valid : 0;
		if (full) /* CR3 reload or INVPCID type 1: this PCID's PSCs too */
			memset(t, 0, sizeof(m->tlb[0]));
		asid_flush_done(&m->c, p.asid, g, full);
	}
}

/* flush_tlb_mm_range: PTE change, tlb_gen bump; the IPI comes only if loaded here. */
static void user_flush(struct model *m, int mm)
{
	int page = (int)rnd(m, NR_PAGES), full = rnd(m, 3) == 0;

	m->gen[mm]++;
	for (int pg = 0; pg < NR_PAGES; pg++)
		if (full || pg == page)
			m->changed[mm][pg] = m->gen[mm];
	if (mm != m->loaded_mm || m->nr_pending == MAX_PENDING)
		return; /* not in mm_cpumask: no IPI; asid_switch_mm catches up */
	m->pending[m->nr_pending].mm = mm;
	m->pending[m->nr_pending].page = page;
	m->pending[m->nr_pending].full = full;
	m->pending[m->nr_pending].gen = m->gen[mm];
	m->nr_pending++;
}

/* A kernel page table freed, then INVLPG here: the current PCID's PSCs only. */
static void kernel_range_flush(struct model *m)
{
	uint32_t mask;

	m->kernel_changed++;
	m->tlb[pcid_of_loaded(m)][0].valid &= !m->tlb[pcid_of_loaded(m)][0].kernel_psc;
	asid_kernel_range_flushed(&m->c, m->invpcid, &mask);
	for (unsigned int i = 0; i < TLB_NR_DYN_ASIDS; i++)
		if (mask & (1U << i))
			memset(m->tlb[asid_pcid(i)], 0, sizeof(m->tlb[0]));
}

/* A flush of @mm still in flight to this CPU: its entries may be stale until it lands. */
static int in_flight(const struct model *m, int mm)
{
	for (int i = 0; i < m->nr_pending; i++)
		if (m->pending[i].mm == mm)
			return 1;
	return 0;
}

/* The PCID in CR3 holds nothing foreign, nor stale unless its flush is in flight. */
static int check(const struct model *m)
{
	const struct entry *t = m->tlb[pcid_of_loaded(m)];

	for (int pg = 0; pg < NR_PAGES; pg++) {
		if (!t[pg].valid)
			continue;
		if (t[pg].kernel_psc) {
			if (m->kernel_seen[pcid_of_loaded(m)] != m->kernel_changed)
				return 1;
			continue;
		}
		if (t[pg].mm != m->loaded_mm)
			return 2;
		if (!in_flight(m, t[pg].mm) && t[pg].walked_gen < m->changed[t[pg].mm][pg])
			return 3;
	}
	return 0;
}

static int run_model(uint64_t seed, int invpcid, long steps)
{
	static struct model m;

	memset(&m, 0, sizeof(m));
	asid_cpu_init(&m.c);
	m.loaded_mm = -1;
	m.invpcid = invpcid;
	m.rng = seed;
	for (long s = 0; s < steps; s++) {
		unsigned int op = rnd(&m, 100);
		int bad;

		if (op < 20)
			switch_to(&m, rnd(&m, 12) == 0 ? -1 : (int)rnd(&m, NR_MM));
		else if (op < 55)
			walk(&m, (int)rnd(&m, NR_PAGES));
		else if (op < 75)
			user_flush(&m, (int)rnd(&m, NR_MM));
		else if (op < 78)
			kernel_range_flush(&m);
		else if (m.nr_pending)
			deliver(&m, (int)rnd(&m, (unsigned int)m.nr_pending));
		if ((bad = check(&m))) {
			printf("    # seed %lu step %ld: check %d (mm %d)\n", (unsigned long)seed,
			       s, bad, m.loaded_mm);
			return 1;
		}
	}
	return 0;
}

HOST_TEST(model_no_stale_entry_in_cr3_without_invpcid)
{
	for (uint64_t seed = 1; seed <= 200; seed++)
		ASSERT_EQ(0, run_model(seed, 0, 20000));
}

HOST_TEST(model_no_stale_entry_in_cr3_with_invpcid)
{
	for (uint64_t seed = 1; seed <= 200; seed++)
		ASSERT_EQ(0, run_model(seed, 1, 20000));
}

HOST_TEST_MAIN("asid")
