/*
 * Host tests of the TLB model (tools/tlbmodel/tlb_model.c) on synthetic page
 * tables and access/flush traces: hits, misses, page sizes, LRU, the STLB,
 * global entries, paging-structure caches, every SDM 4.10.4 invalidation
 * rule and the stale-translation checker; the instruction decoder and the
 * phase line's keys (tools/tlbmodel/x86_decode.c, phase.c).
 */
#include "tests/host/host_test.h"
#include "tools/tlbmodel/phase.h"
#include "tools/tlbmodel/tlb_model.h"
#include "tools/tlbmodel/x86_decode.h"

#include <stdint.h>

/* ---- a small physical memory with 4-level page tables ---- */

#define NR_FRAMES 64
static uint64_t mem[NR_FRAMES * 512];
static unsigned int next_frame;

#define P 1ULL
#define RW 2ULL
#define PS (1ULL << 7)
#define G (1ULL << 8)

static bool read_mem(void *ctx, uint64_t phys, uint64_t *val)
{
	if (phys / 8 >= NR_FRAMES * 512)
		return false;
	*val = mem[phys / 8];
	return true;
}

static uint64_t new_table(void)
{
	uint64_t phys = (uint64_t)next_frame++ << 12;

	memset(&mem[phys / 8], 0, 4096);
	return phys;
}

static uint64_t *entry(uint64_t table, uint64_t va, int level)
{
	return &mem[table / 8 + ((va >> (12 + 9 * (level - 1))) & 511)];
}

/* The entry at @level (3: PDPTE, 2: PDE, 1: PTE) for @va, making the tables above it. */
static uint64_t *slot(uint64_t cr3, uint64_t va, int level)
{
	uint64_t table = cr3;

	for (int l = 4; l > level; l--) {
		uint64_t *e = entry(table, va, l);

		if (!(*e & P))
			*e = new_table() | P | RW;
		table = *e & ~0xfffULL;
	}
	return entry(table, va, level);
}

static struct tlb_shared sh;
static uint64_t cr3;

static void cpu_setup(struct tlb_cpu *c, const struct tlb_preset *p)
{
	next_frame = 1;
	cr3 = new_table();
	tlb_shared_init(&sh, 1024);
	tlb_cpu_init(c, p, &sh, read_mem, NULL);
	c->cr3 = cr3;
	c->cr4 = X86_CR4_PGE;
}

static void cpu_done(struct tlb_cpu *c)
{
	tlb_cpu_free(c);
	tlb_shared_free(&sh);
}

#define VA 0x0000400000000000ULL
#define DATA(n) (0x1000000ULL + (uint64_t)(n)*0x200000ULL) /* 2 MiB-aligned frames */

static int access(struct tlb_cpu *c, uint64_t va)
{
	return tlb_access(c, va, TLB_READ, ~0ULL, NULL);
}

HOST_TEST(fill_then_hit)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 1) = DATA(0) | P | RW;
	access(&c, VA);
	access(&c, VA + 8);
	EXPECT_EQ(2, c.n.accesses);
	EXPECT_EQ(1, c.n.l1_misses);
	EXPECT_EQ(1, c.n.walks);
	EXPECT_EQ(1, c.n.walks_size[TLB_4K]);
	EXPECT_EQ(4, c.n.walk_refs); /* a cold PSC: every level read */
	*slot(cr3, VA + 0x1000, 1) = DATA(1) | P | RW;
	access(&c, VA + 0x1000);
	EXPECT_EQ(5, c.n.walk_refs); /* the PDE cache skips three levels */
	cpu_done(&c);
}

HOST_TEST(page_sizes_from_the_walk)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 2) = DATA(0) | P | RW | PS;
	*slot(cr3, VA + (1ULL << 30), 3) = (1ULL << 30) | P | RW | PS;
	access(&c, VA);
	access(&c, VA + 0x1ff000); /* the same 2 MiB page */
	access(&c, VA + (1ULL << 30));
	access(&c, VA + (1ULL << 30) + 0x3ff00000); /* the same 1 GiB page */
	EXPECT_EQ(2, c.n.walks);
	EXPECT_EQ(1, c.n.walks_size[TLB_2M]);
	EXPECT_EQ(1, c.n.walks_size[TLB_1G]);
	cpu_done(&c);
}

HOST_TEST(stlb_catches_l1_capacity_misses)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	for (int i = 0; i < 200; i++)
		*slot(cr3, VA + i * 0x1000ULL, 1) = (DATA(0) + i * 0x1000ULL) | P;
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < 200; i++)
			access(&c, VA + i * 0x1000ULL);
	EXPECT_EQ(200, c.n.walks);     /* 200 pages fit the 1536-entry STLB */
	EXPECT_EQ(400, c.n.l1_misses); /* but not the 64-entry L1 */
	cpu_done(&c);
}

