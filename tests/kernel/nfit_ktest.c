/*
 * NFIT parsing on synthetic tables built in memory: a good table, and every
 * way a firmware table can be broken that the parser must refuse with a
 * reason (never read past the end, never accept overlapping ranges).
 */
#include "arch/x86_64/nfit.h"
#include "kernel/ktest.h"
#include "lib/errno.h"
#include "lib/string.h"

static uint8_t tbl[512];
static size_t tbl_len;

static const uint8_t pmem_guid[16] = {0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40,
				      0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb};
/* The volatile-memory GUID (7305944F-FDDA-44E3-B16C-3F22D252E5D0): not pmem. */
static const uint8_t volatile_guid[16] = {0x4f, 0x94, 0x05, 0x73, 0xda, 0xfd, 0xe3, 0x44,
					  0xb1, 0x6c, 0x3f, 0x22, 0xd2, 0x52, 0xe5, 0xd0};

static void set_len(void)
{
	uint32_t l = (uint32_t)tbl_len;

	memcpy(tbl + 4, &l, 4);
}

static void start_table(void)
{
	memset(tbl, 0, sizeof(tbl));
	memcpy(tbl, "NFIT", 4);
	tbl_len = 40;
	set_len();
}

static void add_struct(uint16_t type, uint16_t len)
{
	memcpy(tbl + tbl_len, &type, 2);
	memcpy(tbl + tbl_len + 2, &len, 2);
	tbl_len += len;
	set_len();
}

static void add_spa(uint16_t index, const uint8_t *guid, uint64_t base, uint64_t size)
{
	uint8_t *e = tbl + tbl_len;

	add_struct(0, 56);
	memcpy(e + 4, &index, 2);
	memcpy(e + 16, guid, 16);
	memcpy(e + 32, &base, 8);
	memcpy(e + 40, &size, 8);
}

static int parse(struct nfit_info *info)
{
	char why[128];

	return nfit_parse(tbl, tbl_len, info, why, sizeof(why));
}

static void good_table(struct ktest *t)
{
	struct nfit_info info;

	start_table();
	add_spa(1, pmem_guid, 0x100000000ULL, 2ULL << 30);
	add_struct(1, 48); /* a region mapping structure */
	add_spa(2, volatile_guid, 0x200000000ULL, 1ULL << 30);
	add_spa(3, pmem_guid, 0x300000000ULL, 1ULL << 30);
	KASSERT_EQ(t, 0, parse(&info));
	KEXPECT_EQ(t, 2, info.nr_pmem);
	KEXPECT_EQ(t, 1, info.nr_other_spa);
	KEXPECT_EQ(t, 1, info.nr_other);
	KEXPECT_EQ(t, 0x100000000ULL, info.spa[0].base);
	KEXPECT_EQ(t, 2ULL << 30, info.spa[0].size);
	KEXPECT_EQ(t, 3, info.spa[1].range_index);
}

static void truncated(struct ktest *t)
{
	struct nfit_info info;
	char why[128];

	start_table();
	KEXPECT_EQ(t, -EINVAL, nfit_parse(tbl, 39, &info, why, sizeof(why)));
	add_spa(1, pmem_guid, 0x100000000ULL, 1ULL << 30);
	tbl_len -= 10; /* the SPA structure runs past the end */
	set_len();
	KEXPECT_EQ(t, -EINVAL, parse(&info));
	start_table();
	tbl_len += 2; /* two stray bytes: not even a structure header */
	set_len();
	KEXPECT_EQ(t, -EINVAL, parse(&info));
	start_table();
	add_spa(1, pmem_guid, 0x100000000ULL, 1ULL << 30);
	KEXPECT_EQ(t, -EINVAL, nfit_parse(tbl, tbl_len - 1, &info, why, sizeof(why)));
}

static void bad_lengths(struct ktest *t)
{
	struct nfit_info info;

	start_table();
	add_struct(1, 0); /* would loop forever if accepted */
	tbl_len = 44;
	set_len();
	KEXPECT_EQ(t, -EINVAL, parse(&info));
	start_table();
	add_struct(0, 40); /* an SPA structure shorter than 56 bytes */
	KEXPECT_EQ(t, -EINVAL, parse(&info));
	start_table();
	add_spa(1, pmem_guid, 0x100000000ULL, 0); /* empty */
	KEXPECT_EQ(t, -EINVAL, parse(&info));
	start_table();
	add_spa(1, pmem_guid, 0x100000800ULL, 1ULL << 30); /* unaligned */
	KEXPECT_EQ(t, -EINVAL, parse(&info));
	start_table();
	add_spa(1, pmem_guid, ~0xfffULL, 1ULL << 30); /* wraps */
	KEXPECT_EQ(t, -EINVAL, parse(&info));
}

static void wrong_guid(struct ktest *t)
{
	struct nfit_info info;

	start_table();
	add_spa(1, volatile_guid, 0x100000000ULL, 1ULL << 30);
	KASSERT_EQ(t, 0, parse(&info));
	KEXPECT_EQ(t, 0, info.nr_pmem);
	KEXPECT_EQ(t, 1, info.nr_other_spa);
	memcpy(tbl, "APIC", 4); /* not an NFIT at all */
	KEXPECT_EQ(t, -EINVAL, parse(&info));
}

static void overlapping_ranges(struct ktest *t)
{
	struct nfit_info info;

	start_table();
	add_spa(1, pmem_guid, 0x100000000ULL, 2ULL << 30);
	add_spa(2, pmem_guid, 0x140000000ULL, 2ULL << 30);
	KEXPECT_EQ(t, -EINVAL, parse(&info));
	start_table();
	add_spa(1, pmem_guid, 0x100000000ULL, 1ULL << 30);
	add_spa(2, pmem_guid, 0x140000000ULL, 1ULL << 30); /* adjacent is fine */
	KEXPECT_EQ(t, 0, parse(&info));
	KEXPECT_EQ(t, 2, info.nr_pmem);
}

static const struct ktest_case nfit_cases[] = {
    KTEST_CASE(good_table), KTEST_CASE(truncated),	    KTEST_CASE(bad_lengths),
    KTEST_CASE(wrong_guid), KTEST_CASE(overlapping_ranges), {0},
};
DEFINE_KTEST_SUITE(nfit, nfit_cases);
