/*
 * The buddy allocator from inside the running kernel. Exhaustion, random
 * work against a model, refused frees and compound pages run on private
 * arenas (mm/arena.c), so none of them can starve the real allocator; then
 * the real allocator itself: allocating everything and freeing it returns
 * MemFree exactly, and a 1 GiB block when the guest has room for one.
 */
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/page_alloc.h"

#define ARENA_PAGES 2048UL /* 8 MiB: two max-order blocks */
#define GIB_PAGES 262144UL /* 1 GiB of 4 KiB frames */
#define NR_ARENA_SLOTS 4

/* ---- arenas: one per case, storage never reused while the arena lives ---- */

static struct zone arena_slots[NR_ARENA_SLOTS];
static bool arena_live[NR_ARENA_SLOTS];

static struct zone *get_arena(struct ktest *t, unsigned long nr_pages)
{
	for (int i = 0; i < NR_ARENA_SLOTS; i++) {
		int err;

		if (arena_live[i])
			continue;
		err = arena_create(&arena_slots[i], nr_pages);
		if (err) {
			ktest_fail(t, __FILE__, __LINE__, "arena_create(%lu): %d", nr_pages, err);
			return NULL;
		}
		arena_live[i] = true;
		return &arena_slots[i];
	}
	ktest_fail(t, __FILE__, __LINE__, "no arena slot left: earlier cases leaked theirs");
	return NULL;
}

/* A failed destroy leaves the arena (and its slot) taken, and fails the case. */
static void put_arena(struct ktest *t, struct zone *z)
{
	int err = arena_destroy(z);

	if (err) {
		ktest_fail(t, __FILE__, __LINE__, "arena_destroy: %d (arena leaked)", err);
		return;
	}
	arena_live[z - arena_slots] = false;
}

/* Run @body on a fresh arena; a KASSERT in @body ends only @body. */
static void on_arena(struct ktest *t, unsigned long nr_pages,
		     void (*body)(struct ktest *t, struct zone *z))
{
	struct zone *z = get_arena(t, nr_pages);

	if (!z)
		return;
	body(t, z);
	put_arena(t, z);
}

static void expect_zone_ok(struct ktest *t, struct zone *z, int line)
{
	char why[128];

	if (zone_check_invariants(z, why, sizeof(why)))
		ktest_fail(t, __FILE__, line, "%s invariants: %s", z->name, why);
}
#define KEXPECT_ZONE_OK(t, z) expect_zone_ok(t, z, __LINE__)

/* All free, as max-order blocks only: the shape arena_create leaves. */
static void expect_initial_shape(struct ktest *t, struct zone *z, int line)
{
	unsigned long counts[NR_PAGE_ORDERS], nr = z->zone_end_pfn - z->zone_start_pfn;

	zone_buddyinfo_counts(z, counts);
	for (unsigned int o = 0; o < MAX_PAGE_ORDER; o++)
		if (counts[o])
			ktest_fail(t, __FILE__, line, "%lu order-%u blocks left unmerged",
				   counts[o], o);
	if (counts[MAX_PAGE_ORDER] != nr / MAX_ORDER_NR_PAGES || zone_nr_free(z) != nr)
		ktest_fail(t, __FILE__, line, "%lu max-order blocks, %lu free; want %lu, %lu",
			   counts[MAX_PAGE_ORDER], zone_nr_free(z), nr / MAX_ORDER_NR_PAGES, nr);
	expect_zone_ok(t, z, line);
}
#define KEXPECT_INITIAL_SHAPE(t, z) expect_initial_shape(t, z, __LINE__)

static uint64_t rng_state;

static uint64_t rand64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---- arena: exhaustion at each order ---- */

/* Free a list of order-@order blocks: odd-numbered blocks first, so their buddies merge. */
static void free_held(struct zone *z, struct list_head *held, unsigned int order)
{
	for (int pass = 1; pass >= 0; pass--) {
		struct list_head *pos = held->next;

		while (pos != held) {
			struct page *p = list_entry(pos, struct page, lru);

			pos = pos->next;
			if (((page_to_pfn(p) >> order) & 1) != (unsigned long)pass)
				continue;
			list_del(&p->lru);
			zone_free_pages(z, p, order);
		}
	}
}

