/*
 * Host tests of private arenas (mm/arena.c): zones carved out of the real
 * zone on one struct-page array, side by side with it. Creation and
 * destruction leave the real zone exactly as it was; neither zone reads,
 * frees or hands out the other's pages; random work on all at once.
 */
#include <stdint.h>

#include "tests/host/host_test.h"
#include "lib/errno.h"
#include "tests/host/mm_test_util.h"

#define NR_PAGES 8192UL /* 32 MiB */

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t rand64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* What the real zone looks like, to prove an arena round trip restores it. */
struct real_state {
	unsigned long counts[NR_PAGE_ORDERS];
	unsigned long free, total, by_purpose[NR_PURPOSES];
};

static void real_state(struct real_state *s)
{
	buddyinfo_counts(s->counts);
	s->free = nr_free_pages();
	s->total = totalram_pages();
	for (int p = 0; p < NR_PURPOSES; p++)
		s->by_purpose[p] = nr_pages_by_purpose(p);
}

static int same_real_state(const struct real_state *a)
{
	struct real_state b;

	real_state(&b);
	return !memcmp(a, &b, sizeof(b));
}

static unsigned long zone_pages(const struct zone *z)
{
	return z->zone_end_pfn - z->zone_start_pfn;
}

HOST_TEST(arena_create_destroy_round_trip)
{
	struct real_state before;
	unsigned long counts[NR_PAGE_ORDERS];
	struct zone a;

	mt_setup(NR_PAGES, 3, 0);
	real_state(&before);
	ASSERT_EQ(0, arena_create(&a, 2048));
	EXPECT_EQ(0, a.zone_start_pfn % 2048);
	EXPECT_EQ(2048, zone_pages(&a));
	EXPECT_TRUE(a.zone_start_pfn >= 3); /* never over the reserved frames */
	EXPECT_EQ(2048, zone_managed_pages(&a));
	EXPECT_EQ(2048, zone_nr_free(&a));
	zone_buddyinfo_counts(&a, counts);
	EXPECT_EQ(2, counts[MAX_PAGE_ORDER]);
	EXPECT_EQ(before.free - 2048, nr_free_pages());
	EXPECT_EQ(2048, nr_pages_by_purpose(PURPOSE_OTHER));
	EXPECT_EQ(before.total, totalram_pages());
	EXPECT_TRUE(strstr(a.name, "arena") != NULL);
	EXPECT_INVARIANTS(); /* the real zone holds while the arena lives */
	EXPECT_ZONE_INVARIANTS(&a);

	ASSERT_EQ(0, arena_destroy(&a));
	EXPECT_TRUE(same_real_state(&before));
	EXPECT_INVARIANTS();
	EXPECT_EQ(-EINVAL, arena_destroy(&a));
	EXPECT_EQ(0, mt_bad_count);
}

HOST_TEST(arena_refuses_bad_sizes_and_no_room)
{
	struct real_state before;
	struct zone a, b;

	mt_setup(NR_PAGES, 0, 0);
	real_state(&before);
	EXPECT_EQ(-EINVAL, arena_create(&a, 0));
	EXPECT_EQ(-EINVAL, arena_create(&a, 512));  /* below one max-order block */
	EXPECT_EQ(-EINVAL, arena_create(&a, 3072)); /* no power of two */
	EXPECT_EQ(-ENOMEM, arena_create(&a, 2 * NR_PAGES));
	EXPECT_TRUE(same_real_state(&before));
	ASSERT_EQ(0, arena_create(&a, NR_PAGES)); /* all of it */
	EXPECT_EQ(0, nr_free_pages());
	EXPECT_EQ(-ENOMEM, arena_create(&b, 1024));
	EXPECT_INVARIANTS();
	ASSERT_EQ(0, arena_destroy(&a));
	EXPECT_TRUE(same_real_state(&before));
}

HOST_TEST(arena_destroy_refuses_while_pages_are_allocated)
{
	struct real_state before;
	struct page *p;
	struct zone a;

	mt_setup(NR_PAGES, 0, 0);
	real_state(&before);
	ASSERT_EQ(0, arena_create(&a, 1024));
	p = zone_alloc_pages(&a, GFP_KERNEL, 3);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(-EBUSY, arena_destroy(&a));
	EXPECT_EQ(1024 - 8, zone_nr_free(&a)); /* the arena is as it was */
	EXPECT_ZONE_INVARIANTS(&a);
	EXPECT_INVARIANTS();
	zone_free_pages(&a, p, 3);
	ASSERT_EQ(0, arena_destroy(&a));
	EXPECT_TRUE(same_real_state(&before));
}

static struct page *memmap_snapshot;

static void snap(void)
{
	free(memmap_snapshot);
	memmap_snapshot = malloc(mt_nr_pages * sizeof(struct page));
	memcpy(memmap_snapshot, mt_memmap, mt_nr_pages * sizeof(struct page));
}

