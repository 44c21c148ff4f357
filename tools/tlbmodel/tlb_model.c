/*
 * The TLB model's logic (tlb_model.h): lookups, fills from a walk of the
 * guest's tables, LRU replacement, paging-structure caches, and each
 * invalidation rule of the Intel SDM vol. 3, 4.10.4.1. Plain C, one CPU per
 * struct tlb_cpu, no locks: only tlb_shared is touched by several threads,
 * with atomics.
 */
#include "tools/tlbmodel/tlb_model.h"

#include <stdlib.h>
#include <string.h>

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_ADDR 0x000ffffffffff000ULL

static const unsigned int size_shift[TLB_NR_SIZES] = {12, 21, 30};

static uint64_t page_mask(unsigned int size)
{
	return (1ULL << size_shift[size]) - 1;
}

static uint64_t cur_gen(const struct tlb_cpu *c)
{
	return __atomic_load_n(&c->sh->gen, __ATOMIC_RELAXED);
}

/* ---- set-associative arrays ---- */

static int array_init(struct tlb_array *a, const struct tlb_geom *g)
{
	a->g = *g;
	a->sets = g->entries ? g->entries / g->ways : 0;
	a->e = g->entries ? calloc(g->entries, sizeof(*a->e)) : NULL;
	return g->entries && !a->e ? -1 : 0;
}

static struct tlb_entry *array_set(struct tlb_array *a, uint64_t vpn)
{
	return &a->e[(vpn % a->sets) * a->g.ways];
}

static struct tlb_entry *array_lookup(struct tlb_array *a, uint64_t va)
{
	for (unsigned int s = 0; s < TLB_NR_SIZES; s++) {
		uint64_t vpn = va >> size_shift[s];
		struct tlb_entry *set;

		if (!a->sets || !(a->g.sizes & TLB_SIZE_BIT(s)))
			continue;
		set = array_set(a, vpn);
		for (unsigned int w = 0; w < a->g.ways; w++)
			if (set[w].valid && set[w].size == s && set[w].vpn == vpn)
				return &set[w];
	}
	return NULL;
}

static struct tlb_entry *lookup(struct tlb_array *arrays, uint64_t va)
{
	for (int i = 0; i < TLB_MAX_STRUCTS; i++) {
		struct tlb_entry *e = array_lookup(&arrays[i], va);

		if (e)
			return e;
	}
	return NULL;
}

/* Put @src in the structure of @arrays that holds its size: the LRU way of its set. */
static struct tlb_entry *insert(struct tlb_array *arrays, const struct tlb_entry *src)
{
	for (int i = 0; i < TLB_MAX_STRUCTS; i++) {
		struct tlb_array *a = &arrays[i];
		struct tlb_entry *set, *victim;

		if (!a->sets || !(a->g.sizes & TLB_SIZE_BIT(src->size)))
			continue;
		set = array_set(a, src->vpn);
		victim = &set[0];
		for (unsigned int w = 0; w < a->g.ways; w++) {
			if (!set[w].valid) {
				victim = &set[w];
				break;
			}
			if (set[w].lru < victim->lru)
				victim = &set[w];
		}
		*victim = *src;
		return victim;
	}
	return NULL;
}

/* Drop the entries of every size that map @va; global ones too unless @keep_global. */
static uint64_t drop_va(struct tlb_array *arrays, uint64_t va, bool keep_global)
{
	uint64_t n = 0;

	for (int i = 0; i < TLB_MAX_STRUCTS; i++) {
		struct tlb_array *a = &arrays[i];

		for (unsigned int s = 0; s < TLB_NR_SIZES; s++) {
			uint64_t vpn = va >> size_shift[s];
			struct tlb_entry *set;

			if (!a->sets || !(a->g.sizes & TLB_SIZE_BIT(s)))
				continue;
			set = array_set(a, vpn);
			for (unsigned int w = 0; w < a->g.ways; w++) {
				struct tlb_entry *e = &set[w];

				if (e->valid && e->size == s && e->vpn == vpn &&
				    !(keep_global && e->global)) {
					e->valid = 0;
					n++;
				}
			}
		}
	}
	return n;
}