static void exhaust_each_order(struct ktest *t, struct zone *z)
{
	unsigned long nr = z->zone_end_pfn - z->zone_start_pfn;

	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct list_head held;
		unsigned long n = 0;
		struct page *p;

		INIT_LIST_HEAD(&held);
		while ((p = zone_alloc_pages(z, GFP_KERNEL | __GFP_NOFAIL, order))) {
			list_add(&p->lru, &held);
			n++;
		}
		KEXPECT_EQ(t, nr >> order, n);
		KEXPECT_EQ(t, 0, zone_nr_free(z));
		KEXPECT_EQ(t, nr, zone_nr_by_purpose(z, PURPOSE_OTHER));
		KEXPECT_ZONE_OK(t, z);
		free_held(z, &held, order);
		KEXPECT_TRUE(t, list_empty(&held));
		KEXPECT_INITIAL_SHAPE(t, z);
	}
}

static void arena_exhaustion_at_each_order(struct ktest *t)
{
	unsigned long free = nr_free_pages();

	on_arena(t, ARENA_PAGES, exhaust_each_order);
	KEXPECT_EQ(t, free, nr_free_pages());
}

/* ---- arena: random work against a bitmap model ---- */

#define RANDOM_OPS 20000
#define MODEL_WORDS (ARENA_PAGES / 64)

static unsigned long model[MODEL_WORDS]; /* bit set = allocated */
static struct {
	unsigned long pfn;
	unsigned int order;
} lives[ARENA_PAGES];
static unsigned long nr_lives;

#define model_test(i) ((model[(i) / 64] >> ((i) % 64)) & 1)
#define model_flip(i) (model[(i) / 64] ^= 1UL << ((i) % 64))

static bool model_alloc(struct ktest *t, struct zone *z, unsigned int order, gfp_t gfp)
{
	struct page *p = zone_alloc_pages(z, gfp, order);
	unsigned long n = 1UL << order, off;

	if (!p)
		return false;
	off = page_to_pfn(p) - z->zone_start_pfn;
	if (page_to_pfn(p) < z->zone_start_pfn || off + n > ARENA_PAGES || off % n) {
		ktest_fail(t, __FILE__, __LINE__, "order-%u block at pfn %#lx", order,
			   page_to_pfn(p));
		return true;
	}
	for (unsigned long i = off; i < off + n; i++) {
		if (model_test(i))
			ktest_fail(t, __FILE__, __LINE__, "pfn %#lx handed out twice",
				   z->zone_start_pfn + i);
		model_flip(i);
	}
	lives[nr_lives].pfn = page_to_pfn(p);
	lives[nr_lives++].order = order;
	return true;
}

static void model_free(struct zone *z, unsigned long idx)
{
	unsigned long off = lives[idx].pfn - z->zone_start_pfn;

	for (unsigned long i = 0; i < 1UL << lives[idx].order; i++)
		model_flip(off + i);
	zone_free_pages(z, pfn_to_page(lives[idx].pfn), lives[idx].order);
	lives[idx] = lives[--nr_lives];
}

static unsigned long model_allocated(void)
{
	unsigned long n = 0;

	for (unsigned long w = 0; w < MODEL_WORDS; w++)
		for (unsigned long x = model[w]; x; x &= x - 1) /* no libgcc popcount */
			n++;
	return n;
}

static void random_ops(struct ktest *t, struct zone *z)
{
	unsigned long nfail = 0;

	memset(model, 0, sizeof(model));
	nr_lives = 0;
	rng_state = 0x9e3779b97f4a7c15ULL; /* fixed seed: a failure replays */
	for (int op = 0; op < RANDOM_OPS && !t->failed; op++) {
		uint64_t r = rand64();
		unsigned int order = (r & 1) ? 0 : (unsigned int)((r >> 8) % (MAX_PAGE_ORDER + 1));
		gfp_t gfp = GFP_KERNEL | __GFP_NOFAIL | ((r >> 16) % 4 ? 0 : __GFP_COMP);

		if (nr_lives && (r >> 24) % 100 < 45)
			model_free(z, (r >> 32) % nr_lives);
		else if (!model_alloc(t, z, order, gfp))
			nfail++;
		if (op % 2000 == 0) {
			KEXPECT_EQ(t, ARENA_PAGES - model_allocated(), zone_nr_free(z));
			KEXPECT_ZONE_OK(t, z);
		}
	}
	printk("    # random_ops: %lu allocations failed, %lu blocks live\n", nfail, nr_lives);
	KEXPECT_TRUE(t, nfail > 0); /* it did run out now and then */
	while (nr_lives)
		model_free(z, nr_lives - 1);
	KEXPECT_INITIAL_SHAPE(t, z);
}

