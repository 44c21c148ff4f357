/*
 * Populating the vmemmap at boot, as Linux's vmemmap_populate_hugepages()
 * does on x86: a 2 MiB page of struct pages describes 128 MiB of RAM, so
 * most of the array is mapped with PMD leaves (fewer TLB entries, and the
 * split that HVO later needs is the thing flushlab measures); the partial
 * 2 MiB chunks at a range's edges get 4 KiB pages so no frame is wasted.
 * Every backing frame is counted as PURPOSE_VMEMMAP (nr_memmap_pages).
 */
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/memblock.h"
#include "mm/page.h"
#include "mm/mmu.h"
#include "mm/vmemmap.h"

struct vmemmap_stats vmemmap_stats;

static bool mapped(uintptr_t va)
{
	struct mmu_mapping m;

	return arch_mmu_query(va, &m) == 0;
}

/* Back [va, va + size) with one fresh zeroed frame of that size. */
static int populate_one(uintptr_t va, uint64_t size)
{
	enum pg_level level = size == PMD_SIZE ? PG_LEVEL_2M : PG_LEVEL_4K;
	uint64_t pa = memblock_alloc(size, size, PURPOSE_VMEMMAP);
	int ret;

	if (!pa)
		return -ENOMEM;
	memset((void *)(direct_map_base + pa), 0, size);
	ret = arch_mmu_map(va, pa, level, MMU_WRITE | MMU_GLOBAL);
	if (ret) {
		memblock_phys_free(pa, size);
		return ret;
	}
	if (level == PG_LEVEL_2M)
		vmemmap_stats.pmd_mappings++;
	else
		vmemmap_stats.pte_mappings++;
	return 0;
}

static int populate_4k(uintptr_t start, uintptr_t end)
{
	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		int ret = mapped(va) ? 0 : populate_one(va, PAGE_SIZE);

		if (ret)
			return ret;
	}
	return 0;
}

/* A whole 2 MiB chunk: one PMD leaf if nothing in it is mapped yet and a
 * 2 MiB frame can be had, else 4 KiB pages (Linux falls back the same way). */
static int populate_pmd(uintptr_t va)
{
	for (uintptr_t p = va; p < va + PMD_SIZE; p += PAGE_SIZE)
		if (mapped(p))
			return populate_4k(va, va + PMD_SIZE);
	if (populate_one(va, PMD_SIZE) == 0)
		return 0;
	return populate_4k(va, va + PMD_SIZE);
}

int vmemmap_populate(uintptr_t base, unsigned long start_pfn, unsigned long end_pfn)
{
	uintptr_t start = ALIGN_DOWN(base + start_pfn * sizeof(struct page), PAGE_SIZE);
	uintptr_t end = ALIGN_UP(base + end_pfn * sizeof(struct page), PAGE_SIZE);
	int ret = 0;

	for (uintptr_t va = start; va < end && !ret;) {
		uintptr_t next = MIN(ALIGN_UP(va + 1, PMD_SIZE), end);

		if (IS_ALIGNED(va, PMD_SIZE) && next - va == PMD_SIZE)
			ret = populate_pmd(va);
		else
			ret = populate_4k(va, next);
		va = next;
	}
	return ret;
}
