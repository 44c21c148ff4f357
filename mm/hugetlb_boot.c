/*
 * 1 GiB hugetlb pages reserved at boot: `hugepagesz=1G hugepages=N` on the
 * kernel command line (Linux's words), with their vmemmap either
 *  - born optimized (`hugetlb_boot_vmemmap=born`, the default; Linux 2025):
 *    the GiBs leave memblock before the vmemmap is built, so their 4095
 *    tail vmemmap frames per GiB are never allocated nor written; once the
 *    buddy allocator runs, each gets one vmemmap frame (head and 63 tails)
 *    and 4095 read-only PTEs onto HVO's shared tail page, exactly what HVO
 *    leaves behind, so the pool and HVO's restore treat them as any other
 *    optimized page; or
 *  - populated, then optimized (`hugetlb_boot_vmemmap=populate`, Linux
 *    before): the GiBs stay RAM with a full vmemmap written at boot, and
 *    are then taken from the buddy allocator and optimized by HVO (split,
 *    remap, shootdown, free), as `echo N > nr_hugepages` would.
 * The peak of vmemmap frames shows the difference: /proc/vmstat
 * nr_memmap_pages_peak.
 */
#include "flushlab/layout.h"
#include "lib/kernel.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_boot.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/hugetlb_vmemmap_priv.h"
#include "mm/memblock.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"

#define BOOT_1G_MAX 64

static unsigned long want_1g;	      /* hugepages= after hugepagesz=1G */
static bool populate_mode;	      /* hugetlb_boot_vmemmap=populate */
static phys_addr_t born[BOOT_1G_MAX]; /* GiBs taken out of memblock */
static unsigned int nr_born;

/* The value of "@key=" among the words of @cmdline, copied to @buf; false if none. */
static bool next_word(const char **p, char *buf, size_t len)
{
	size_t n = 0;

	while (**p == ' ')
		(*p)++;
	if (!**p)
		return false;
	while (**p && **p != ' ') {
		if (n + 1 < len)
			buf[n++] = **p;
		(*p)++;
	}
	buf[n] = '\0';
	return true;
}

/*
 * Linux's rule: hugepages= counts pages of the size the last hugepagesz=
 * named (the default size, 2 MiB, before any). Only 1 GiB is reserved at
 * boot here; 2 MiB pools grow after boot through nr_hugepages.
 */
void hugetlb_boot_parse(const char *cmdline)
{
	char w[64];
	bool gig = false;
	unsigned long n;

	while (next_word(&cmdline, w, sizeof(w))) {
		if (!strncmp(w, "hugepagesz=", 11)) {
			gig = !strcmp(w + 11, "1G") || !strcmp(w + 11, "1073741824");
			if (!gig)
				printk("hugetlb: %s: only 1G pages are reserved at boot (not "
				       "implemented for other sizes)\n",
				       w);
		} else if (!strncmp(w, "hugepages=", 10)) {
			if (kstrtoul(w + 10, 10, &n) || n > BOOT_1G_MAX)
				printk("hugetlb: %s: invalid (0 to %d), ignored\n", w, BOOT_1G_MAX);
			else if (gig)
				want_1g = n;
			else
				printk("hugetlb: %s without hugepagesz=1G: ignored (2 MiB pages: "
				       "use nr_hugepages)\n",
				       w);
		} else if (!strcmp(w, "hugetlb_boot_vmemmap=populate")) {
			populate_mode = true;
		} else if (!strcmp(w, "hugetlb_boot_vmemmap=born")) {
			populate_mode = false;
		} else if (!strncmp(w, "hugetlb_boot_vmemmap=", 21)) {
			printk("hugetlb: %s: want born or populate, ignored\n", w);
		}
	}
}

/*
 * Born mode, before the vmemmap is built: take the @want_1g highest free
 * GiB-aligned GiBs of memory out of memblock (memblock_remove), so that no
 * vmemmap is populated, no struct page written and no frame freed for them.
 */
