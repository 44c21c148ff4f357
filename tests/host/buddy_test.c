/*
 * Host tests of the buddy allocator (mm/page_alloc.c and friends) on a
 * malloc'd struct page array: a million random operations against a bitmap
 * model, coalescing, exhaustion, each refused free, compound pages, the
 * contiguous-range allocator up to 1 GiB, fault injection, and accounting.
 */
#include <stdint.h>

#include "tests/host/host_test.h"
#include "tests/host/mm_test_util.h"

#define NR_PAGES 16384UL /* 64 MiB */
#define NR_RESERVED 3UL

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rand64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned long total_allocated(void)
{
	unsigned long n = 0;

	for (int p = 0; p < NR_PURPOSES; p++)
		n += nr_pages_by_purpose(p);
	return n;
}

/* ---- the random test against a reference model ---- */

struct live {
	unsigned long pfn;
	unsigned int order;
	int zeroed;
};

static unsigned char model[NR_PAGES];
static struct live lives[NR_PAGES];
static unsigned long nr_lives;

/* Does the model have a wholly free, naturally aligned 2^order block? */
static int model_has_free_block(unsigned int order)
{
	unsigned long n = 1UL << order;

	for (unsigned long s = 0; s < NR_PAGES; s += n) {
		unsigned long i;

		for (i = 0; i < n && !model[s + i]; i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

static int model_alloc(int *failed, unsigned int order, gfp_t gfp, unsigned long nfail)
{
	struct page *page = alloc_pages(gfp, order);
	unsigned long pfn, n = 1UL << order;

	if (!page) {
		if (nfail % 64 == 0 && model_has_free_block(order)) {
			HT_REPORT("order-%u allocation failed with a free block in the model",
				  order);
			*failed = 1;
		}
		return 0;
	}
	pfn = page_to_pfn(page);
	if (pfn < NR_RESERVED || pfn + n > NR_PAGES || (pfn & (n - 1)) ||
	    page_ref_count(page) != 1) {
		HT_REPORT("bad block pfn %lu order %u", pfn, order);
		*failed = 1;
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		if (model[pfn + i]) {
			HT_REPORT("pfn %lu handed out twice", pfn + i);
			*failed = 1;
		}
		model[pfn + i] = 1;
	}
	if (gfp & __GFP_ZERO) {
		for (unsigned long b = 0; b < n * 4096; b++)
			if (mt_backing[pfn * 4096 + b]) {
				HT_REPORT("pfn %lu not zeroed", pfn);
				*failed = 1;
				break;
			}
	}
	if ((gfp & __GFP_COMP) && order &&
	    (compound_head(page + n - 1) != page || compound_order(page) != order)) {
		HT_REPORT("compound pfn %lu order %u malformed", pfn, order);
		*failed = 1;
	}
	lives[nr_lives++] = (struct live){pfn, order, (gfp & __GFP_ZERO) != 0};
	return 1;
}

static void model_free(unsigned long idx)
{
	struct live l = lives[idx];

	if (l.zeroed) /* dirty it so the next zeroing is checked for real */
		memset(mt_backing + l.pfn * 4096, 0xa5, 4096UL << l.order);
	memset(model + l.pfn, 0, 1UL << l.order);
	__free_pages(pfn_to_page(l.pfn), l.order);
	lives[idx] = lives[--nr_lives];
}

static unsigned int random_order(void)
{
	uint64_t r = rand64();

	return (r & 1) ? 0 : (unsigned int)((r >> 8) % (MAX_PAGE_ORDER + 1));
}

static gfp_t random_gfp(unsigned int order)
{
	uint64_t r = rand64();
	gfp_t gfp = __GFP_PURPOSE(r % NR_PURPOSES);

	if ((r >> 8) % 4 == 0)
		gfp |= __GFP_COMP;
	if (order <= 2 && (r >> 16) % 8 == 0)
		gfp |= __GFP_ZERO;
	return gfp;
}

HOST_TEST(buddy_million_random_ops_match_model)
{
	unsigned long initial[NR_PAGE_ORDERS], now[NR_PAGE_ORDERS], nfail = 0;

	mt_setup(NR_PAGES, NR_RESERVED, 1);
	memset(model, 0, sizeof(model));
	for (unsigned long i = 0; i < NR_RESERVED; i++)
		model[i] = 1;
	nr_lives = 0;
	buddyinfo_counts(initial);

	for (unsigned long op = 0; op < 1000000; op++) {
		if (nr_lives && rand64() % 100 < 45) {
			model_free(rand64() % nr_lives);
		} else {
			unsigned int order = random_order();

			if (!model_alloc(failed, order, random_gfp(order), nfail))
				nfail++;
		}
		if (op % 20000 == 0) {
			EXPECT_EQ(NR_PAGES - NR_RESERVED,
				  nr_free_pages() + total_allocated() - NR_RESERVED);
			EXPECT_INVARIANTS();
		}
		if (*failed)
			return;
	}
	printf("    # %lu allocations failed, %lu blocks live at the end\n", nfail, nr_lives);
	EXPECT_TRUE(nfail > 0); /* the arena did run out now and then */
	while (nr_lives)
		model_free(nr_lives - 1);
	buddyinfo_counts(now);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		EXPECT_EQ(initial[o], now[o]);
	EXPECT_EQ(NR_PAGES - NR_RESERVED, nr_free_pages());
	EXPECT_EQ(0, mt_bad_count);
	EXPECT_INVARIANTS();
}

HOST_TEST(buddy_full_coalescing_after_scattered_frees)
{
	static struct page *pages[NR_PAGES + 1];
	unsigned long initial[NR_PAGE_ORDERS], now[NR_PAGE_ORDERS], n = 0;

	mt_setup(NR_PAGES, 0, 0);
	buddyinfo_counts(initial);
	EXPECT_EQ(NR_PAGES / 1024, initial[MAX_PAGE_ORDER]);
	while ((pages[n] = alloc_page(GFP_KERNEL)))
		n++;
	EXPECT_EQ(NR_PAGES, n);
	for (unsigned long i = n; i > 1; i--) { /* shuffle, then free */
		unsigned long j = rand64() % i;
		struct page *t = pages[i - 1];

		pages[i - 1] = pages[j];
		pages[j] = t;
	}
	for (unsigned long i = 0; i < n; i++)
		__free_page(pages[i]);
	buddyinfo_counts(now);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		EXPECT_EQ(initial[o], now[o]);
	EXPECT_INVARIANTS();
}

HOST_TEST(buddy_exhaustion_and_recovery)
{
	static struct page *pages[NR_PAGES + 1];
	unsigned long n = 0;

	mt_setup(NR_PAGES, NR_RESERVED, 0);
	while ((pages[n] = alloc_pages(GFP_KERNEL, 2)))
		n++;
	EXPECT_EQ((NR_PAGES - 4) / 4, n); /* pfn 0-3 hold the reserved frames */
	EXPECT_EQ(1, nr_free_pages());	  /* pfn 3, an order-0 block */
	EXPECT_TRUE(alloc_pages(GFP_KERNEL, 1) == NULL);
	EXPECT_INVARIANTS();
	for (unsigned long i = 0; i < n; i++)
		__free_pages(pages[i], 2);
	EXPECT_EQ(NR_PAGES - NR_RESERVED, nr_free_pages());
	pages[0] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	ASSERT_TRUE(pages[0] != NULL);
	__free_pages(pages[0], MAX_PAGE_ORDER);
	EXPECT_TRUE(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	EXPECT_INVARIANTS();
}

/* ---- refused frees: reported, and nothing changes ---- */

static struct page *snapshot;
static unsigned long snap_free, snap_purpose[NR_PURPOSES];

static void take_snapshot(void)
{
	free(snapshot);
	snapshot = malloc(mt_nr_pages * sizeof(struct page));
	memcpy(snapshot, mt_memmap, mt_nr_pages * sizeof(struct page));
	snap_free = nr_free_pages();
	for (int p = 0; p < NR_PURPOSES; p++)
		snap_purpose[p] = nr_pages_by_purpose(p);
}

static int unchanged(void)
{
	for (int p = 0; p < NR_PURPOSES; p++)
		if (snap_purpose[p] != nr_pages_by_purpose(p))
			return 0;
	return snap_free == nr_free_pages() &&
	       !memcmp(snapshot, mt_memmap, mt_nr_pages * sizeof(struct page));
}

#define EXPECT_REFUSED(call, reason_part)                                                          \
	do {                                                                                       \
		int before_ = mt_bad_count;                                                        \
		take_snapshot();                                                                   \
		call;                                                                              \
		EXPECT_EQ(before_ + 1, mt_bad_count);                                              \
		EXPECT_TRUE(mt_bad_reason &&strstr(mt_bad_reason, reason_part));                   \
		EXPECT_TRUE(unchanged());                                                          \
	} while (0)

HOST_TEST(buddy_bad_frees_are_caught_and_refused)
{
	struct page *a, *c, *r = NULL;

	mt_setup(4096, 16, 0);
	a = alloc_pages(GFP_KERNEL, 2);
	c = alloc_pages(GFP_HUGETLB, 3);
	ASSERT_TRUE(a && c);

	EXPECT_REFUSED(__free_pages(c + 5, 0), "tail page");
	EXPECT_REFUSED(__free_pages(c, 2), "wrong order");
	EXPECT_REFUSED(__free_pages(a, 1), "wrong order");
	EXPECT_REFUSED(__free_pages(a + 1, 2), "aligned");
	EXPECT_REFUSED(__free_pages(a + 1, 0), "not allocated");
	get_page(c + 1);
	EXPECT_REFUSED(__free_pages(c, 3), "extra references");
	page_ref_dec_return(c);
	r = pfn_to_page(5);
	EXPECT_REFUSED(__free_page(r), "reserved");
	EXPECT_REFUSED(__free_pages(pfn_to_page(5000), 0), "outside the zone");
	EXPECT_REFUSED(free_reserved_page(a), "not an accounted boot-reserved page");

	__free_pages(a, 2);
	EXPECT_REFUSED(__free_pages(a, 2), "double free");
	EXPECT_REFUSED(__free_pages(a, 0), "double free");
	__free_pages(c, 3);
	EXPECT_EQ(11, (long)nr_bad_pages());
	ASSERT_TRUE(mt_bad_zone != NULL);
	EXPECT_STREQ("Normal", mt_bad_zone->name); /* the report says which zone */
	EXPECT_EQ(4096 - 16, nr_free_pages());
	EXPECT_INVARIANTS();
	set_bad_page_hook(NULL);
}

HOST_TEST(buddy_compound_pages_have_identical_tails)
{
	struct page *head, *plain;

	mt_setup(4096, 0, 0);
	head = alloc_pages(GFP_HUGETLB, 9);
	ASSERT_TRUE(head != NULL);
	EXPECT_TRUE(page_is_head(head) && !page_is_tail(head));
	EXPECT_EQ(9, compound_order(head));
	for (unsigned long i = 1; i < 512; i++) {
		/* Every tail holds the same word (the order's mask), so HVO can
		 * share tail struct pages between huge pages (mm/page.h). */
		if (!page_is_tail(head + i) || compound_head(head + i) != head ||
		    head[i].compound_head != head[1].compound_head) {
			HT_REPORT("tail %lu not linked", i);
			*failed = 1;
			break;
		}
	}
	EXPECT_EQ(0, compound_order(head + 1)); /* only a head has an order */
	EXPECT_EQ(PURPOSE_HUGETLB, page_purpose(head));
	EXPECT_EQ(512, nr_pages_by_purpose(PURPOSE_HUGETLB));
	plain = alloc_pages(GFP_KERNEL, 3);
	ASSERT_TRUE(plain != NULL);
	EXPECT_TRUE(!PageCompound(plain) && !PageCompound(plain + 1));
	EXPECT_EQ(0, compound_order(plain));
	__free_pages(head, 9);
	__free_pages(plain, 3);
	EXPECT_TRUE(!PageTail(head + 1) && !PageHead(head));
	EXPECT_EQ(0, nr_pages_by_purpose(PURPOSE_HUGETLB));
	EXPECT_EQ(4096, nr_free_pages());
	EXPECT_INVARIANTS();
}

HOST_TEST(buddy_split_page_and_purpose_accounting)
{
	struct page *p, *q;

	mt_setup(4096, 8, 0);
	EXPECT_EQ(8, nr_pages_by_purpose(PURPOSE_KERNEL_IMAGE));
	EXPECT_EQ(4096, totalram_pages());
	p = alloc_pages(GFP_VMEMMAP, 3);
	q = alloc_pages(GFP_PGTABLE & ~__GFP_ZERO, 0);
	ASSERT_TRUE(p && q);
	EXPECT_EQ(8, nr_pages_by_purpose(PURPOSE_VMEMMAP));
	EXPECT_EQ(1, nr_pages_by_purpose(PURPOSE_PAGE_TABLE));
	split_page(p, 3);
	EXPECT_INVARIANTS();
	page_set_purpose(p + 2, PURPOSE_OTHER);
	EXPECT_EQ(7, nr_pages_by_purpose(PURPOSE_VMEMMAP));
	EXPECT_EQ(1, nr_pages_by_purpose(PURPOSE_OTHER));
	for (int i = 0; i < 8; i++)
		__free_page(p + i);
	__free_page(q);
	EXPECT_EQ(0, nr_pages_by_purpose(PURPOSE_VMEMMAP) + nr_pages_by_purpose(PURPOSE_OTHER));
	free_reserved_page(pfn_to_page(7));
	EXPECT_EQ(7, nr_pages_by_purpose(PURPOSE_KERNEL_IMAGE));
	EXPECT_EQ(4096 - 7, nr_free_pages());
	EXPECT_EQ(4096, totalram_pages());
	EXPECT_STREQ("vmemmap", page_purpose_name(PURPOSE_VMEMMAP));
	EXPECT_EQ(0, mt_bad_count);
	EXPECT_INVARIANTS();
}

HOST_TEST(buddy_gfp_zero_clears_frames)
{
	struct page *p;

	mt_setup(1024, 0, 1);
	memset(mt_backing, 0xff, 1024 * 4096);
	p = alloc_pages(GFP_PGTABLE, 1);
	ASSERT_TRUE(p != NULL);
	for (unsigned long b = 0; b < 2 * 4096; b++)
		if (((unsigned char *)page_address(p))[b]) {
			HT_REPORT("byte %lu not zero", b);
			*failed = 1;
			break;
		}
	EXPECT_EQ(0xff, ((unsigned char *)page_address(p + 2))[0]);
	__free_pages(p, 1);
	EXPECT_INVARIANTS();
}

HOST_TEST_MAIN("buddy")
