/*
 * A hardware TLB model in plain C: per CPU, L1 data and instruction TLBs by
 * page size, a unified second-level TLB (STLB), LRU, and the paging-structure
 * caches of Intel SDM vol. 3, 4.10.3; invalidation exactly by SDM 4.10.4.
 * It knows nothing of QEMU: the plugin glue (plugin.c) feeds it accesses and
 * flushes, the host tests (tests/host/tlbmodel_test.c) feed it synthetic traces.
 * Page tables are read through a callback, so a walk sees what the guest wrote.
 */
#ifndef TLBMODEL_TLB_MODEL_H
#define TLBMODEL_TLB_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum tlb_size { TLB_4K, TLB_2M, TLB_1G, TLB_NR_SIZES };
#define TLB_SIZE_BIT(s) (1u << (s))
#define TLB_ALL_SIZES 7u

/* One set-associative structure: entries / ways sets; sizes: TLB_SIZE_BIT mask. */
struct tlb_geom {
	uint16_t entries, ways;
	uint8_t sizes;
};

#define TLB_MAX_STRUCTS 3

/* A core's TLB hierarchy and its per-event costs (ns), with where they come from. */
struct tlb_preset {
	const char *name, *core, *sources;
	struct tlb_geom l1d[TLB_MAX_STRUCTS], l1i[TLB_MAX_STRUCTS], stlb[TLB_MAX_STRUCTS];
	uint16_t psc[3];	      /* PML4E, PDPTE, PDE cache entries (fully associative) */
	double walk_ns, invlpg_ns;    /* one page walk (STLB miss); one local INVLPG */
	double full_flush_ns, ipi_ns; /* the flush instruction alone; one remote shootdown */
	double ghz;
};

extern const struct tlb_preset tlb_presets[];
extern const int tlb_nr_presets;
const struct tlb_preset *tlb_preset_find(const char *name);

struct tlb_entry {
	uint64_t vpn;	/* virtual address >> the page size's shift */
	uint64_t frame; /* physical base of the page */
	uint64_t lru;	/* last use, in the CPU's access clock */
	uint64_t gen;	/* page-table generation when last known current */
	uint8_t size, global, valid, writable;
};

struct tlb_array {
	struct tlb_geom g;
	unsigned int sets;
	struct tlb_entry *e;
};

/* A paging-structure-cache entry: a tag of the VA bits above the level, the next table. */
struct psc_entry {
	uint64_t tag, table, lru, gen;
	bool valid;
};

struct tlb_counters {
	uint64_t accesses, l1_misses, stlb_misses, walks, walks_size[TLB_NR_SIZES];
	uint64_t invlpg, invlpg_dropped, full_flushes, entries_dropped, pwc_dropped;
	uint64_t stale_hits, stale_writes, fetches, itlb_misses, walk_refs, walk_faults;
	uint64_t stale_unmapped; /* stale hits whose address the tables no longer map */
};

/* What a walk found. tables[]: the physical table frames it read, root first. */
struct tlb_walk {
	uint64_t frame, tables[4];
	int nr_tables, refs; /* refs: memory reads (PSC hits save some) */
	uint8_t size;
	bool present, global, writable;
	bool failed;	    /* a table could not be read */
	bool psc_stale_gen; /* used a PSC entry older than the generation */
};

/* Reads the 8-byte entry at physical @phys; false if it cannot be read. */
typedef bool (*tlb_read_fn)(void *ctx, uint64_t phys, uint64_t *val);

/* State the CPUs share: the page-table generation, bumped on any table write. */
struct tlb_shared {
	uint64_t gen;
	uint64_t *pt_frames; /* open-addressed set of physical table frames (pfn + 1) */
	unsigned int pt_slots;
};

enum tlb_check { TLB_CHECK_OFF, TLB_CHECK_GEN, TLB_CHECK_ALL };

struct tlb_stale {
	uint64_t va, old_phys, new_phys;
	bool present, write, psc;
};

struct tlb_cpu {
	const struct tlb_preset *p;
	struct tlb_shared *sh;
	struct tlb_array l1d[TLB_MAX_STRUCTS], l1i[TLB_MAX_STRUCTS], stlb[TLB_MAX_STRUCTS];
	struct psc_entry *psc[3];
	uint64_t clock, cr3, cr4;
	struct tlb_counters n;
	enum tlb_check check;
	tlb_read_fn read;
	void *read_ctx;
};

enum tlb_kind { TLB_READ, TLB_WRITE, TLB_FETCH };

int tlb_cpu_init(struct tlb_cpu *c, const struct tlb_preset *p, struct tlb_shared *sh,
		 tlb_read_fn read, void *ctx);
void tlb_cpu_free(struct tlb_cpu *c);
int tlb_shared_init(struct tlb_shared *sh, unsigned int slots);
void tlb_shared_free(struct tlb_shared *sh);

/*
 * One access at @va. Returns 1 on a stale hit (filled into *st if non-NULL),
 * 0 otherwise. @hw_phys: the physical address QEMU used, or ~0: the frame of
 * a fill whose walk cannot be read (firmware tables before the direct map).
 */
int tlb_access(struct tlb_cpu *c, uint64_t va, enum tlb_kind kind, uint64_t hw_phys,
	       struct tlb_stale *st);

/* @table was read as a page table (tlb_shared.c): a store to it moves the generation. */
void tlb_shared_remember(struct tlb_shared *sh, uint64_t table);
/* A store to physical @phys: a page-table write bumps the shared generation. */
void tlb_store_phys(struct tlb_shared *sh, uint64_t phys);

/* The invalidations of SDM 4.10.4.1. */
void tlb_invlpg(struct tlb_cpu *c, uint64_t va);
void tlb_flush_all(struct tlb_cpu *c, bool keep_global);
void tlb_invpcid(struct tlb_cpu *c, unsigned int type, uint64_t va);
void tlb_write_cr3(struct tlb_cpu *c, uint64_t val);
void tlb_write_cr4(struct tlb_cpu *c, uint64_t val);
void tlb_write_cr0(struct tlb_cpu *c, uint64_t old, uint64_t val);

/* A walk of @cr3's tables for @va, through the PSC when @use_psc (and filling it). */
void tlb_walk(struct tlb_cpu *c, uint64_t va, bool use_psc, struct tlb_walk *w);

#define X86_CR0_PG (1ULL << 31)
#define X86_CR4_PGE (1ULL << 7)
#define X86_CR4_PCIDE (1ULL << 17)
#define X86_CR3_NOFLUSH (1ULL << 63)

#endif
