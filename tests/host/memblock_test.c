/*
 * Host tests of memblock (mm/memblock.c): adding, reserving, merging and
 * overlaps, the top-down allocator's alignment, limits and exhaustion, the
 * iterators, and memblock_free_all's hand-over counted frame by frame.
 */
#include <stdint.h>

#include "tests/host/host_test.h"
#include "lib/errno.h"
#include "mm/memblock.h"
#include "tests/host/mm_test_util.h"

#define R(type, i) (memblock.type.regions[i])

HOST_TEST(memblock_add_merges_adjacent_and_overlapping)
{
	memblock_reset();
	EXPECT_EQ(0, memblock_add(0x200000, 0x100000));
	EXPECT_EQ(0, memblock_add(0x100000, 0x100000)); /* adjacent below */
	EXPECT_EQ(0, memblock_add(0x280000, 0x200000)); /* overlapping above */
	EXPECT_EQ(0, memblock_add(0x800000, 0x1000));	/* apart */
	EXPECT_EQ(0, memblock_add(0, 0));		/* empty: nothing */
	ASSERT_EQ(2, memblock.memory.cnt);
	EXPECT_EQ(0x100000, R(memory, 0).base);
	EXPECT_EQ(0x380000, R(memory, 0).size);
	EXPECT_EQ(0x800000, R(memory, 1).base);
	EXPECT_EQ(0, memblock_add(0, 0x1000000)); /* swallows everything */
	ASSERT_EQ(1, memblock.memory.cnt);
	EXPECT_EQ(0x1000000, memblock_phys_mem_size());
	EXPECT_EQ(0x1000000, memblock_end_of_DRAM());
}

HOST_TEST(memblock_reserve_keeps_first_owner_and_purpose_boundaries)
{
	memblock_reset();
	memblock_reserve(0x200000, 0x200000, PURPOSE_KERNEL_IMAGE);
	memblock_reserve(0x400000, 0x1000, PURPOSE_KERNEL_IMAGE); /* merges */
	memblock_reserve(0x401000, 0x1000, PURPOSE_BOOT_DATA);	  /* does not */
	memblock_reserve(0x100000, 0x400000, PURPOSE_PAGE_TABLE); /* fills gaps only */
	ASSERT_EQ(4, memblock.reserved.cnt);
	EXPECT_EQ(0x100000, R(reserved, 0).base);
	EXPECT_EQ(0x100000, R(reserved, 0).size);
	EXPECT_EQ(PURPOSE_PAGE_TABLE, R(reserved, 0).purpose);
	EXPECT_EQ(0x201000, R(reserved, 1).size);
	EXPECT_EQ(PURPOSE_KERNEL_IMAGE, R(reserved, 1).purpose);
	EXPECT_EQ(PURPOSE_BOOT_DATA, R(reserved, 2).purpose);
	EXPECT_EQ(0x402000, R(reserved, 3).base);
	EXPECT_EQ(0xfe000, R(reserved, 3).size);
	EXPECT_EQ(0x400000, memblock_reserved_size());
	EXPECT_EQ(-EINVAL, memblock_reserve(0, 1, NR_PURPOSES));
	EXPECT_TRUE(memblock_is_reserved(0x401fff) && !memblock_is_reserved(0x500000));
}

HOST_TEST(memblock_remove_and_phys_free_split_regions)
{
	memblock_reset();
	memblock_add(0, 0x1000000);
	EXPECT_EQ(0, memblock_remove(0x400000, 0x100000));
	ASSERT_EQ(2, memblock.memory.cnt);
	EXPECT_EQ(0x400000, R(memory, 0).size);
	EXPECT_EQ(0x500000, R(memory, 1).base);
	EXPECT_EQ(0, memblock_remove(0, 0x600000));
	ASSERT_EQ(1, memblock.memory.cnt);
	EXPECT_EQ(0x600000, R(memory, 0).base);
	memblock_reserve(0x600000, 0x10000, PURPOSE_BOOT_DATA);
	EXPECT_EQ(0, memblock_phys_free(0x600000, 0x10000));
	EXPECT_EQ(0, memblock.reserved.cnt);
	EXPECT_TRUE(memblock_is_memory(0x600000) && !memblock_is_memory(0x5fffff));
}