static int memmap_unchanged(void)
{
	return !memcmp(memmap_snapshot, mt_memmap, mt_nr_pages * sizeof(struct page));
}

#define EXPECT_REFUSED_IN(zone_, call, reason_part)                                                \
	do {                                                                                       \
		int before_ = mt_bad_count;                                                        \
		snap();                                                                            \
		call;                                                                              \
		EXPECT_EQ(before_ + 1, mt_bad_count);                                              \
		EXPECT_TRUE(mt_bad_reason &&strstr(mt_bad_reason, reason_part));                   \
		EXPECT_TRUE(mt_bad_zone && !strcmp(mt_bad_zone->name, zone_));                     \
		EXPECT_TRUE(memmap_unchanged());                                                   \
	} while (0)

HOST_TEST(arena_pages_cannot_cross_zones)
{
	struct page *p, *q, *c, *edge;
	struct zone a;

	mt_setup(NR_PAGES, 0, 0);
	ASSERT_EQ(0, arena_create(&a, 2048));
	p = zone_alloc_pages(&a, GFP_KERNEL, 0);
	q = alloc_pages(GFP_KERNEL, 0);
	c = zone_alloc_contig_pages(&a, 1000, 1, GFP_KERNEL);
	ASSERT_TRUE(p && q && c);
	EXPECT_TRUE(page_to_pfn(c) >= a.zone_start_pfn && page_to_pfn(c) + 1000 <= a.zone_end_pfn);
	/* a two-page range straddling the arena's first or last pfn */
	edge = pfn_to_page(a.zone_start_pfn ? a.zone_start_pfn - 1 : a.zone_end_pfn - 1);

	EXPECT_REFUSED_IN("Normal", __free_page(p), "private arena");
	EXPECT_REFUSED_IN("Normal", free_contig_pages(c, 1000), "private arena");
	EXPECT_REFUSED_IN("Normal", free_contig_pages(edge, 2), "private arena");
	EXPECT_REFUSED_IN(a.name, zone_free_pages(&a, q, 0), "outside the zone");
	zone_free_pages(&a, p, 0);
	EXPECT_REFUSED_IN(a.name, zone_free_pages(&a, p, 0), "double free");
	EXPECT_EQ(2, zone_nr_bad(&a));
	EXPECT_EQ(3, nr_bad_pages());
	zone_free_contig_pages(&a, c, 1000);
	__free_page(q);
	EXPECT_EQ(2048, zone_nr_free(&a));
	EXPECT_ZONE_INVARIANTS(&a);
	EXPECT_INVARIANTS();
	ASSERT_EQ(0, arena_destroy(&a));
	EXPECT_EQ(NR_PAGES, nr_free_pages());
	EXPECT_INVARIANTS();
}

HOST_TEST(real_contig_scan_skips_live_arenas)
{
	struct zone a;
	struct page *p, *r;

	mt_setup(NR_PAGES, 0, 0);
	ASSERT_EQ(0, arena_create(&a, 2048));
	EXPECT_TRUE(alloc_contig_pages(NR_PAGES, NR_PAGES, GFP_KERNEL) == NULL);
	EXPECT_TRUE(alloc_contig_pages(NR_PAGES - 1024, 1, GFP_KERNEL) == NULL);
	p = alloc_contig_pages(NR_PAGES - 2048, 1, GFP_KERNEL); /* all the rest */
	ASSERT_TRUE(p != NULL);
	EXPECT_TRUE(page_to_pfn(p) >= a.zone_end_pfn ||
		    page_to_pfn(p) + NR_PAGES - 2048 <= a.zone_start_pfn);
	EXPECT_EQ(0, nr_free_pages());
	EXPECT_TRUE(alloc_page(GFP_KERNEL) == NULL);
	r = zone_alloc_pages(&a, GFP_KERNEL, MAX_PAGE_ORDER); /* the arena is untouched */
	ASSERT_TRUE(r != NULL);
	EXPECT_INVARIANTS();
	zone_free_pages(&a, r, MAX_PAGE_ORDER);
	free_contig_pages(p, NR_PAGES - 2048);
	ASSERT_EQ(0, arena_destroy(&a));
	EXPECT_EQ(NR_PAGES, nr_free_pages());
	EXPECT_INVARIANTS();
}