static const struct tlb_preset four_way = {
    .name = "four-way",
    .l1d = {{4, 4, TLB_ALL_SIZES}},
};

HOST_TEST(lru_evicts_the_least_recently_used)
{
	struct tlb_cpu c;

	cpu_setup(&c, &four_way);
	for (int i = 0; i < 5; i++)
		*slot(cr3, VA + i * 0x1000ULL, 1) = (DATA(0) + i * 0x1000ULL) | P;
	for (int i = 0; i < 4; i++)
		access(&c, VA + i * 0x1000ULL);
	access(&c, VA); /* page 0 is now the most recent, page 1 the least */
	access(&c, VA + 4 * 0x1000ULL);
	EXPECT_EQ(5, c.n.walks);
	access(&c, VA);
	EXPECT_EQ(5, c.n.walks);
	access(&c, VA + 0x1000);
	EXPECT_EQ(6, c.n.walks);
	cpu_done(&c);
}

HOST_TEST(invlpg_drops_every_size_and_the_psc)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 2) = DATA(0) | P | RW | PS | G;
	*slot(cr3, VA + 0x200000, 1) = DATA(1) | P | RW;
	access(&c, VA);
	access(&c, VA + 0x200000);
	tlb_invlpg(&c, VA + 0x5000); /* inside the 2 MiB page: drops it, global or not */
	EXPECT_EQ(1, c.n.invlpg);
	EXPECT_EQ(2, c.n.invlpg_dropped); /* its L1 and STLB copies */
	EXPECT_TRUE(c.n.pwc_dropped >= 2);
	access(&c, VA);
	EXPECT_EQ(3, c.n.walks);
	access(&c, VA + 0x200000); /* untouched by that INVLPG */
	EXPECT_EQ(3, c.n.walks);
	cpu_done(&c);
}

HOST_TEST(cr3_keeps_global_entries_and_drops_the_psc)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 1) = DATA(0) | P | G;
	*slot(cr3, VA + 0x1000, 1) = DATA(1) | P;
	access(&c, VA);
	access(&c, VA + 0x1000);
	tlb_write_cr3(&c, cr3);
	EXPECT_EQ(1, c.n.full_flushes);
	EXPECT_EQ(2, c.n.entries_dropped); /* the non-global one, in L1 and STLB */
	EXPECT_TRUE(c.n.pwc_dropped > 0);
	access(&c, VA);
	EXPECT_EQ(2, c.n.walks);
	access(&c, VA + 0x1000);
	EXPECT_EQ(3, c.n.walks);
	cpu_done(&c);
}

HOST_TEST(cr3_noflush_with_pcide)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 1) = DATA(0) | P;
	access(&c, VA);
	c.cr4 |= X86_CR4_PCIDE;
	tlb_write_cr3(&c, cr3 | X86_CR3_NOFLUSH);
	EXPECT_EQ(0, c.n.full_flushes);
	EXPECT_EQ(cr3, c.cr3);
	access(&c, VA);
	EXPECT_EQ(1, c.n.walks);
	cpu_done(&c);
}

HOST_TEST(cr4_pge_and_cr0_pg_drop_everything)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 1) = DATA(0) | P | G;
	access(&c, VA);
	tlb_write_cr4(&c, X86_CR4_PGE); /* no change: nothing */
	EXPECT_EQ(0, c.n.full_flushes);
	tlb_write_cr4(&c, 0);
	EXPECT_EQ(1, c.n.full_flushes);
	EXPECT_EQ(2, c.n.entries_dropped);
	tlb_write_cr4(&c, X86_CR4_PGE);
	access(&c, VA);
	tlb_write_cr0(&c, X86_CR0_PG, X86_CR0_PG); /* no change of PG: nothing */
	EXPECT_EQ(2, c.n.full_flushes);
	tlb_write_cr0(&c, X86_CR0_PG, 0);
	EXPECT_EQ(3, c.n.full_flushes);
	EXPECT_EQ(4, c.n.entries_dropped);
	cpu_done(&c);
}

HOST_TEST(invpcid_types)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 1) = DATA(0) | P | G;
	access(&c, VA);
	tlb_invpcid(&c, 0, VA); /* individual address: not global translations */
	access(&c, VA);
	EXPECT_EQ(1, c.n.walks);
	tlb_invpcid(&c, 3, 0); /* all contexts, except globals */
	access(&c, VA);
	EXPECT_EQ(1, c.n.walks);
	tlb_invpcid(&c, 2, 0); /* all contexts, globals too */
	access(&c, VA);
	EXPECT_EQ(2, c.n.walks);
	cpu_done(&c);
}

