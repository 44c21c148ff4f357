/*
 * What boot promised, checked from inside: the boot_info record, the CPU
 * state the kernel relies on (write protection, global pages), the clock,
 * symbols for backtraces, the identity map gone, and the firmware's code
 * frames rewritten before reuse.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/tsc.h"
#include "flushlab/boot_info.h"
#include "kernel/backtrace.h"
#include "kernel/ktest.h"
#include "kernel/platform.h"
#include "lib/string.h"
#include "mm/efi_memmap.h"
#include "mm/mm.h"

static void boot_info_is_sane(struct ktest *t)
{
	const struct boot_info *bi = boot_info;

	KASSERT_TRUE(t, bi != NULL);
	KEXPECT_EQ(t, BOOT_INFO_MAGIC, bi->magic);
	KEXPECT_TRUE(t, bi->mmap_size >= bi->mmap_desc_size && bi->mmap_desc_size >= 40);
	KEXPECT_TRUE(t, bi->kernel.size > 0 && (bi->kernel.phys & 0xfff) == 0);
	KEXPECT_TRUE(t, bi->page_tables.size > 0);
	KEXPECT_TRUE(t, bi->direct_map_end >= mm_totals.usable_end);
	KEXPECT_TRUE(t, mm_totals.bytes[MEM_USABLE] > 64 * MiB);
}

static void cpu_state(struct ktest *t)
{
	KEXPECT_TRUE(t, read_cr0() & X86_CR0_WP);
	if (cpu_features.pge)
		KEXPECT_TRUE(t, read_cr4() & X86_CR4_PGE);
}

static void identity_map_dropped(struct ktest *t)
{
	const uint64_t *pml4 = (const uint64_t *)(DIRECT_MAP_BASE + (read_cr3() & ~0xfffULL));

	for (int i = 0; i < 256; i++)
		KEXPECT_EQ(t, 0, pml4[i]);
	KEXPECT_TRUE(t, pml4[256] & 1); /* the direct map */
	KEXPECT_TRUE(t, pml4[511] & 1); /* the kernel image */
}

static void clock_is_calibrated(struct ktest *t)
{
	uint64_t t0, elapsed;

	KEXPECT_TRUE(t, tsc_khz > 100000 && tsc_khz < 10000000); /* 100 MHz to 10 GHz */
	t0 = clock_ns();
	clock_delay_ms(20);
	elapsed = clock_ns() - t0;
	KEXPECT_TRUE(t, elapsed >= 20000000);
}

static void symbols_resolve(struct ktest *t)
{
	uint64_t off = 1;
	const char *name = symbolize((uint64_t)clock_is_calibrated + 3, &off);

	KASSERT_TRUE(t, name != NULL);
	KEXPECT_EQ(t, 0, strcmp(name, "clock_is_calibrated"));
	KEXPECT_EQ(t, 3, off);
	KEXPECT_TRUE(t, symbolize(0x1234, &off) == NULL);
}

static int count_fw_code(const struct mem_range *r, void *arg)
{
	if (efi_type_ran_code(r->efi_type))
		*(unsigned long *)arg += r->size / PAGE_SIZE;
	return 0;
}

/*
 * Every frame the firmware ran code from was either rewritten before the
 * buddy allocator got it (so no stale translation slows stores to it under
 * TCG: mm/mm_init.c) or is still reserved; OVMF always leaves some free.
 */
static void firmware_code_rewritten(struct ktest *t)
{
	unsigned long pages = 0;

	efi_memmap_walk(boot_info, count_fw_code, &pages);
	KEXPECT_EQ(t, pages, mm_totals.fw_code_rewritten + mm_totals.fw_code_kept);
	KEXPECT_TRUE(t, pages == 0 || mm_totals.fw_code_rewritten > 0);
}

static const struct ktest_case boot_cases[] = {
    KTEST_CASE(boot_info_is_sane),
    KTEST_CASE(cpu_state),
    KTEST_CASE(identity_map_dropped),
    KTEST_CASE(clock_is_calibrated),
    KTEST_CASE(symbols_resolve),
    KTEST_CASE(firmware_code_rewritten),
    {},
};
DEFINE_KTEST_SUITE(boot, boot_cases);