void hugetlb_boot_reserve(void)
{
	phys_addr_t cand[BOOT_1G_MAX], start, end;
	unsigned int nr = 0;
	uint64_t i;

	if (!want_1g || populate_mode)
		return;
	for_each_free_mem_range (i, &start, &end)
		for (phys_addr_t g = ALIGN_UP(start, PUD_SIZE); g + PUD_SIZE <= end;
		     g += PUD_SIZE) {
			if (nr == BOOT_1G_MAX)
				memmove(cand, cand + 1,
					sizeof(cand[0]) * --nr); /* keep the highest */
			cand[nr++] = g;
		}
	while (nr_born < want_1g && nr)
		born[nr_born++] = cand[--nr];
	for (unsigned int k = 0; k < nr_born; k++)
		BUG_ON(memblock_remove(born[k], PUD_SIZE));
}

/* The highest pfn the born GiBs reach (max_pfn must cover them). */
unsigned long hugetlb_boot_end_pfn(void)
{
	unsigned long end = 0;

	for (unsigned int k = 0; k < nr_born; k++)
		end = MAX(end, PFN_DOWN(born[k] + PUD_SIZE));
	return end;
}

/*
 * Map the 4096 vmemmap pages of the GiB at @pfn: the first on a fresh frame
 * (read-write), the other 4095 read-only on the shared tail page, each by a
 * 4 KiB PTE in page tables of their own (as HVO leaves an optimized page, so
 * its restore can remap them). Every entry was not present: no flush (SDM
 * vol. 3, 4.10.2.1). Returns the head's struct page, or NULL (ENOMEM).
 */
static struct page *born_vmemmap(unsigned long pfn, uint64_t tail_pa)
{
	uintptr_t va = (uintptr_t)pfn_to_page(pfn);
	struct page *frame = alloc_page(GFP_VMEMMAP | __GFP_ZERO | __GFP_NOWARN);

	if (!frame ||
	    arch_mmu_map(va, PFN_PHYS(page_to_pfn(frame)), PG_LEVEL_4K, MMU_WRITE | MMU_GLOBAL))
		return NULL; /* boot: printed by the caller, the GiB stays out of use */
	for (unsigned long i = 1; i < hugetlb_vmemmap_optimizable_pages(HUGETLB_ORDER_1G) + 1; i++)
		if (arch_mmu_map(va + i * PAGE_SIZE, tail_pa, PG_LEVEL_4K, MMU_GLOBAL))
			return NULL;
	return pfn_to_page(pfn);
}

/* Born mode, buddy allocator running: give each reserved GiB its vmemmap and the pool. */
static void born_populate(struct hstate *h)
{
	uint64_t tail_pa = hvo_shared_tail_page(HUGETLB_ORDER_1G);
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned int ok = 0;

	for (unsigned int k = 0; k < nr_born; k++) {
		struct page *head = tail_pa ? born_vmemmap(PFN_DOWN(born[k]), tail_pa) : NULL;

		if (!head) {
			printk(
			    "hugetlb: 1 GiB page at %#lx: no memory for its vmemmap, left unused\n",
			    born[k]);
			continue;
		}
		page_alloc_add_boot_block(head, 1UL << HUGETLB_ORDER_1G,
					  __GFP_PURPOSE(PURPOSE_HUGETLB));
		hvo_prep_compound_head_page(head, HUGETLB_ORDER_1G);
		SetPageVmemmapOptimized(head);
		list_add_tail(&head->lru, &list);
		ok++;
	}
	hugetlb_add_boot_folios(h, &list);
	printk("hugetlb: %u of %lu 1 GiB pages reserved at boot, vmemmap born optimized\n", ok,
	       want_1g);
}

void hugetlb_boot_init(void)
{
	struct hstate *h = &hstates[1];
	unsigned long peak, now;

	BUG_ON(h->order != HUGETLB_ORDER_1G);
	if (!want_1g)
		return;
	if (!populate_mode) {
		born_populate(h);
	} else {
		set_max_huge_pages(h, want_1g);
		printk("hugetlb: %lu of %lu 1 GiB pages reserved at boot, vmemmap populated then "
		       "optimized\n",
		       h->nr_huge_pages, want_1g);
	}
	peak = nr_memmap_pages_peak();
	now = nr_pages_by_purpose(PURPOSE_VMEMMAP);
	printk("hugetlb: vmemmap frames at boot: peak %lu, now %lu, peak - now %lu\n", peak, now,
	       peak - now);
}
