/*
 * Memory at boot, in Linux's order: the UEFI map feeds memblock; memblock
 * backs the vmemmap (and the page tables that map it); the struct pages are
 * initialised as reserved; memblock then hands every free frame to the buddy
 * allocator, and from there on every frame is accounted by purpose.
 */
#include "flushlab/layout.h"
#include "flushlab/boot_info.h"
#include "kernel/ktest.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/efi_memmap.h"
#include "mm/fail_page_alloc.h"
#include "mm/hugetlb_boot.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"
#include "mm/vmemmap.h"

struct mm_totals mm_totals;
uint64_t smp_trampoline_phys;
unsigned long max_pfn;

static int add_range(const struct mem_range *r, void *arg)
{
	if (r->class == MEM_USABLE)
		memblock_add(r->phys, r->size);
	else if (r->class == MEM_FIRMWARE || r->class == MEM_ACPI)
		memblock_add_firmware(r->phys, r->size);
	return 0;
}

/* What the loader left that we still use, by purpose. */
static void reserve_boot_ranges(const struct boot_info *bi)
{
	/*
	 * Physical page 0 is never handed out: 0 means "none" or "out of
	 * memory" in the physical-address interfaces (memblock, pgtable_alloc,
	 * arch_mmu_remap_4k), as it does in Linux, which reserves it too.
	 */
	memblock_reserve(0, PAGE_SIZE, PURPOSE_BOOT_DATA);
	memblock_reserve(bi->kernel.phys, bi->kernel.size, PURPOSE_KERNEL_IMAGE);
	memblock_reserve(bi->page_tables.phys, bi->page_tables.size, PURPOSE_PAGE_TABLE);
	memblock_reserve(bi->self.phys, bi->self.size, PURPOSE_BOOT_DATA);
	if (bi->symtab.size)
		memblock_reserve(bi->symtab.phys, ALIGN_UP(bi->symtab.size, PAGE_SIZE),
				 PURPOSE_BOOT_DATA);
	if (bi->strtab.size)
		memblock_reserve(bi->strtab.phys, ALIGN_UP(bi->strtab.size, PAGE_SIZE),
				 PURPOSE_BOOT_DATA);
	/* The initramfs stays: task/ramfs files point into it (never freed). */
	if (bi->initrd.size)
		memblock_reserve(bi->initrd.phys, ALIGN_UP(bi->initrd.size, PAGE_SIZE),
				 PURPOSE_BOOT_DATA);
	/* The SMP trampoline must sit below 1 MiB (real-mode SIPI vector). */
	smp_trampoline_phys = memblock_alloc_low(PAGE_SIZE, PAGE_SIZE, PURPOSE_BOOT_DATA);
	if (!smp_trampoline_phys)
		printk("memory: no free page below 1 MiB: other CPUs cannot be started\n");
}

/*
 * Frames the firmware ran code from (the loader's own image, EfiLoaderCode,
 * and the boot services' drivers, EfiBootServicesCode) are free once the
 * kernel runs and go to the buddy allocator like any other. Under TCG they
 * carry a trap: QEMU keeps the blocks it translated from them, and while
 * one block of a frame lives, every store to that frame takes QEMU's
 * self-modifying-code path (notdirty_write: about 0.5 us a store here).
 * A kernel stack that lands there makes every call of a system call slow:
 * 9.8 of a THP collapse's 21 ms at -smp 4 went there, 0.2 ms without
 * (docs/compare-linux.md, "thp_split"). A store to every byte retires
 * those blocks. On hardware this is a memset of a few hundred KiB, once.
 * Linux boots the comparison through QEMU's -kernel loader, with no UEFI
 * code in RAM to inherit. Run before memblock allocates anything: what
 * holds data then is what boot_info records (reserved, left alone).
 */
static int rewrite_fw_code(const struct mem_range *r, void *arg)
{
	(void)arg;
	if (!efi_type_ran_code(r->efi_type))
		return 0;
	for (uint64_t pa = r->phys; pa < r->phys + r->size; pa += PAGE_SIZE) {
		if (memblock_is_reserved(pa) || !memblock_is_memory(pa)) {
			mm_totals.fw_code_kept++;
			continue;
		}
		memset((void *)(direct_map_base + pa), 0, PAGE_SIZE);
		mm_totals.fw_code_rewritten++;
	}
	return 0;
}

static void memmap_setup(void)
{
	unsigned long start, end;
	uint64_t i;

	max_pfn = MAX(PFN_UP(memblock_end_of_DRAM()), hugetlb_boot_end_pfn());
	vmemmap = (struct page *)VMEMMAP_BASE;
	for_each_memmap_range (i, &start, &end) {
		if (!vmemmap_populate(VMEMMAP_BASE, start, end))
			continue;
		/* Low memory ran out (a very large machine): use all of it. */
		memblock_set_current_limit(boot_info->direct_map_end);
		if (vmemmap_populate(VMEMMAP_BASE, start, end))
			panic("memory: out of memory mapping the vmemmap for pfns %#lx-%#lx", start,
			      end);
	}
	page_alloc_init(max_pfn);
	for_each_memmap_range (i, &start, &end)
		memmap_init_range(start, end);
}

static int check_memory(char *why, size_t len)
{
	return page_alloc_check_invariants(why, len);
}

static void print_summary(void)
{
	printk("memory: %lu MiB managed, %lu MiB free; vmemmap %lu KiB (%lu x 2M + %lu x 4K), "
	       "page tables %lu KiB, kernel %lu KiB\n",
	       totalram_pages() >> 8, nr_free_pages() >> 8,
	       nr_pages_by_purpose(PURPOSE_VMEMMAP) * 4, vmemmap_stats.pmd_mappings,
	       vmemmap_stats.pte_mappings, nr_pages_by_purpose(PURPOSE_PAGE_TABLE) * 4,
	       nr_pages_by_purpose(PURPOSE_KERNEL_IMAGE) * 4);
}

void boot_memory_init(const struct boot_info *bi)
{
	uint64_t end;

	efi_memmap_totals(bi, mm_totals.bytes, &end);
	mm_totals.usable_end = end;
	direct_map_base = DIRECT_MAP_BASE;
	arch_mmu_init();
	efi_memmap_walk(bi, add_range, NULL);
	/*
	 * Boot allocations (vmemmap, page tables) stay below 4 GiB while they
	 * fit: memory above stays in whole GiBs for 1 GiB hugetlb pages.
	 */
	memblock_set_current_limit(MIN(bi->direct_map_end, 4 * GiB));
	reserve_boot_ranges(bi);
	efi_memmap_walk(bi, rewrite_fw_code, NULL); /* before memblock hands any of it out */
	hugetlb_boot_parse(bi->cmdline);
	hugetlb_boot_reserve(); /* 1 GiB pages born optimized: no vmemmap below */
	memmap_setup();		/* vmemmap mapped, struct pages reserved */
	arch_mmu_user_init();	/* the kernel half of the PML4 is final: user roots copy it */
	memblock_free_all();	/* the buddy allocator takes over */
	zero_page_init();	/* the shared zero page of anonymous read faults */
	arch_drop_identity_map();
	ktest_after_suite = check_memory;	 /* every suite must leave memory exact */
	ktest_pause_run = fail_page_alloc_pause; /* no injected failures inside a run */
	ktest_resume_run = fail_page_alloc_resume;
	print_summary();
}