static uint64_t drop_all(struct tlb_array *arrays, bool keep_global)
{
	uint64_t n = 0;

	for (int i = 0; i < TLB_MAX_STRUCTS; i++)
		for (unsigned int j = 0; j < arrays[i].g.entries; j++) {
			struct tlb_entry *e = &arrays[i].e[j];

			if (e->valid && !(keep_global && e->global)) {
				e->valid = 0;
				n++;
			}
		}
	return n;
}

/* ---- paging-structure caches (SDM 4.10.3): [0] PML4E, [1] PDPTE, [2] PDE ---- */

static const unsigned int psc_shift[3] = {39, 30, 21};

static struct psc_entry *psc_lookup(struct tlb_cpu *c, int level, uint64_t va)
{
	uint64_t tag = (va & 0x0000ffffffffffffULL) >> psc_shift[level];

	for (unsigned int i = 0; i < c->p->psc[level]; i++)
		if (c->psc[level][i].valid && c->psc[level][i].tag == tag)
			return &c->psc[level][i];
	return NULL;
}

static void psc_fill(struct tlb_cpu *c, int level, uint64_t va, uint64_t table)
{
	struct psc_entry *victim = NULL;
	uint64_t tag = (va & 0x0000ffffffffffffULL) >> psc_shift[level];

	for (unsigned int i = 0; i < c->p->psc[level]; i++) {
		struct psc_entry *e = &c->psc[level][i];

		if (!e->valid || e->tag == tag) {
			victim = e;
			break;
		}
		if (!victim || e->lru < victim->lru)
			victim = e;
	}
	if (victim)
		*victim = (struct psc_entry){tag, table, c->clock, cur_gen(c), true};
}

static void psc_drop_all(struct tlb_cpu *c)
{
	for (int l = 0; l < 3; l++)
		for (unsigned int i = 0; i < c->p->psc[l]; i++)
			if (c->psc[l][i].valid) {
				c->psc[l][i].valid = false;
				c->n.pwc_dropped++;
			}
}

/* ---- walks ---- */

/* Start below the deepest PSC entry that matches: returns the level to read next (4..1). */
static int walk_start(struct tlb_cpu *c, uint64_t va, uint64_t *table, struct tlb_walk *w)
{
	for (int l = 2; l >= 0; l--) {
		struct psc_entry *e = psc_lookup(c, l, va);

		if (e) {
			e->lru = c->clock;
			w->psc_stale_gen = e->gen != cur_gen(c);
			*table = e->table;
			return 3 - l;
		}
	}
	return 4;
}

void tlb_walk(struct tlb_cpu *c, uint64_t va, bool use_psc, struct tlb_walk *w)
{
	uint64_t table = c->cr3 & PTE_ADDR, pte, writable = PTE_RW;
	int level = 4;

	memset(w, 0, sizeof(*w));
	if (use_psc)
		level = walk_start(c, va, &table, w);
	for (; level >= 1; level--) {
		unsigned int idx = (va >> (12 + 9 * (level - 1))) & 511;

		tlb_shared_remember(c->sh, table);
		if (w->nr_tables < 4)
			w->tables[w->nr_tables++] = table;
		if (!c->read(c->read_ctx, table + idx * 8, &pte)) {
			w->failed = true;
			return;
		}
		w->refs++;
		if (!(pte & PTE_P))
			return;
		writable &= pte;
		if (level == 1 || (level <= 3 && (pte & PTE_PS))) {
			w->size = (uint8_t)(level - 1);
			w->frame = pte & PTE_ADDR & ~page_mask(w->size);
			w->global = (pte & PTE_G) && (c->cr4 & X86_CR4_PGE);
			w->writable = writable != 0;
			w->present = true;
			return;
		}
		table = pte & PTE_ADDR;
		if (use_psc)
			psc_fill(c, 4 - level, va, table);
	}
}

/* ---- accesses ---- */