static void arena_random_ops_match_model(struct ktest *t)
{
	on_arena(t, ARENA_PAGES, random_ops);
}

/* ---- arena: each bad free caught, refused, nothing changed ---- */

static struct {
	int count;
	const char *reason;
	struct zone *zone;
} bad;
static bad_page_hook_t saved_hook;

static void counting_hook(struct zone *z, struct page *page, const char *reason)
{
	bad.count++;
	bad.reason = reason;
	bad.zone = z;
}

static struct page *snap_pages; /* a copy of the arena's struct pages */
static unsigned long snap_free, snap_real_free;

static void take_snapshot(struct zone *z)
{
	memcpy(page_address(snap_pages), pfn_to_page(z->zone_start_pfn),
	       MAX_ORDER_NR_PAGES * sizeof(struct page));
	snap_free = zone_nr_free(z);
	snap_real_free = nr_free_pages();
}

static bool unchanged(struct zone *z)
{
	return snap_free == zone_nr_free(z) && snap_real_free == nr_free_pages() &&
	       !memcmp(page_address(snap_pages), pfn_to_page(z->zone_start_pfn),
		       MAX_ORDER_NR_PAGES * sizeof(struct page));
}

/* @by NULL: refused by the real zone (any zone but @z). */
static void expect_refused(struct ktest *t, struct zone *z, struct zone *by, const char *why,
			   int line)
{
	bool zone_ok = by ? bad.zone == by : bad.zone && bad.zone != z;

	if (bad.count != 1 || !zone_ok || !bad.reason || !unchanged(z))
		ktest_fail(t, __FILE__, line, "%s: %d reports (zone %s: %s), state %s", why,
			   bad.count, bad.zone ? bad.zone->name : "-",
			   bad.reason ? bad.reason : "-", unchanged(z) ? "unchanged" : "CHANGED");
	bad.count = 0;
	bad.reason = NULL;
	bad.zone = NULL;
}

/* Make the bad free @call on zone @by and expect it refused with nothing changed. */
#define KEXPECT_REFUSED(t, z, by, call)                                                            \
	do {                                                                                       \
		take_snapshot(z);                                                                  \
		call;                                                                              \
		expect_refused(t, z, by, #call, __LINE__);                                         \
	} while (0)

static void bad_frees(struct ktest *t, struct zone *z)
{
	struct page *a = zone_alloc_pages(z, GFP_KERNEL, 2);
	struct page *c = zone_alloc_pages(z, GFP_HUGETLB, 3);
	struct page *real = snap_pages;
	unsigned long real_bad = nr_bad_pages();

	KASSERT_TRUE(t, a && c);
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, c + 5, 0)); /* tail page */
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, c, 2));	/* wrong order */
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, a + 1, 2)); /* misaligned */
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, a + 1, 0)); /* not allocated */
	get_page(c + 1);
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, c, 3)); /* extra reference */
	page_ref_dec_return(c);
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, real, 0));	   /* another zone's page */
	KEXPECT_REFUSED(t, z, NULL, __free_page(c));		   /* to the wrong zone */
	KEXPECT_REFUSED(t, z, z, zone_free_contig_pages(z, a, 3)); /* wrong size */
	zone_free_pages(z, a, 2);
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, a, 2)); /* double free */
	c->_mapcount = 0;
	KEXPECT_REFUSED(t, z, z, zone_free_pages(z, c, 3)); /* still mapped */
	c->_mapcount = -1;
	zone_free_pages(z, c, 3);
	KEXPECT_EQ(t, 0, bad.count);
	KEXPECT_EQ(t, 9, zone_nr_bad(z));
	KEXPECT_EQ(t, real_bad + 1, nr_bad_pages());
	KEXPECT_INITIAL_SHAPE(t, z);
}

