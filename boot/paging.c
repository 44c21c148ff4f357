/*
 * The boot page tables. Three mappings, all from one pool of pages that the
 * kernel keeps (boot_info.page_tables) and counts as page-table pages:
 *   - the direct map at DIRECT_MAP_BASE of RAM and ACPI tables only (the UEFI
 *     memory types that are memory; never MMIO or reserved holes), each range
 *     with the largest pages that fit wholly inside it and inside one MTRR
 *     memory type; write-back, global, no-execute. Device registers are
 *     mapped by the kernel itself, uncached (arch/x86_64/ioremap.c);
 *   - an identity map of the same ranges, executable and not global, so the
 *     loader's last instructions survive the CR3 switch (the kernel drops it);
 *   - the kernel image at KERNEL_VIRT_BASE in 4 KiB pages with each segment's
 *     own permissions (text RX, rodata R, data RW), global.
 */
#include "loader.h"
#include "flushlab/elf64.h"
#include "arch/x86_64/cpu.h"

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

	if (table[index] & _PAGE_PRESENT)
		return (uint64_t *)(table[index] & PTE_PFN_MASK);
	sub = pool_take(pool);
	if (sub)
		table[index] = (uint64_t)sub | _PAGE_PRESENT | _PAGE_RW;
	return sub;
}

static unsigned idx(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* One leaf at @level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB), tables created on the way. */
static EFI_STATUS map_leaf(struct pt_pool *pool, uint64_t *pml4, uint64_t va, uint64_t pa,
			   unsigned level, uint64_t flags)
{
	uint64_t *t = pml4;

	for (unsigned l = 3; l > level; l--) {
		t = next_table(pool, t, idx(va, l));
		if (!t)
			return EFI_OUT_OF_RESOURCES;
	}
	t[idx(va, level)] = pa | flags | (level ? _PAGE_PSE : 0);
	return EFI_SUCCESS;
}

static EFI_STATUS map_4k(struct pt_pool *pool, uint64_t *pml4, uint64_t va, uint64_t pa,
			 uint64_t flags)
{
	return map_leaf(pool, pml4, va, pa, 0, flags);
}

/* A physical range the direct map covers; start and end 4 KiB aligned. */
struct phys_run {
	uint64_t start, end;
};

#define MAX_RUNS 256

struct map_plan {
	struct phys_run runs[MAX_RUNS];
	UINTN nr_runs;
	struct mtrr_state mtrr;
	BOOLEAN gb_pages;
	uint64_t leaves[3]; /* direct-map leaves by level, for the boot line */
};

/*
 * The largest leaf at @pa that lies wholly inside [pa, end) and inside one
 * MTRR type (SDM vol. 3 11.11.9; mtrr.c).
 */
static unsigned largest_level(const struct map_plan *p, uint64_t pa, uint64_t end)
{
	for (unsigned level = p->gb_pages ? 2 : 1; level > 0; level--) {
		uint64_t size = PAGE_SIZE << (9 * level);

		if (!(pa & (size - 1)) && end - pa >= size && mtrr_type_uniform(&p->mtrr, pa, size))
			return level;
	}
	return 0;
}

/* Map every run at @va_base + pa; @count: this is the direct map, count its leaves. */
static EFI_STATUS map_runs(struct pt_pool *pool, uint64_t *pml4, struct map_plan *p,
			   uint64_t va_base, uint64_t flags, BOOLEAN count)
{
	for (UINTN i = 0; i < p->nr_runs; i++) {
		uint64_t pa = p->runs[i].start, end = p->runs[i].end;

		while (pa < end) {
			unsigned level = largest_level(p, pa, end);
			EFI_STATUS st = map_leaf(pool, pml4, va_base + pa, pa, level, flags);

			if (EFI_ERROR(st))
				return st;
			if (count)
				p->leaves[level]++;
			pa += PAGE_SIZE << (9 * level);
		}
	}
	return EFI_SUCCESS;
}

/*
 * UEFI memory types (UEFI 2.10 table 7-6) that are memory the kernel reads:
 * RAM it will own (loader, boot services, conventional) and ACPI tables
 * (reclaimable and NVS). Not MMIO, port space, reserved or unusable ranges,
 * persistent memory, or the firmware's runtime regions (never touched).
 */
static BOOLEAN direct_mapped_type(UINT32 type)
{
	switch (type) {
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiConventionalMemory:
	case EfiACPIReclaimMemory:
	case EfiACPIMemoryNVS:
		return TRUE;
	default:
		return FALSE;
	}
}

/* Insert [start, end) in address order, merging with the runs it touches. */
static EFI_STATUS add_run(struct map_plan *p, uint64_t start, uint64_t end)
{
	UINTN i = 0, j;

	while (i < p->nr_runs && p->runs[i].end < start)
		i++;
	if (i < p->nr_runs && p->runs[i].start <= end) { /* touches run i: widen it */
		if (start < p->runs[i].start)
			p->runs[i].start = start;
		if (end > p->runs[i].end)
			p->runs[i].end = end;
		for (j = i + 1; j < p->nr_runs && p->runs[j].start <= p->runs[i].end; j++)
			if (p->runs[j].end > p->runs[i].end)
				p->runs[i].end = p->runs[j].end;
		CopyMem(&p->runs[i + 1], &p->runs[j], (p->nr_runs - j) * sizeof(p->runs[0]));
		p->nr_runs -= j - (i + 1);
		return EFI_SUCCESS;
	}
	if (p->nr_runs == MAX_RUNS)
		return EFI_BUFFER_TOO_SMALL;
	CopyMem(&p->runs[i + 1], &p->runs[i], (p->nr_runs - i) * sizeof(p->runs[0]));
	p->runs[i] = (struct phys_run){start, end};
	p->nr_runs++;
	return EFI_SUCCESS;
}

