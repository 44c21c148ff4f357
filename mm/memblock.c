/*
 * The early boot allocator (see memblock.h): sorted arrays of physical ranges
 * (usable memory, reservations by purpose, firmware), a top-down allocator on
 * their difference, and the hand-over of every free frame to the buddy.
 * Fixed arrays, no allocation of its own: it runs before anything else can.
 */
#include "mm/memblock.h"

#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/page_alloc.h"

struct memblock memblock = {
    .current_limit = PHYS_ADDR_MAX,
    .memory.name = "memory",
    .reserved.name = "reserved",
    .firmware.name = "firmware",
};

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
	memblock.firmware.cnt = 0;
	memblock.current_limit = PHYS_ADDR_MAX;
	memblock.frozen = false;
}

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

static void insert_region(struct memblock_type *t, unsigned long idx, phys_addr_t base,
			  phys_addr_t size, enum page_purpose purpose)
{
	memmove(&t->regions[idx + 1], &t->regions[idx], (t->cnt - idx) * sizeof(t->regions[0]));
	t->regions[idx] = (struct memblock_region){base, size, purpose};
	t->cnt++;
}

static void remove_region(struct memblock_type *t, unsigned long idx)
{
	memmove(&t->regions[idx], &t->regions[idx + 1], (t->cnt - idx - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

static void merge_regions(struct memblock_type *t)
{
	unsigned long i = 0;

	while (i + 1 < t->cnt) {
		struct memblock_region *this = &t->regions[i], *next = &t->regions[i + 1];

		if (region_end(this) != next->base || this->purpose != next->purpose) {
			i++;
			continue;
		}
		this->size += next->size;
		remove_region(t, i + 1);
	}
}

/*
 * Insert the parts of [base, end) not yet covered (existing regions keep
 * their purpose). With @dry, only count the insertions it would make.
 */
static unsigned long add_gaps(struct memblock_type *t, phys_addr_t base, phys_addr_t end,
			      enum page_purpose purpose, bool dry)
{
	unsigned long i, n = 0;

	for (i = 0; i < t->cnt && base < end; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (region_end(r) <= base)
			continue;
		if (r->base >= end)
			break;
		if (r->base > base) {
			if (!dry)
				insert_region(t, i++, base, r->base - base, purpose);
			n++;
		}
		base = region_end(&t->regions[i]);
	}
	if (base < end) {
		if (!dry)
			insert_region(t, i, base, end - base, purpose);
		n++;
	}
	return n;
}

static int memblock_add_range(struct memblock_type *t, phys_addr_t base, phys_addr_t size,
			      enum page_purpose purpose)
{
	phys_addr_t end = size > PHYS_ADDR_MAX - base ? PHYS_ADDR_MAX : base + size;

	if (memblock.frozen)
		return -EBUSY;
	if (size == 0)
		return 0;
	if (t->cnt + add_gaps(t, base, end, purpose, true) > MEMBLOCK_MAX_REGIONS) {
		printk("memblock: %s: no room for [%#llx-%#llx)\n", t->name,
		       (unsigned long long)base, (unsigned long long)end);
		return -ENOSPC;
	}
	add_gaps(t, base, end, purpose, false);
	merge_regions(t);
	return 0;
}

static int memblock_remove_range(struct memblock_type *t, phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end = size > PHYS_ADDR_MAX - base ? PHYS_ADDR_MAX : base + size;
	unsigned long i = 0;

	if (memblock.frozen)
		return -EBUSY;
	while (i < t->cnt) {
		struct memblock_region *r = &t->regions[i];
		phys_addr_t rend = region_end(r);

		if (rend <= base || r->base >= end) {
			i++;
		} else if (r->base < base && rend > end) {
			if (t->cnt == MEMBLOCK_MAX_REGIONS)
				return -ENOSPC; /* nothing changed yet: a split is one region */
			r->size = base - r->base;
			insert_region(t, i + 1, end, rend - end, r->purpose);
			i += 2;
		} else if (r->base < base) {
			r->size = base - r->base;
			i++;
		} else if (rend > end) {
			r->size = rend - end;
			r->base = end;
			i++;
		} else {
			remove_region(t, i);
		}
	}
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.memory, base, size, PURPOSE_OTHER);
}

int memblock_add_firmware(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.firmware, base, size, PURPOSE_OTHER);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return memblock_remove_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size, enum page_purpose purpose)
{
	if (purpose >= NR_PURPOSES)
		return -EINVAL;
	return memblock_add_range(&memblock.reserved, base, size, purpose);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return memblock_remove_range(&memblock.reserved, base, size);
}

/* ---- allocation ---- */

/* The lowest reserved region overlapping [base, base + size), or NULL. */
static const struct memblock_region *reserved_overlap(phys_addr_t base, phys_addr_t size)
{
	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (r->base >= base + size)
			break;
		if (region_end(r) > base)
			return r;
	}
	return NULL;
}