HOST_TEST(arena_fault_injection_and_purpose)
{
	struct page *p;
	struct zone a;

	mt_setup(NR_PAGES, 0, 0);
	ASSERT_EQ(0, arena_create(&a, 1024));
	fail_page_alloc_set("probability", 100);
	fail_page_alloc_set("times", -1);
	EXPECT_TRUE(zone_alloc_pages(&a, GFP_KERNEL, 0) == NULL);
	EXPECT_TRUE(zone_alloc_contig_pages(&a, 8, 8, GFP_KERNEL) == NULL);
	p = zone_alloc_pages(&a, GFP_HUGETLB | __GFP_NOFAIL, 2);
	ASSERT_TRUE(p != NULL);
	fail_page_alloc_reset();
	EXPECT_EQ(4, zone_nr_by_purpose(&a, PURPOSE_HUGETLB));
	EXPECT_EQ(0, nr_pages_by_purpose(PURPOSE_HUGETLB));
	zone_page_set_purpose(&a, p, PURPOSE_PAGE_TABLE);
	EXPECT_EQ(4, zone_nr_by_purpose(&a, PURPOSE_PAGE_TABLE));
	EXPECT_ZONE_INVARIANTS(&a);
	zone_free_pages(&a, p, 2);
	ASSERT_EQ(0, arena_destroy(&a));
	EXPECT_INVARIANTS();
}

/* ---- three zones at once against one model of who holds which pfn ---- */

#define NR_ZONES 3

struct live {
	unsigned long pfn;
	unsigned int order;
	int zone;
};

static unsigned char owner[NR_PAGES]; /* 0 free, else 1 + zone index */
static struct live lives[NR_PAGES];
static unsigned long nr_lives;
static struct zone arenas[NR_ZONES - 1];

static struct zone *zone_of(int i)
{
	return i ? &arenas[i - 1] : NULL;
}

static int model_alloc(int *failed, int zi, unsigned int order)
{
	struct zone *z = zone_of(zi);
	struct page *page =
	    z ? zone_alloc_pages(z, GFP_KERNEL, order) : alloc_pages(GFP_KERNEL, order);
	unsigned long pfn, n = 1UL << order;

	if (!page)
		return 0;
	pfn = page_to_pfn(page);
	for (int j = 0; j < NR_ZONES - 1; j++) {
		int inside = pfn >= arenas[j].zone_start_pfn && pfn < arenas[j].zone_end_pfn;

		if (inside != (zi == j + 1)) {
			HT_REPORT("zone %d handed out pfn %lu (arena %d)", zi, pfn, j);
			*failed = 1;
		}
	}
	for (unsigned long i = 0; i < n; i++) {
		if (owner[pfn + i]) {
			HT_REPORT("pfn %lu handed out twice", pfn + i);
			*failed = 1;
		}
		owner[pfn + i] = (unsigned char)(1 + zi);
	}
	lives[nr_lives++] = (struct live){pfn, order, zi};
	return 1;
}

static void model_free(unsigned long idx)
{
	struct live l = lives[idx];
	struct zone *z = zone_of(l.zone);

	memset(owner + l.pfn, 0, 1UL << l.order);
	if (z)
		zone_free_pages(z, pfn_to_page(l.pfn), l.order);
	else
		__free_pages(pfn_to_page(l.pfn), l.order);
	lives[idx] = lives[--nr_lives];
}

static void expect_all_invariants(int *failed)
{
	EXPECT_INVARIANTS();
	for (int j = 0; j < NR_ZONES - 1; j++)
		EXPECT_ZONE_INVARIANTS(&arenas[j]);
}

HOST_TEST(three_zones_side_by_side_random_ops)
{
	struct real_state before;
	unsigned long nfail = 0, counts[NR_PAGE_ORDERS];

	mt_setup(NR_PAGES, 16, 0);
	real_state(&before);
	ASSERT_EQ(0, arena_create(&arenas[0], 2048));
	ASSERT_EQ(0, arena_create(&arenas[1], 1024));
	memset(owner, 0, sizeof(owner));
	nr_lives = 0;
	for (unsigned long op = 0; op < 300000 && !*failed; op++) {
		if (nr_lives && rand64() % 100 < 45)
			model_free(rand64() % nr_lives);
		else if (!model_alloc(failed, (int)(rand64() % NR_ZONES),
				      (unsigned int)(rand64() % 6)))
			nfail++;
		if (op % 25000 == 0)
			expect_all_invariants(failed);
	}
	printf("    # %lu allocations failed, %lu blocks live at the end\n", nfail, nr_lives);
	EXPECT_TRUE(nfail > 0);
	EXPECT_EQ(0, mt_bad_count);
	while (nr_lives)
		model_free(nr_lives - 1);
	expect_all_invariants(failed);
	for (int j = 0; j < NR_ZONES - 1; j++) {
		zone_buddyinfo_counts(&arenas[j], counts);
		EXPECT_EQ(zone_pages(&arenas[j]) / MAX_ORDER_NR_PAGES, counts[MAX_PAGE_ORDER]);
		EXPECT_EQ(0, arena_destroy(&arenas[j]));
	}
	EXPECT_TRUE(same_real_state(&before));
	EXPECT_INVARIANTS();
}

HOST_TEST_MAIN("arena")