HOST_TEST(memblock_full_table_refuses_without_change)
{
	memblock_reset();
	for (unsigned long i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		ASSERT_EQ(0, memblock_add(i * 0x2000, 0x1000));
	EXPECT_EQ(-ENOSPC, memblock_add(0x10000000, 0x1000));
	/* a full table refuses any new piece, even one that would merge away */
	EXPECT_EQ(-ENOSPC, memblock_add(0x1000, 0x1000));
	EXPECT_EQ(MEMBLOCK_MAX_REGIONS, memblock.memory.cnt);
	EXPECT_EQ(0x1000, R(memory, 0).size);
	EXPECT_EQ(0, memblock_add(0x2000, 0x800));     /* already covered: no new piece */
	EXPECT_EQ(0, memblock_remove(0x2000, 0x1000)); /* a whole region: no split */
	EXPECT_EQ(MEMBLOCK_MAX_REGIONS - 1, memblock.memory.cnt);
	memblock_reset();
}

HOST_TEST(memblock_alloc_top_down_aligned_and_above_1mib)
{
	phys_addr_t a, b, c, low;

	memblock_reset();
	memblock_add(0x1000, 0x9e000);
	memblock_add(0x100000, 0x700000); /* [1 MiB, 8 MiB) */
	memblock_reserve(0x700000, 0x100000, PURPOSE_KERNEL_IMAGE);
	a = memblock_alloc(0x200000, 0x200000, PURPOSE_VMEMMAP);
	EXPECT_EQ(0x400000, a); /* the top 2 MiB slot below the kernel */
	b = memblock_alloc(0x1000, 0, PURPOSE_PAGE_TABLE);
	EXPECT_EQ(0x6ff000, b);				     /* free above: [6 MiB, 7 MiB) */
	c = memblock_alloc(0x300000, 0x1000, PURPOSE_OTHER); /* only [1, 4) MiB is that big */
	EXPECT_EQ(0x100000, c);
	EXPECT_EQ(0, memblock_alloc(0x100000, 0x1000, PURPOSE_OTHER)); /* 1 MiB - 4 KiB left */
	EXPECT_EQ(0x600000, memblock_alloc(0xff000, 0x1000, PURPOSE_OTHER));
	EXPECT_EQ(0, memblock_alloc(0x1000, 0x1000, PURPOSE_OTHER)); /* exhausted above 1 MiB */
	low = memblock_alloc_low(0x1000, 0x1000, PURPOSE_BOOT_DATA);
	EXPECT_TRUE(low >= 0x1000 && low < 0x100000);
	EXPECT_EQ(0x9e000, low);
	EXPECT_EQ(0, memblock_alloc(0x1000, 3, PURPOSE_OTHER)); /* align not 2^n */
	memblock_phys_free(0x100000, 0x300000);
	memblock_set_current_limit(0x200000);
	EXPECT_EQ(0x1ff000, memblock_alloc(0x1000, 0x1000, PURPOSE_OTHER));
}

HOST_TEST(memblock_free_range_iterator_matches_brute_force)
{
	phys_addr_t s, e, covered = 0;
	uint64_t i;

	memblock_reset();
	memblock_add(0x1000, 0x9e000);
	memblock_add(0x100000, 0xf00000);
	memblock_add(0x2000000, 0x100000);
	memblock_reserve(0, 0x2000, PURPOSE_BOOT_DATA);
	memblock_reserve(0x80000, 0x100000, PURPOSE_BOOT_DATA); /* spans the hole */
	memblock_reserve(0x300000, 0x1000, PURPOSE_OTHER);
	memblock_reserve(0x400000, 0x1000, PURPOSE_OTHER);
	memblock_reserve(0x1ff0000, 0x20000, PURPOSE_OTHER);
	for_each_free_mem_range (i, &s, &e) {
		EXPECT_TRUE(s < e);
		for (phys_addr_t a = s; a < e; a += 0x1000)
			EXPECT_TRUE(memblock_is_memory(a) && !memblock_is_reserved(a));
		covered += e - s;
	}
	for (phys_addr_t a = 0; a < 0x2200000; a += 0x1000)
		if (memblock_is_memory(a) && !memblock_is_reserved(a))
			covered -= 0x1000;
	EXPECT_EQ(0, covered);
}

HOST_TEST(memblock_memmap_ranges_round_to_4mib_and_merge)
{
	unsigned long s, e, n = 0, starts[4], ends[4];
	uint64_t i;

	memblock_reset();
	memblock_add(0x1000, 0x9e000);
	memblock_add(0x100000, 0x2f00000);  /* merges with the first after rounding */
	memblock_add(0x10000000, 0x100000); /* 256 MiB: apart */
	for_each_memmap_range (i, &s, &e) {
		starts[n] = s;
		ends[n++] = e;
	}
	ASSERT_EQ(2, n);
	EXPECT_EQ(0, starts[0]);
	EXPECT_EQ(0x3000, ends[0]);
	EXPECT_EQ(0x10000, starts[1]);
	EXPECT_EQ(0x10400, ends[1]);
}

/* Which purpose owns pfn, -1 if none, the way free_all must decide it. */
static int owner(unsigned long pfn)
{
	phys_addr_t s = PFN_PHYS(pfn), e = s + PAGE_SIZE;

	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (r->base < e && r->base + r->size > s)
			return r->purpose;
	}
	return -1;
}

