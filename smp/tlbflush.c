/*
 * The flush API (mm/tlbflush.h). One CPU runs kernel code today, so a
 * flush is local: INVLPG per page up to tlb_single_page_flush_ceiling
 * pages (Linux's default, 33), a full flush including global entries above
 * it, as Linux's flush_tlb_kernel_range does.
 */
#include "arch/x86_64/tlb.h"
#include "lib/kernel.h"
#include "mm/tlbflush.h"

#define PAGE_SIZE_4K 4096UL

unsigned long tlb_single_page_flush_ceiling = 33;

const char *flush_cause_name(enum flush_cause cause)
{
	static const char *const names[NR_FLUSH_CAUSES] = {
		"vmemmap_split", "vmemmap_remap", "vmemmap_restore", "test", "other",
	};
	return cause < NR_FLUSH_CAUSES ? names[cause] : "?";
}

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end, enum flush_cause cause)
{
	unsigned long pages = (end - start + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K;

	if (pages > tlb_single_page_flush_ceiling) {
		local_flush_tlb_all();
		return;
	}
	for (uintptr_t va = start & ~(PAGE_SIZE_4K - 1); va < end; va += PAGE_SIZE_4K)
		local_flush_tlb_one(va);
}

void flush_tlb_all(enum flush_cause cause)
{
	local_flush_tlb_all();
}

void flush_tlb_kernel_pages(const uintptr_t *vas, unsigned long nr, enum flush_cause cause)
{
	if (nr > tlb_single_page_flush_ceiling) {
		local_flush_tlb_all();
		return;
	}
	for (unsigned long i = 0; i < nr; i++)
		local_flush_tlb_one(vas[i]);
}

static uint64_t epoch_target;

uint64_t tlb_epoch_advance(void)
{
	uint64_t epoch = __atomic_add_fetch(&epoch_target, 1, __ATOMIC_SEQ_CST);

	local_flush_tlb_all();
	return epoch;
}

bool tlb_epoch_passed(uint64_t epoch)
{
	return true; /* one CPU: the caller flushed in tlb_epoch_advance */
}

void tlb_epoch_wait(uint64_t epoch)
{
}
