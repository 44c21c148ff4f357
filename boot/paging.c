/*
 * The boot page tables. Three mappings, all from one pool of pages that the
 * kernel keeps (boot_info.page_tables) and counts as page-table pages:
 *   - the direct map of [0, phys_end) at DIRECT_MAP_BASE: 1 GiB pages where the
 *     CPU has them, else 2 MiB; global, no-execute;
 *   - an identity map of the same range, executable and not global, so the
 *     loader's last instructions survive the CR3 switch (the kernel drops it);
 *   - the kernel image at KERNEL_VIRT_BASE in 4 KiB pages with each segment's
 *     own permissions (text RX, rodata R, data RW), global.
 */
#include "loader.h"
#include "flushlab/elf64.h"
#include "arch/x86_64/cpu.h"

#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7)
#define PTE_G (1ULL << 8)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL

struct pt_pool {
	uint64_t base, next, end;
};

static uint64_t *pool_take(struct pt_pool *pool)
{
	uint64_t *page;

	if (pool->next >= pool->end)
		return NULL;
	page = (uint64_t *)pool->next;
	pool->next += PAGE_SIZE;
	return page; /* the pool was zeroed when allocated */
}

/* The table that entry `index` of `table` points to, created if absent. */
static uint64_t *next_table(struct pt_pool *pool, uint64_t *table, unsigned index)
{
	uint64_t *sub;

	if (table[index] & PTE_P)
		return (uint64_t *)(table[index] & PTE_ADDR);
	sub = pool_take(pool);
	if (sub)
		table[index] = (uint64_t)sub | PTE_P | PTE_RW;
	return sub;
}

static unsigned idx(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* Map [va, va+size) to [pa, ...) with 1 GiB or 2 MiB leaves. */
static EFI_STATUS map_large(struct pt_pool *pool, uint64_t *pml4, uint64_t va, uint64_t pa,
			    uint64_t size, uint64_t flags, BOOLEAN gb_pages)
{
	uint64_t step = gb_pages ? (1ULL << 30) : (2ULL << 20);

	for (uint64_t off = 0; off < size; off += step) {
		uint64_t *pdpt = next_table(pool, pml4, idx(va + off, 3));
		uint64_t *pd;

		if (!pdpt)
			return EFI_OUT_OF_RESOURCES;
		if (gb_pages) {
			pdpt[idx(va + off, 2)] = (pa + off) | flags | PTE_PS;
			continue;
		}
		pd = next_table(pool, pdpt, idx(va + off, 2));
		if (!pd)
			return EFI_OUT_OF_RESOURCES;
		pd[idx(va + off, 1)] = (pa + off) | flags | PTE_PS;
	}
	return EFI_SUCCESS;
}

static EFI_STATUS map_4k(struct pt_pool *pool, uint64_t *pml4, uint64_t va, uint64_t pa,
			 uint64_t flags)
{
	uint64_t *t = pml4;

	for (unsigned level = 3; level > 0; level--) {
		t = next_table(pool, t, idx(va, level));
		if (!t)
			return EFI_OUT_OF_RESOURCES;
	}
	t[idx(va, 0)] = pa | flags;
	return EFI_SUCCESS;
}

/* Each PT_LOAD segment with its own permissions: W^X for the kernel image. */
static EFI_STATUS map_kernel(struct pt_pool *pool, uint64_t *pml4, const struct loaded_kernel *k)
{
	const Elf64_Ehdr *eh = k->elf;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const UINT8 *)k->elf + eh->e_phoff);
	EFI_STATUS st;

	for (UINTN i = 0; i < eh->e_phnum; i++) {
		uint64_t flags = PTE_P | PTE_G, start, end;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_flags & PF_W)
			flags |= PTE_RW;
		if (!(ph[i].p_flags & PF_X))
			flags |= PTE_NX;
		start = ph[i].p_vaddr & ~(PAGE_SIZE - 1);
		end = ph[i].p_vaddr + ph[i].p_memsz;
		for (uint64_t va = start; va < end; va += PAGE_SIZE) {
			st = map_4k(pool, pml4, va, k->phys_base + (va - KERNEL_VIRT_BASE), flags);
			if (EFI_ERROR(st))
				return st;
		}
	}
	return EFI_SUCCESS;
}

/* Upper bound of the tables all three mappings can need. */
static UINTN pool_pages(uint64_t phys_end, uint64_t span, BOOLEAN gb_pages)
{
	uint64_t gib = (phys_end + (1ULL << 30) - 1) >> 30;
	UINTN large = (gib + 511) / 512 + 1 + (gb_pages ? 0 : gib + 1);

	return 1 + 2 * large + 1 + (span >> 30) + 2 + (span >> 21) + 2;
}

EFI_STATUS paging_build(const struct loaded_kernel *k, uint64_t phys_end, struct boot_info *bi,
			uint64_t *cr3)
{
	uint32_t a, b, c, d;
	BOOLEAN gb_pages, nx;
	struct pt_pool pool;
	uint64_t *pml4, nxbit;
	EFI_PHYSICAL_ADDRESS phys;
	UINTN pages;
	EFI_STATUS st;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	gb_pages = (d >> 26) & 1;
	nx = (d >> 20) & 1;
	nxbit = nx ? PTE_NX : 0;
	phys_end = (phys_end + (1ULL << 30) - 1) & ~((1ULL << 30) - 1);
	pages = pool_pages(phys_end, k->span, gb_pages);
	st = alloc_pages(pages, &phys);
	if (EFI_ERROR(st))
		return loader_fail(st, L"no memory for %d page-table pages", pages);
	pool = (struct pt_pool){ phys, phys, phys + pages * PAGE_SIZE };
	pml4 = pool_take(&pool);

	st = map_large(&pool, pml4, DIRECT_MAP_BASE, 0, phys_end, PTE_P | PTE_RW | PTE_G | nxbit,
		       gb_pages);
	if (!EFI_ERROR(st))
		st = map_large(&pool, pml4, 0, 0, phys_end, PTE_P | PTE_RW, gb_pages);
	if (!EFI_ERROR(st))
		st = map_kernel(&pool, pml4, k);
	if (EFI_ERROR(st))
		return loader_fail(st, L"page-table pool of %d pages too small", pages);
	if (nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);

	bi->page_tables.phys = phys;
	/* Only the used part is kept; the rest of the pool becomes free RAM. */
	bi->page_tables.size = pool.next - pool.base;
	bi->direct_map_end = phys_end;
	*cr3 = (uint64_t)pml4;
	return EFI_SUCCESS;
}