/* Highest aligned fit in one memory region clipped to [lo, hi), or 0. */
static phys_addr_t fit_top_down(phys_addr_t size, phys_addr_t align, phys_addr_t lo, phys_addr_t hi)
{
	phys_addr_t cand;
	const struct memblock_region *busy;

	if (hi <= lo || hi - lo < size)
		return 0;
	cand = ALIGN_DOWN(hi - size, align);
	while (cand >= lo) {
		busy = reserved_overlap(cand, size);
		if (!busy)
			return cand;
		if (busy->base < lo + size)
			return 0;
		cand = ALIGN_DOWN(busy->base - size, align);
	}
	return 0;
}

phys_addr_t memblock_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t start,
				 phys_addr_t end, enum page_purpose purpose)
{
	if (align == 0)
		align = PAGE_SIZE;
	if (memblock.frozen || size == 0 || (align & (align - 1)))
		return 0;
	start = MAX(start, (phys_addr_t)PAGE_SIZE); /* 0 is the failure value */
	for (unsigned long i = memblock.memory.cnt; i-- > 0;) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		phys_addr_t found =
		    fit_top_down(size, align, MAX(r->base, start), MIN(region_end(r), end));

		if (found && memblock_reserve(found, size, purpose) == 0)
			return found;
		if (found)
			return 0; /* reserved list full */
	}
	return 0;
}

phys_addr_t memblock_alloc(phys_addr_t size, phys_addr_t align, enum page_purpose purpose)
{
	return memblock_alloc_range(size, align, MEMBLOCK_LOW_LIMIT, memblock.current_limit,
				    purpose);
}

phys_addr_t memblock_alloc_low(phys_addr_t size, phys_addr_t align, enum page_purpose purpose)
{
	return memblock_alloc_range(size, align, PAGE_SIZE, MEMBLOCK_LOW_LIMIT, purpose);
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

/* ---- queries ---- */

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned long n = memblock.memory.cnt;

	return n ? region_end(&memblock.memory.regions[n - 1]) : 0;
}

static phys_addr_t type_size(const struct memblock_type *t)
{
	phys_addr_t sum = 0;

	for (unsigned long i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return type_size(&memblock.memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return type_size(&memblock.reserved);
}

unsigned long memblock_firmware_pages(void)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < memblock.firmware.cnt; i++) {
		const struct memblock_region *r = &memblock.firmware.regions[i];

		n += PFN_UP(region_end(r)) - PFN_DOWN(r->base);
	}
	return n;
}

static bool type_contains(const struct memblock_type *t, phys_addr_t addr)
{
	for (unsigned long i = 0; i < t->cnt; i++) {
		if (addr >= t->regions[i].base && addr < region_end(&t->regions[i]))
			return true;
	}
	return false;
}

bool memblock_is_memory(phys_addr_t addr)
{
	return type_contains(&memblock.memory, addr);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return type_contains(&memblock.reserved, addr);
}

/* ---- iterators ---- */

bool __next_mem_range(uint64_t *idx, const struct memblock_type *type, phys_addr_t *start,
		      phys_addr_t *end)
{
	if (*idx >= type->cnt)
		return false;
	*start = type->regions[*idx].base;
	*end = region_end(&type->regions[*idx]);
	(*idx)++;
	return true;
}