/* The direct map's ranges, sorted and merged, from the current UEFI memory map. */
static EFI_STATUS collect_runs(struct map_plan *p)
{
	UINTN count = 0, key, dsize;
	UINT32 dver;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&count, &key, &dsize, &dver);
	EFI_STATUS st = map ? EFI_SUCCESS : EFI_OUT_OF_RESOURCES;

	for (UINTN off = 0; map && off < count * dsize && !EFI_ERROR(st); off += dsize) {
		EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)((UINT8 *)map + off);

		if (direct_mapped_type(d->Type) && d->NumberOfPages)
			st = add_run(p, d->PhysicalStart,
				     d->PhysicalStart + d->NumberOfPages * PAGE_SIZE);
	}
	if (map)
		FreePool(map);
	return st;
}

/* Each PT_LOAD segment with its own permissions: W^X for the kernel image. */
static EFI_STATUS map_kernel(struct pt_pool *pool, uint64_t *pml4, const struct loaded_kernel *k)
{
	const Elf64_Ehdr *eh = k->elf;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const UINT8 *)k->elf + eh->e_phoff);
	EFI_STATUS st;

	for (UINTN i = 0; i < eh->e_phnum; i++) {
		uint64_t flags = _PAGE_PRESENT | _PAGE_GLOBAL, start, end;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_flags & PF_W)
			flags |= _PAGE_RW;
		if (!(ph[i].p_flags & PF_X))
			flags |= _PAGE_NX;
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

/*
 * Upper bound of the tables all three mappings can need. Per run and per map
 * (direct and identity): its PDPTs and PDs plus two at the edges, and a page
 * table at each edge; each MTRR type boundary may cost one more PD and one
 * more page table in both maps. Unused pages go back to the kernel as RAM.
 */
static UINTN pool_pages(const struct map_plan *p, uint64_t span)
{
	UINTN pages = 1 + 1 + (span >> 30) + 2 + (span >> 21) + 2;
	uint64_t ram = 0;

	for (UINTN i = 0; i < p->nr_runs; i++) {
		uint64_t size = p->runs[i].end - p->runs[i].start;

		ram += size;
		pages += 2 * ((size >> 39) + 2 + (size >> 30) + 2 + 2);
	}
	return pages + 2 * 2 * mtrr_boundaries(&p->mtrr, ram);
}

static void print_plan(const struct map_plan *p)
{
	Print(L"flushlab loader: direct map of %d RAM/ACPI ranges: %ld x 1G + %ld x 2M + %ld x 4K "
	      L"(MTRRs: %s, %d variable, fixed %s)\r\n",
	      p->nr_runs, p->leaves[2], p->leaves[1], p->leaves[0],
	      p->mtrr.enabled ? L"on" : L"off", p->mtrr.nr_var, p->mtrr.fixed ? L"on" : L"off");
}

EFI_STATUS paging_build(const struct loaded_kernel *k, struct boot_info *bi, uint64_t *cr3)
{
	static struct map_plan plan; /* too big for the firmware's stack */
	uint32_t a, b, c, d;
	BOOLEAN nx;
	struct pt_pool pool;
	uint64_t *pml4, nxbit;
	EFI_PHYSICAL_ADDRESS phys;
	UINTN pages;
	EFI_STATUS st;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	plan.gb_pages = (d >> 26) & 1;
	nx = (d >> 20) & 1;
	nxbit = nx ? _PAGE_NX : 0;
	mtrr_read(&plan.mtrr);
	st = collect_runs(&plan);
	if (EFI_ERROR(st) || !plan.nr_runs)
		return loader_fail(st, L"cannot read the memory map (or more than %d ranges)",
				   MAX_RUNS);
	pages = pool_pages(&plan, k->span);
	st = alloc_pages(pages, &phys);
	if (EFI_ERROR(st))
		return loader_fail(st, L"no memory for %d page-table pages", pages);
	pool = (struct pt_pool){phys, phys, phys + pages * PAGE_SIZE};
	pml4 = pool_take(&pool);

	st = map_runs(&pool, pml4, &plan, DIRECT_MAP_BASE,
		      _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | nxbit, TRUE);
	if (!EFI_ERROR(st))
		st = map_runs(&pool, pml4, &plan, 0, _PAGE_PRESENT | _PAGE_RW, FALSE);
	if (!EFI_ERROR(st))
		st = map_kernel(&pool, pml4, k);
	if (EFI_ERROR(st))
		return loader_fail(st, L"page-table pool of %d pages too small", pages);
	if (nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	print_plan(&plan);

	bi->page_tables.phys = phys;
	/* Only the used part is kept; the rest of the pool becomes free RAM. */
	bi->page_tables.size = pool.next - pool.base;
	bi->direct_map_end = plan.runs[plan.nr_runs - 1].end;
	*cr3 = (uint64_t)pml4;
	return EFI_SUCCESS;
}