static void arena_bad_frees_are_refused(struct ktest *t)
{
	struct zone *z;

	snap_pages = alloc_pages(GFP_KERNEL, 4); /* 64 KiB: one arena's struct pages */
	KASSERT_TRUE(t, snap_pages != NULL);
	bad.count = 0;
	saved_hook = set_bad_page_hook(counting_hook);
	z = get_arena(t, MAX_ORDER_NR_PAGES);
	if (z) {
		bad_frees(t, z);
		put_arena(t, z);
	}
	set_bad_page_hook(saved_hook);
	__free_pages(snap_pages, 4);
}

/* ---- arena: compound pages ---- */

static bool tails_point_at(struct page *head, unsigned long nr)
{
	for (unsigned long i = 1; i < nr; i++)
		if (!PageTail(head + i) || compound_head(head + i) != head ||
		    head[i].compound_head != head[1].compound_head) /* tails identical */
			return false;
	return true;
}

static void compound_links(struct ktest *t, struct zone *z)
{
	struct page *h = zone_alloc_pages(z, GFP_HUGETLB, 9);
	struct page *plain = zone_alloc_pages(z, GFP_KERNEL, 3);
	struct page *big;

	KASSERT_TRUE(t, h && plain);
	KEXPECT_TRUE(t, PageHead(h) && !PageTail(h));
	KEXPECT_EQ(t, 9, compound_order(h));
	KEXPECT_EQ(t, 0, compound_order(h + 1)); /* only a head has an order */
	KEXPECT_TRUE(t, tails_point_at(h, 512));
	KEXPECT_EQ(t, 512, zone_nr_by_purpose(z, PURPOSE_HUGETLB));
	KEXPECT_TRUE(t, !PageCompound(plain) && !PageCompound(plain + 7));
	zone_free_pages(z, h, 9);
	zone_free_pages(z, plain, 3);
	KEXPECT_TRUE(t, !PageHead(h) && !PageTail(h + 1) && compound_head(h + 511) == h + 511);
	KEXPECT_EQ(t, 0, zone_nr_by_purpose(z, PURPOSE_HUGETLB));

	big = zone_alloc_contig_pages(z, ARENA_PAGES, ARENA_PAGES, GFP_HUGETLB); /* order 11 */
	KASSERT_TRUE(t, big != NULL);
	KEXPECT_EQ(t, 11, compound_order(big));
	KEXPECT_TRUE(t, tails_point_at(big, ARENA_PAGES));
	zone_free_contig_pages(z, big, ARENA_PAGES);
	KEXPECT_INITIAL_SHAPE(t, z);
}

static void arena_compound_pages_link_head_and_tails(struct ktest *t)
{
	on_arena(t, ARENA_PAGES, compound_links);
}

/* ---- the real allocator ---- */

static void expect_real_identity(struct ktest *t, int line)
{
	unsigned long allocated = 0;
	char why[128];

	for (int p = 0; p < NR_PURPOSES; p++)
		allocated += nr_pages_by_purpose(p);
	if (totalram_pages() != nr_free_pages() + allocated)
		ktest_fail(t, __FILE__, line, "total %lu != free %lu + allocated %lu",
			   totalram_pages(), nr_free_pages(), allocated);
	if (page_alloc_check_invariants(why, sizeof(why)))
		ktest_fail(t, __FILE__, line, "invariants: %s", why);
}
#define KEXPECT_REAL_IDENTITY(t) expect_real_identity(t, __LINE__)

/*
 * Take every free frame at mixed orders: a random order each time, capped by
 * the largest that still succeeds (a failed order means none above is free).
 * __GFP_NOFAIL so fault injection cannot end it early. Returns the count.
 */
static unsigned long take_everything(struct list_head *held)
{
	unsigned int max = MAX_PAGE_ORDER, order = MAX_PAGE_ORDER;
	unsigned long n = 0;

	for (;;) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, order);

		if (p) {
			p->private = order; /* the owner's word: remember the order */
			list_add(&p->lru, held);
			n++;
		} else if (order == 0) {
			return n;
		} else {
			max = order - 1;
		}
		order = (unsigned int)(rand64() % (max + 1));
	}
}

