/*
 * Host tests of the contiguous-range allocator (mm/contig_alloc.c): ranges
 * larger than MAX_PAGE_ORDER found by walking free-block heads, refused when
 * one frame is busy, unaligned and odd sizes, and one real 1 GiB block.
 */
#include <stdint.h>

#include "tests/host/host_test.h"
#include "tests/host/mm_test_util.h"

static void expect_initial_buddyinfo(int *failed, unsigned long nr_pages, unsigned long reserved)
{
	unsigned long counts[NR_PAGE_ORDERS];

	buddyinfo_counts(counts);
	if (!reserved)
		EXPECT_EQ(nr_pages / MAX_ORDER_NR_PAGES, counts[MAX_PAGE_ORDER]);
	EXPECT_EQ(nr_pages - reserved, nr_free_pages());
}

HOST_TEST(contig_8mib_aligned_compound_block)
{
	struct page *p;

	mt_setup(8192, 0, 0);
	p = alloc_contig_pages(2048, 2048, GFP_HUGETLB);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(0, page_to_pfn(p) % 2048);
	EXPECT_EQ(11, compound_order(p));
	EXPECT_TRUE(compound_head(p + 2047) == p);
	EXPECT_EQ(2048, nr_pages_by_purpose(PURPOSE_HUGETLB));
	EXPECT_EQ(8192 - 2048, nr_free_pages());
	EXPECT_INVARIANTS();
	free_contig_pages(p, 2048);
	expect_initial_buddyinfo(failed, 8192, 0);
	EXPECT_EQ(0, nr_pages_by_purpose(PURPOSE_HUGETLB));
	EXPECT_INVARIANTS();
}

HOST_TEST(contig_refuses_ranges_with_one_busy_frame)
{
	static struct page *all[8192 + 1];
	struct page *pin[4], *p;
	unsigned long n = 0;

	mt_setup(8192, 0, 0);
	while ((all[n] = alloc_page(GFP_KERNEL)))
		n++;
	ASSERT_EQ(8192, n);
	for (unsigned long i = 0; i < n; i++) { /* keep one busy frame per 8 MiB block */
		unsigned long pfn = page_to_pfn(all[i]);

		if (pfn % 2048 == 1000)
			pin[pfn / 2048] = all[i];
		else
			__free_page(all[i]);
	}
	EXPECT_TRUE(alloc_contig_pages(2048, 2048, GFP_KERNEL) == NULL);
	EXPECT_TRUE(alloc_contig_pages(2048, 1, GFP_KERNEL) == NULL); /* pins 2048 apart */
	p = alloc_contig_pages(2047, 1, GFP_KERNEL);		      /* exactly between two pins */
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(1001, page_to_pfn(p) % 2048);
	EXPECT_INVARIANTS();
	free_contig_pages(p, 2047);
	for (int i = 0; i < 4; i++)
		__free_page(pin[i]);
	p = alloc_contig_pages(2048, 2048, GFP_KERNEL);
	EXPECT_TRUE(p != NULL);
	free_contig_pages(p, 2048);
	expect_initial_buddyinfo(failed, 8192, 0);
	EXPECT_INVARIANTS();
}

HOST_TEST(contig_odd_sizes_split_blocks_and_give_back_the_rest)
{
	struct page *a, *b, *c;

	mt_setup(4096, 5, 0);
	a = alloc_contig_pages(1500, 1, __GFP_PURPOSE(PURPOSE_OTHER) | __GFP_COMP);
	b = alloc_contig_pages(3, 1, GFP_KERNEL);
	c = alloc_contig_pages(100, 64, GFP_KERNEL);
	ASSERT_TRUE(a && b && c);
	EXPECT_TRUE(!PageHead(a)); /* 1500 is no power of two: never compound */
	EXPECT_EQ(0, page_to_pfn(c) % 64);
	EXPECT_EQ(1603, nr_pages_by_purpose(PURPOSE_OTHER));
	EXPECT_EQ(4096 - 5 - 1603, nr_free_pages());
	EXPECT_INVARIANTS();
	free_contig_pages(b, 3);
	free_contig_pages(a, 1500);
	free_contig_pages(c, 100);
	expect_initial_buddyinfo(failed, 4096, 5);
	EXPECT_INVARIANTS();
}

HOST_TEST(contig_bad_frees_are_refused)
{
	struct page *p;

	mt_setup(4096, 0, 0);
	p = alloc_contig_pages(2000, 1, GFP_KERNEL);
	ASSERT_TRUE(p != NULL);
	free_contig_pages(p, 1999);
	EXPECT_EQ(1, mt_bad_count);
	free_contig_pages(p + 1, 1);
	EXPECT_EQ(2, mt_bad_count);
	free_contig_pages(p, 2000);
	free_contig_pages(p, 2000);
	EXPECT_EQ(3, mt_bad_count);
	EXPECT_TRUE(alloc_contig_pages(4097, 1, GFP_KERNEL) == NULL);
	EXPECT_TRUE(alloc_contig_pages(16, 3, GFP_KERNEL) == NULL); /* align not 2^n */
	expect_initial_buddyinfo(failed, 4096, 0);
	EXPECT_INVARIANTS();
}

HOST_TEST(contig_one_gib_block)
{
	const unsigned long gib = 262144, nr = 2 * 262144;
	struct page *p;

	mt_setup(nr, 16, 0); /* the first GiB holds the "kernel": only the second fits */
	p = alloc_contig_pages(gib, gib, GFP_HUGETLB);
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(gib, page_to_pfn(p));
	EXPECT_EQ(18, compound_order(p));
	EXPECT_TRUE(compound_head(p + gib - 1) == p);
	EXPECT_EQ(gib, nr_pages_by_purpose(PURPOSE_HUGETLB));
	EXPECT_TRUE(alloc_contig_pages(gib, gib, GFP_HUGETLB) == NULL);
	EXPECT_INVARIANTS();
	free_contig_pages(p, gib);
	EXPECT_EQ(nr - 16, nr_free_pages());
	EXPECT_EQ(0, nr_pages_by_purpose(PURPOSE_HUGETLB));
	EXPECT_EQ(0, mt_bad_count);
	EXPECT_INVARIANTS();
}

HOST_TEST_MAIN("contig_alloc")