int tlb_cpu_init(struct tlb_cpu *c, const struct tlb_preset *p, struct tlb_shared *sh,
		 tlb_read_fn read, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->sh = sh;
	c->read = read;
	c->read_ctx = ctx;
	c->check = TLB_CHECK_GEN;
	for (int i = 0; i < TLB_MAX_STRUCTS; i++)
		if (array_init(&c->l1d[i], &p->l1d[i]) || array_init(&c->l1i[i], &p->l1i[i]) ||
		    array_init(&c->stlb[i], &p->stlb[i]))
			return -1;
	for (int l = 0; l < 3; l++)
		if (p->psc[l] && !(c->psc[l] = calloc(p->psc[l], sizeof(struct psc_entry))))
			return -1;
	return 0;
}

void tlb_cpu_free(struct tlb_cpu *c)
{
	for (int i = 0; i < TLB_MAX_STRUCTS; i++) {
		free(c->l1d[i].e);
		free(c->l1i[i].e);
		free(c->stlb[i].e);
	}
	for (int l = 0; l < 3; l++)
		free(c->psc[l]);
	memset(c, 0, sizeof(*c));
}

static uint64_t entry_phys(const struct tlb_entry *e, uint64_t va)
{
	return e->frame + (va & page_mask(e->size));
}

/* Compare what @e translates @va to with a fresh walk; 1 and *st if they differ. */
static int check_entry(struct tlb_cpu *c, struct tlb_entry *e, uint64_t va, enum tlb_kind kind,
		       struct tlb_stale *st, bool psc)
{
	uint64_t gen = cur_gen(c), now;
	struct tlb_walk w;

	tlb_walk(c, va, false, &w);
	if (w.failed)
		return 0; /* nothing to compare with */
	now = w.present ? w.frame + (va & page_mask(w.size)) : 0;
	if (w.present && now == entry_phys(e, va)) {
		e->gen = gen;
		return 0;
	}
	c->n.stale_hits++;
	if (kind == TLB_WRITE)
		c->n.stale_writes++;
	if (!w.present)
		c->n.stale_unmapped++; /* e.g. inside a break-before-make window */
	if (st)
		*st = (struct tlb_stale){va,	    entry_phys(e, va), now,
					 w.present, kind == TLB_WRITE, psc};
	return 1;
}

/* An STLB miss: walk (through the PSC) and fill both levels; the entry, or NULL. */
static struct tlb_entry *fill(struct tlb_cpu *c, struct tlb_array *l1, uint64_t va,
			      uint64_t hw_phys, bool *psc_stale)
{
	struct tlb_entry ent = {0}, *e;
	struct tlb_walk w;

	c->n.stlb_misses++;
	c->n.walks++;
	tlb_walk(c, va, true, &w);
	c->n.walk_refs += (uint64_t)w.refs;
	if (w.failed) { /* firmware tables outside what we can read: QEMU's frame, 4 KiB */
		if (hw_phys == ~0ULL)
			return NULL;
		w.present = true;
		w.size = TLB_4K;
		w.frame = hw_phys & ~page_mask(TLB_4K);
		w.psc_stale_gen = false;
	}
	if (!w.present) {
		c->n.walk_faults++; /* QEMU found a translation (its own soft TLB); we did not */
		return NULL;
	}
	c->n.walks_size[w.size]++;
	/* Through a PSC entry older than a table write: generation 0, checked at every hit. */
	ent = (struct tlb_entry){.vpn = va >> size_shift[w.size],
				 .frame = w.frame,
				 .lru = c->clock,
				 .gen = w.psc_stale_gen ? 0 : cur_gen(c),
				 .size = w.size,
				 .global = w.global,
				 .valid = 1,
				 .writable = w.writable};
	*psc_stale = w.psc_stale_gen;
	e = insert(c->stlb, &ent);
	return insert(l1, &ent) ?: e;
}

int tlb_access(struct tlb_cpu *c, uint64_t va, enum tlb_kind kind, uint64_t hw_phys,
	       struct tlb_stale *st)
{
	struct tlb_array *l1 = kind == TLB_FETCH ? c->l1i : c->l1d;
	struct tlb_entry *e, copy;
	bool psc_stale = false;