/*
 * Memory minus reservations. idx packs two cursors: the memory region (low
 * 32 bits) and the gap between reservations b-1 and b (high 32 bits); both
 * lists are sorted, so neither cursor ever moves back.
 */
bool __next_free_mem_range(uint64_t *idx, phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;
	unsigned long a = *idx & 0xffffffffu, b = *idx >> 32;

	for (; a < mem->cnt; a++) {
		phys_addr_t mstart = mem->regions[a].base, mend = region_end(&mem->regions[a]);

		for (; b <= rsv->cnt; b++) {
			phys_addr_t gstart = b ? region_end(&rsv->regions[b - 1]) : 0;
			phys_addr_t gend = b < rsv->cnt ? rsv->regions[b].base : PHYS_ADDR_MAX;

			if (gstart >= mend)
				break; /* this gap starts past the region: next region */
			if (gend <= mstart)
				continue;
			*start = MAX(mstart, gstart);
			*end = MIN(mend, gend);
			if (mend <= gend)
				a++;
			else
				b++;
			*idx = (uint64_t)a | ((uint64_t)b << 32);
			return true;
		}
	}
	*idx = (uint64_t)a | ((uint64_t)b << 32);
	return false;
}

bool __next_memmap_range(uint64_t *idx, unsigned long *start_pfn, unsigned long *end_pfn)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long limit = ALIGN_UP(PFN_UP(memblock_end_of_DRAM()), MAX_ORDER_NR_PAGES);
	unsigned long s, e;

	if (*idx >= mem->cnt)
		return false;
	s = ALIGN_DOWN(PFN_DOWN(mem->regions[*idx].base), MAX_ORDER_NR_PAGES);
	e = ALIGN_UP(PFN_UP(region_end(&mem->regions[*idx])), MAX_ORDER_NR_PAGES);
	for ((*idx)++; *idx < mem->cnt; (*idx)++) {
		unsigned long ns =
		    ALIGN_DOWN(PFN_DOWN(mem->regions[*idx].base), MAX_ORDER_NR_PAGES);

		if (ns > e)
			break;
		e = ALIGN_UP(PFN_UP(region_end(&mem->regions[*idx])), MAX_ORDER_NR_PAGES);
	}
	*start_pfn = s;
	*end_pfn = MIN(e, limit);
	return true;
}

/* ---- hand-over to the buddy allocator ---- */

/* Count every reserved frame inside memory as allocated to its purpose. */
static void reserve_all_regions(void)
{
	const struct memblock_type *mem = &memblock.memory, *rsv = &memblock.reserved;

	for (unsigned long i = 0; i < rsv->cnt; i++) {
		const struct memblock_region *r = &rsv->regions[i];

		for (unsigned long m = 0; m < mem->cnt; m++) {
			phys_addr_t s = MAX(r->base, mem->regions[m].base);
			phys_addr_t e = MIN(region_end(r), region_end(&mem->regions[m]));

			if (s < e)
				reserve_bootmem_region(PFN_DOWN(s), PFN_UP(e), r->purpose);
		}
	}
}

/* Free the whole frames of [start_pfn, end_pfn) in the largest aligned blocks. */
static unsigned long free_pfn_range(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long n = 0;

	while (start_pfn < end_pfn) {
		unsigned int order = MAX_PAGE_ORDER;

		while (!IS_ALIGNED(start_pfn, 1UL << order) || start_pfn + (1UL << order) > end_pfn)
			order--;
		__free_pages_core(pfn_to_page(start_pfn), order);
		start_pfn += 1UL << order;
		n += 1UL << order;
	}
	return n;
}

unsigned long memblock_free_all(void)
{
	unsigned long freed = 0;
	phys_addr_t start, end;
	uint64_t i;

	BUG_ON(memblock.frozen);
	reserve_all_regions();
	for_each_free_mem_range (i, &start, &end)
		freed += free_pfn_range(PFN_UP(start), PFN_DOWN(end));
	memblock.frozen = true;
	return freed;
}