HOST_TEST(global_bit_needs_cr4_pge)
{
	struct tlb_cpu c;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	c.cr4 = 0;
	*slot(cr3, VA, 1) = DATA(0) | P | G;
	access(&c, VA);
	tlb_write_cr3(&c, cr3);
	access(&c, VA);
	EXPECT_EQ(2, c.n.walks);
	cpu_done(&c);
}

HOST_TEST(checker_finds_a_missing_flush)
{
	struct tlb_cpu c;
	struct tlb_stale st;
	uint64_t *pte;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	pte = slot(cr3, VA, 1);
	*pte = DATA(0) | P | RW;
	access(&c, VA);
	*pte = DATA(1) | P | RW; /* re-pointed, no flush */
	tlb_store_phys(&sh, (uint64_t)((char *)pte - (char *)mem));
	ASSERT_EQ(1, tlb_access(&c, VA + 16, TLB_WRITE, ~0ULL, &st));
	EXPECT_EQ(DATA(0) + 16, st.old_phys);
	EXPECT_EQ(DATA(1) + 16, st.new_phys);
	EXPECT_TRUE(st.present && st.write && !st.psc);
	EXPECT_EQ(1, c.n.stale_writes);
	tlb_invlpg(&c, VA); /* the flush the SDM asks for */
	EXPECT_EQ(0, access(&c, VA));
	EXPECT_EQ(0, access(&c, VA));
	EXPECT_EQ(1, c.n.stale_hits);
	*pte = 0; /* unmapped without a flush: also stale */
	tlb_store_phys(&sh, (uint64_t)((char *)pte - (char *)mem));
	EXPECT_EQ(1, tlb_access(&c, VA, TLB_READ, ~0ULL, &st));
	EXPECT_TRUE(!st.present);
	EXPECT_EQ(1, c.n.stale_unmapped);
	cpu_done(&c);
}

HOST_TEST(checker_modes)
{
	struct tlb_cpu c;
	uint64_t *pte;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	pte = slot(cr3, VA, 1);
	*pte = DATA(0) | P;
	access(&c, VA);
	*pte = DATA(1) | P; /* a write the generation never saw: check=gen trusts the entry */
	EXPECT_EQ(0, access(&c, VA));
	c.check = TLB_CHECK_ALL; /* check=all walks on every hit */
	EXPECT_EQ(1, access(&c, VA));
	c.check = TLB_CHECK_OFF;
	tlb_store_phys(&sh, (uint64_t)((char *)pte - (char *)mem));
	EXPECT_EQ(0, access(&c, VA));
	cpu_done(&c);
}

HOST_TEST(split_without_flush_is_not_stale)
{
	struct tlb_cpu c;
	uint64_t *pde, pt;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	pde = slot(cr3, VA, 2);
	*pde = DATA(0) | P | RW | PS;
	access(&c, VA + 0x3000);
	pt = new_table(); /* the same frames by 4 KiB PTEs: a split (SDM 4.10.2.3) */
	for (int i = 0; i < 512; i++)
		mem[pt / 8 + i] = (DATA(0) + i * 0x1000ULL) | P | RW;
	*pde = pt | P | RW;
	tlb_store_phys(&sh, (uint64_t)((char *)pde - (char *)mem));
	EXPECT_EQ(0, access(&c, VA + 0x3000));
	EXPECT_EQ(0, c.n.stale_hits);
	cpu_done(&c);
}

HOST_TEST(psc_entry_to_a_replaced_table_is_stale)
{
	struct tlb_cpu c;
	struct tlb_stale st;
	uint64_t *pde, pt;

	cpu_setup(&c, tlb_preset_find("skylake-sp"));
	*slot(cr3, VA, 1) = DATA(0) | P;
	*slot(cr3, VA + 0x1000, 1) = DATA(0) | 0x1000 | P;
	*slot(cr3, VA + 0x2000, 1) = DATA(0) | 0x2000 | P;
	access(&c, VA); /* the PDE cache now points at the old page table */
	pde = slot(cr3, VA, 2);
	pt = new_table();
	mem[pt / 8 + 1] = DATA(2) | P; /* a new table, the old one "freed", no INVLPG */
	mem[pt / 8 + 2] = DATA(3) | P;
	*pde = pt | P | RW;
	tlb_store_phys(&sh, (uint64_t)((char *)pde - (char *)mem));
	ASSERT_EQ(1, tlb_access(&c, VA + 0x1000, TLB_READ, ~0ULL, &st));
	EXPECT_TRUE(st.psc);
	EXPECT_EQ(DATA(0) + 0x1000, st.old_phys);
	EXPECT_EQ(DATA(2), st.new_phys);
	EXPECT_EQ(1, access(&c, VA + 0x1000)); /* the stale fill is in the TLB now */
	tlb_invlpg(&c, VA);		       /* INVLPG empties the PSC, whatever the address */
	EXPECT_EQ(0, access(&c, VA + 0x2000));
	EXPECT_EQ(1, access(&c, VA + 0x1000)); /* but only VA's TLB entries */
	tlb_invlpg(&c, VA + 0x1000);
	EXPECT_EQ(0, access(&c, VA + 0x1000));
	cpu_done(&c);
}