HOST_TEST(memblock_free_all_hands_over_every_frame)
{
	unsigned long max_pfn, s, e, want_total = 0, want_free = 0, want[NR_PURPOSES] = {0};
	unsigned long freed;
	uint64_t i;

	memblock_reset();
	memblock_add(0x1000, 0x9e000);
	memblock_add(0x100000, 0x2f00000);
	memblock_add(0x3200000, 0xe00000); /* up to 64 MiB, a 2 MiB hole before */
	memblock_add_firmware(0x9f000, 0x61000);
	memblock_reserve(0x200000, 0x200000, PURPOSE_KERNEL_IMAGE);
	memblock_reserve(0x3ff800, 0x2000, PURPOSE_BOOT_DATA); /* unaligned, overlaps */
	memblock_reserve(0x500800, 0x1000, PURPOSE_BOOT_DATA); /* straddles two frames */
	memblock_reserve(0x3000000, 0x100000, PURPOSE_OTHER);  /* in the hole: ignored */
	EXPECT_EQ(0x3e00000, memblock_alloc(0x200000, 0x200000, PURPOSE_VMEMMAP));
	EXPECT_TRUE(memblock_alloc(0x1000, 0, PURPOSE_PAGE_TABLE) != 0);
	EXPECT_EQ(0x61, memblock_firmware_pages());

	max_pfn = PFN_UP(memblock_end_of_DRAM());
	ASSERT_EQ(0x4000, max_pfn);
	mt_setup_empty(max_pfn, 0);
	for_each_memmap_range (i, &s, &e)
		memmap_init_range(s, e);
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		int o = owner(pfn);

		if (!memblock_is_memory(PFN_PHYS(pfn)))
			continue;
		want_total++;
		if (o < 0)
			want_free++;
		else
			want[o]++;
	}
	freed = memblock_free_all();
	EXPECT_EQ(want_free, freed);
	EXPECT_EQ(want_free, nr_free_pages());
	EXPECT_EQ(want_total, totalram_pages());
	for (int p = 0; p < NR_PURPOSES; p++)
		EXPECT_EQ(want[p], nr_pages_by_purpose(p));
	EXPECT_EQ(512, nr_pages_by_purpose(PURPOSE_KERNEL_IMAGE)); /* 0x3ff800: first owner */
	EXPECT_EQ(4, nr_pages_by_purpose(PURPOSE_BOOT_DATA));	   /* 0x400-0x401, 0x500-0x501 */
	EXPECT_EQ(512, nr_pages_by_purpose(PURPOSE_VMEMMAP));
	EXPECT_TRUE(PageReserved(pfn_to_page(0x200)) && PageReserved(pfn_to_page(0x3000)));
	EXPECT_INVARIANTS();
	EXPECT_EQ(0, memblock_alloc(0x1000, 0, PURPOSE_OTHER)); /* closed */
	EXPECT_EQ(-EBUSY, memblock_add(0x8000000, 0x1000));
	EXPECT_EQ(0, mt_bad_count);
	memblock_reset();
}

HOST_TEST_MAIN("memblock")
