/*
 * Host tests of the object cache (mm/slab.c) over the real buddy allocator:
 * objects are zeroed and distinct, a page holds per_slab of them, and every
 * page goes back to the buddy allocator the moment its last object is
 * freed, in any order; an allocation failure is NULL and leaks nothing.
 */
#include <stdint.h>

#include "tests/host/host_test.h"
#include "mm/slab.h"
#include "tests/host/mm_test_util.h"

#define NR_PAGES 1024

struct obj {
	char bytes[200];
};

HOST_TEST(slab_fills_pages_and_returns_them_exactly)
{
	static struct kmem_cache c = KMEM_CACHE_INIT(c, "test", sizeof(struct obj));
	struct obj *o[100];
	unsigned long free0;

	mt_setup(NR_PAGES, 0, 1);
	free0 = nr_free_pages();
	for (int i = 0; i < 100; i++) {
		o[i] = kmem_cache_zalloc(&c);
		ASSERT_TRUE(o[i] != NULL);
		for (int j = 0; j < 200; j++)
			ASSERT_EQ(0, o[i]->bytes[j]);
		memset(o[i], 0xa5, sizeof(*o[i])); /* dirty it: the next zalloc must clear */
	}
	ASSERT_TRUE(c.per_slab >= 19 && c.per_slab <= 20); /* 200 bytes in 4 KiB, less a header */
	EXPECT_EQ((100 + c.per_slab - 1) / c.per_slab, c.nr_slabs);
	EXPECT_EQ(free0 - c.nr_slabs, nr_free_pages());
	EXPECT_EQ(100, c.nr_objs);
	for (int i = 0; i < 100; i++)
		for (int j = i + 1; j < 100; j++)
			EXPECT_TRUE(o[i] != o[j]);
	/* Free odd ones, then even ones: pages go back only when empty. */
	for (int i = 1; i < 100; i += 2)
		kmem_cache_free(&c, o[i]);
	EXPECT_EQ(free0 - c.nr_slabs, nr_free_pages());
	o[1] = kmem_cache_zalloc(&c); /* reuses a hole, zeroed */
	ASSERT_TRUE(o[1] != NULL);
	EXPECT_EQ(0, o[1]->bytes[0] | o[1]->bytes[199]);
	kmem_cache_free(&c, o[1]);
	for (int i = 0; i < 100; i += 2)
		kmem_cache_free(&c, o[i]);
	EXPECT_EQ(0, c.nr_slabs);
	EXPECT_EQ(0, c.nr_objs);
	EXPECT_EQ(free0, nr_free_pages());
}

HOST_TEST(slab_allocation_failure_is_null)
{
	static struct kmem_cache c = KMEM_CACHE_INIT(c, "fail", 64);
	unsigned long free0;

	mt_setup(NR_PAGES, 0, 1);
	free0 = nr_free_pages();
	fail_page_alloc_set("probability", 100);
	fail_page_alloc_set("times", -1);
	EXPECT_TRUE(kmem_cache_zalloc(&c) == NULL);
	fail_page_alloc_reset();
	/* A slab with room still fails when injection says so (failslab). */
	void *o = kmem_cache_zalloc(&c);
	ASSERT_TRUE(o != NULL);
	fail_page_alloc_set("probability", 100);
	fail_page_alloc_set("times", -1);
	EXPECT_TRUE(kmem_cache_zalloc(&c) == NULL);
	fail_page_alloc_reset();
	kmem_cache_free(&c, o);
	EXPECT_EQ(0, c.nr_slabs);
	EXPECT_EQ(free0, nr_free_pages());
}

HOST_TEST_MAIN("slab")