	c->clock++;
	if (kind == TLB_FETCH)
		c->n.fetches++;
	else
		c->n.accesses++;
	e = lookup(l1, va);
	if (!e) {
		if (kind == TLB_FETCH)
			c->n.itlb_misses++;
		else
			c->n.l1_misses++;
		e = lookup(c->stlb, va);
		if (e) {
			e->lru = c->clock;
			copy = *e;
			e = insert(l1, &copy) ?: e;
		} else {
			e = fill(c, l1, va, hw_phys, &psc_stale);
			if (!e)
				return 0;
			/* A fill through a PSC entry older than a table write: check it. */
			if (psc_stale && c->check != TLB_CHECK_OFF)
				return check_entry(c, e, va, kind, st, true);
			return 0;
		}
	}
	e->lru = c->clock;
	if (c->check == TLB_CHECK_ALL || (c->check == TLB_CHECK_GEN && e->gen != cur_gen(c)))
		return check_entry(c, e, va, kind, st, false);
	return 0;
}

/* ---- invalidation (SDM vol. 3, 4.10.4.1) ---- */

/*
 * INVLPG: every TLB entry for the page containing @va, whatever its size and
 * global or not, and all paging-structure-cache entries (for the current
 * PCID), whatever address they cover.
 */
void tlb_invlpg(struct tlb_cpu *c, uint64_t va)
{
	uint64_t n =
	    drop_va(c->l1d, va, false) + drop_va(c->l1i, va, false) + drop_va(c->stlb, va, false);

	c->n.invlpg++;
	c->n.invlpg_dropped += n;
	psc_drop_all(c);
}

/* A full flush: every entry (non-global ones only if @keep_global) and the whole PSC. */
void tlb_flush_all(struct tlb_cpu *c, bool keep_global)
{
	c->n.full_flushes++;
	c->n.entries_dropped += drop_all(c->l1d, keep_global) + drop_all(c->l1i, keep_global) +
				drop_all(c->stlb, keep_global);
	psc_drop_all(c);
}

/*
 * INVPCID, untagged (no PCID under TCG): type 0 the address's non-global
 * entries and the PSC; 1 and 3 every non-global entry; 2 everything.
 */
void tlb_invpcid(struct tlb_cpu *c, unsigned int type, uint64_t va)
{
	if (type == 0) {
		c->n.invlpg++;
		c->n.invlpg_dropped += drop_va(c->l1d, va, true) + drop_va(c->l1i, va, true) +
				       drop_va(c->stlb, va, true);
		psc_drop_all(c);
	} else if (type <= 3) {
		tlb_flush_all(c, type != 2);
	}
}

/*
 * MOV to CR3: non-global entries and the PSC, unless CR4.PCIDE = 1 and bit
 * 63 of the source is set (then nothing need be invalidated).
 */
void tlb_write_cr3(struct tlb_cpu *c, uint64_t val)
{
	bool noflush = (c->cr4 & X86_CR4_PCIDE) && (val & X86_CR3_NOFLUSH);

	c->cr3 = val & ~X86_CR3_NOFLUSH;
	if (!noflush)
		tlb_flush_all(c, true);
}

/* MOV to CR4: a change of PGE, or PCIDE going 1 -> 0, drops everything, global too. */
void tlb_write_cr4(struct tlb_cpu *c, uint64_t val)
{
	uint64_t old = c->cr4;

	c->cr4 = val;
	if (((old ^ val) & X86_CR4_PGE) || ((old & X86_CR4_PCIDE) && !(val & X86_CR4_PCIDE)))
		tlb_flush_all(c, false);
}

/* MOV to CR0: a change of CR0.PG drops everything (the SDM names 1 -> 0; 0 -> 1 finds
 * the TLB empty on hardware, and the model's firmware-era fills are dropped with it). */
void tlb_write_cr0(struct tlb_cpu *c, uint64_t old, uint64_t val)
{
	if ((old ^ val) & X86_CR0_PG)
		tlb_flush_all(c, false);
}