HOST_TEST(decode_flush_instructions)
{
	static const uint8_t invlpg_rax[] = {0x0f, 0x01, 0x38};
	static const uint8_t invlpg_disp8[] = {0x0f, 0x01, 0x7f, 0x10};
	static const uint8_t invlpg_sib[] = {0x41, 0x0f, 0x01, 0x3c, 0xc1};
	static const uint8_t mov_cr3_r8[] = {0x41, 0x0f, 0x22, 0xd8};
	static const uint8_t mov_cr4_rdi[] = {0x0f, 0x22, 0xe7};
	static const uint8_t invpcid[] = {0x66, 0x0f, 0x38, 0x82, 0x08};
	static const uint8_t swapgs[] = {0x0f, 0x01, 0xf8};
	static const uint8_t out_dx[] = {0xef};
	static const uint8_t outw_dx[] = {0x66, 0xef};
	struct x86_op op;

	ASSERT_TRUE(x86_decode(invlpg_rax, 3, 0, &op));
	EXPECT_TRUE(op.kind == X86_INVLPG && op.base == 0 && op.index == X86_NO_REG && !op.disp);
	ASSERT_TRUE(x86_decode(invlpg_disp8, 4, 0, &op));
	EXPECT_TRUE(op.base == 7 && op.disp == 16);
	ASSERT_TRUE(x86_decode(invlpg_sib, 5, 0, &op)); /* invlpg (%r9,%rax,8) */
	EXPECT_TRUE(op.base == 9 && op.index == 0 && op.scale == 3);
	ASSERT_TRUE(x86_decode(mov_cr3_r8, 4, 0, &op));
	EXPECT_TRUE(op.kind == X86_MOV_CR && op.cr == 3 && op.reg == 8);
	ASSERT_TRUE(x86_decode(mov_cr4_rdi, 3, 0, &op));
	EXPECT_TRUE(op.cr == 4 && op.reg == 7);
	ASSERT_TRUE(x86_decode(invpcid, 5, 0, &op)); /* invpcid (%rax),%rcx */
	EXPECT_TRUE(op.kind == X86_INVPCID && op.reg == 1 && op.base == 0);
	EXPECT_TRUE(!x86_decode(swapgs, 3, 0, &op));
	EXPECT_TRUE(x86_decode(out_dx, 1, 0, &op) && op.kind == X86_OUT_DX_EAX);
	EXPECT_TRUE(!x86_decode(outw_dx, 2, 0, &op));
}

/* ---- phase lines: the contract's keys, in order ---- */

void qemu_plugin_outs(const char *s)
{
	(void)s;
}

bool qemu_plugin_read_memory_vaddr(uint64_t addr, struct glib_byte_array *data, size_t len)
{
	return false;
}

HOST_TEST(phase_line_keys)
{
	static const char *const keys[] = {
	    "phase=",	       "cpus=",		"accesses=",	    "l1_misses=",   "stlb_misses=",
	    "walks=",	       "walks_4k=",	"walks_2m=",	    "walks_1g=",    "invlpg=",
	    "invlpg_dropped=", "full_flushes=", "entries_dropped=", "pwc_dropped=", "stale_hits="};
	struct tlb_counters n = {.walks = 7, .stale_hits = 2};
	char line[640];
	const char *p = line;

	phase_format(line, sizeof(line), "hugetlb-page-unshared", "cpus=2", &n, "zen4");
	EXPECT_TRUE(!strncmp(line, "# tlbmodel phase=hugetlb-page-unshared cpus=2 ", 45));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *k = strstr(p, keys[i]);

		EXPECT_TRUE(k != NULL);
		if (k)
			p = k;
	}
	EXPECT_TRUE(strstr(line, " walks=7 ") && strstr(line, " stale_hits=2 "));
}

HOST_TEST_MAIN("tlbmodel")