static void real_alloc_everything_returns_memfree(struct ktest *t)
{
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS];
	unsigned long free = nr_free_pages(), n;
	struct list_head held;

	buddyinfo_counts(before);
	INIT_LIST_HEAD(&held);
	rng_state = 0x2545f4914f6cdd1dULL;
	n = take_everything(&held);
	printk("    # took %lu free pages in %lu blocks\n", free, n);
	KEXPECT_EQ(t, 0, nr_free_pages());
	KEXPECT_TRUE(t, alloc_page(GFP_KERNEL | __GFP_NOFAIL) == NULL);
	KEXPECT_REAL_IDENTITY(t);
	while (!list_empty(&held)) {
		struct page *p = list_first_entry(&held, struct page, lru);

		list_del(&p->lru);
		__free_pages(p, (unsigned int)p->private);
	}
	KEXPECT_EQ(t, free, nr_free_pages()); /* MemFree returns exactly */
	buddyinfo_counts(after);
	KEXPECT_EQ(t, 0, memcmp(before, after, sizeof(before)));
	KEXPECT_REAL_IDENTITY(t);
}

static char skip_reason[96];

static void real_one_gib_contiguous_block(struct ktest *t)
{
	unsigned long free = nr_free_pages(), huge = nr_pages_by_purpose(PURPOSE_HUGETLB);
	struct page *p;

	p = free < GIB_PAGES ? NULL
			     : alloc_contig_pages(GIB_PAGES, GIB_PAGES, GFP_HUGETLB | __GFP_NOFAIL);
	if (!p) {
		snprintf(skip_reason, sizeof(skip_reason), "%s (%lu MiB free)",
			 free < GIB_PAGES ? "needs 1 GiB free" : "no wholly free 1 GiB-aligned GiB",
			 free >> 8);
		KTEST_SKIP(t, skip_reason);
	}
	KEXPECT_EQ(t, 0, page_to_pfn(p) % GIB_PAGES);
	KEXPECT_EQ(t, 18, compound_order(p));
	KEXPECT_TRUE(t, compound_head(p + GIB_PAGES - 1) == p);
	KEXPECT_EQ(t, free - GIB_PAGES, nr_free_pages());
	KEXPECT_EQ(t, huge + GIB_PAGES, nr_pages_by_purpose(PURPOSE_HUGETLB));
	KEXPECT_REAL_IDENTITY(t);
	free_contig_pages(p, GIB_PAGES);
	KEXPECT_EQ(t, free, nr_free_pages());
	KEXPECT_EQ(t, huge, nr_pages_by_purpose(PURPOSE_HUGETLB));
}

static void real_arena_round_trip_is_exact(struct ktest *t)
{
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS];
	unsigned long free = nr_free_pages(), other = nr_pages_by_purpose(PURPOSE_OTHER);
	const unsigned long nr = 16384; /* 64 MiB */
	struct zone *z;

	buddyinfo_counts(before);
	z = get_arena(t, nr);
	KASSERT_TRUE(t, z != NULL);
	KEXPECT_EQ(t, free - nr, nr_free_pages());
	KEXPECT_EQ(t, other + nr, nr_pages_by_purpose(PURPOSE_OTHER));
	KEXPECT_REAL_IDENTITY(t); /* the real zone holds while the arena lives */
	KEXPECT_INITIAL_SHAPE(t, z);
	put_arena(t, z);
	buddyinfo_counts(after);
	KEXPECT_EQ(t, free, nr_free_pages());
	KEXPECT_EQ(t, other, nr_pages_by_purpose(PURPOSE_OTHER));
	KEXPECT_EQ(t, 0, memcmp(before, after, sizeof(before)));
	KEXPECT_REAL_IDENTITY(t);
}

static const struct ktest_case mm_cases[] = {
    KTEST_CASE(arena_exhaustion_at_each_order),
    KTEST_CASE(arena_random_ops_match_model),
    KTEST_CASE(arena_bad_frees_are_refused),
    KTEST_CASE(arena_compound_pages_link_head_and_tails),
    KTEST_CASE(real_arena_round_trip_is_exact),
    KTEST_CASE(real_alloc_everything_returns_memfree),
    KTEST_CASE(real_one_gib_contiguous_block),
    {},
};
DEFINE_KTEST_SUITE(mm, mm_cases);
