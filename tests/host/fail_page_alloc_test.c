/*
 * Host tests of fail_page_alloc (mm/fail_page_alloc.c) through the real
 * allocator: interval, times, space, min-order, probability with a seed,
 * the __GFP_NOFAIL bypass and the knob interface.
 */
#include <stdint.h>

#include "tests/host/host_test.h"
#include "lib/errno.h"
#include "tests/host/mm_test_util.h"

static long knob(const char *name)
{
	long v = -12345;

	fail_page_alloc_get(name, &v);
	return v;
}

/* Allocate (and free) @n order-0 pages; bit i of the result = call i failed. */
static uint64_t fail_pattern(int n, gfp_t gfp)
{
	uint64_t bits = 0;

	for (int i = 0; i < n; i++) {
		struct page *p = alloc_page(gfp);

		if (p)
			__free_page(p);
		else
			bits |= 1ULL << i;
	}
	return bits;
}

HOST_TEST(fail_off_by_default)
{
	mt_setup(1024, 0, 0);
	EXPECT_EQ(0, knob("probability"));
	EXPECT_EQ(1, knob("interval"));
	EXPECT_EQ(1, knob("times"));
	EXPECT_EQ(0, (long)fail_pattern(64, GFP_KERNEL));
	EXPECT_EQ(0, knob("injected"));
}

HOST_TEST(fail_every_third_call_unlimited)
{
	mt_setup(1024, 0, 0);
	EXPECT_EQ(0, fail_page_alloc_set("probability", 100));
	EXPECT_EQ(0, fail_page_alloc_set("interval", 3));
	EXPECT_EQ(0, fail_page_alloc_set("times", -1));
	EXPECT_TRUE(fail_pattern(12, GFP_KERNEL) == 0x924); /* calls 3, 6, 9, 12 */
	EXPECT_EQ(4, knob("injected"));
	EXPECT_EQ(0, (long)fail_pattern(12, GFP_KERNEL | __GFP_NOFAIL));
	EXPECT_INVARIANTS();
}

HOST_TEST(fail_times_and_space)
{
	mt_setup(1024, 0, 0);
	fail_page_alloc_set("probability", 100);
	fail_page_alloc_set("times", 2);
	EXPECT_TRUE(fail_pattern(5, GFP_KERNEL) == 0x3);
	EXPECT_EQ(0, knob("times"));

	fail_page_alloc_reset();
	fail_page_alloc_set("probability", 100);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("space", 4); /* four pages go through, then all fail */
	EXPECT_TRUE(fail_pattern(6, GFP_KERNEL) == 0x38);

	fail_page_alloc_reset();
	fail_page_alloc_set("probability", 100);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("min-order", 2);
	EXPECT_EQ(0, (long)fail_pattern(8, GFP_KERNEL));
	EXPECT_TRUE(alloc_pages(GFP_KERNEL, 2) == NULL);
	EXPECT_TRUE(alloc_contig_pages(8, 8, GFP_KERNEL) == NULL); /* contig is covered too */
	EXPECT_EQ(1024, nr_free_pages());
	EXPECT_INVARIANTS();
}

HOST_TEST(fail_probability_is_repeatable_with_a_seed)
{
	uint64_t first, again, other;
	int n = 0;

	mt_setup(1024, 0, 0);
	fail_page_alloc_set("probability", 50);
	fail_page_alloc_set("times", -1);
	fail_page_alloc_set("seed", 42);
	first = fail_pattern(64, GFP_KERNEL);
	fail_page_alloc_set("seed", 42);
	again = fail_pattern(64, GFP_KERNEL);
	fail_page_alloc_set("seed", 7);
	other = fail_pattern(64, GFP_KERNEL);
	EXPECT_TRUE(first == again);
	EXPECT_TRUE(first != other);
	for (int i = 0; i < 64; i++)
		n += (first >> i) & 1;
	EXPECT_TRUE(n > 16 && n < 48);
	fail_page_alloc_set("seed", 1);
	n = __builtin_popcountll(fail_pattern(64, GFP_KERNEL)) +
	    __builtin_popcountll(fail_pattern(64, GFP_KERNEL));
	EXPECT_TRUE(n > 40 && n < 88);
	EXPECT_INVARIANTS();
}

HOST_TEST(fail_knob_errors)
{
	EXPECT_EQ(-ENOENT, fail_page_alloc_set("nope", 1));
	EXPECT_EQ(-EINVAL, fail_page_alloc_set("probability", 101));
	EXPECT_EQ(-EINVAL, fail_page_alloc_set("interval", 0));
	EXPECT_EQ(-EINVAL, fail_page_alloc_set("times", -2));
	EXPECT_EQ(-EINVAL, fail_page_alloc_set("injected", 0));
	EXPECT_EQ(0, fail_page_alloc_set("times", -1));
	EXPECT_EQ(-1, knob("times"));
	EXPECT_EQ(-ENOENT, fail_page_alloc_get("nope", &(long){0}));
	EXPECT_STREQ("probability", fail_page_alloc_knobs[0]);
	fail_page_alloc_reset();
}

HOST_TEST_MAIN("fail_page_alloc")
