/*
 * `hugepage`: take pages from a hugetlb pool and give them back, the lab's
 * stand-in for a process that maps hugetlb pages, so that pages in use (and
 * the surplus pages a shrink leaves behind) can be made and seen; and look
 * at how one pool page's struct pages are mapped (what HVO changed).
 */
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "mm/mmu.h"
#include "mm/page_alloc.h"

/* "2M", "1G", "2048K", "2097152" ... -> the hstate of that size, or NULL. */
static struct hstate *parse_hstate(const char *arg)
{
	unsigned long long bytes;

	if (parse_size(arg, &bytes) || bytes % 1024)
		return NULL;
	return size_to_hstate(bytes / 1024);
}

static int hugepage_status(void)
{
	struct hstate snap, *h;

	shell_printf("%-12s %10s %10s %10s %10s %10s\n", "size", "total", "free", "in_use",
		     "surplus", "persistent");
	for_each_hstate (h) {
		hugetlb_snapshot(h, &snap);
		shell_printf("%-12s %10lu %10lu %10lu %10lu %10lu\n", h->name + 10,
			     snap.nr_huge_pages, snap.free_huge_pages,
			     snap.nr_huge_pages - snap.free_huge_pages, snap.surplus_huge_pages,
			     snap.nr_huge_pages - snap.surplus_huge_pages);
	}
	return 0;
}

static int hugepage_take_give(const char *verb, const char *size, const char *count)
{
	struct hstate *h = parse_hstate(size);
	unsigned long n;
	int ret;

	if (!h) {
		shell_error("hugepage: %s: not a huge page size (2M or 1G)\n", size);
		return 1;
	}
	if (kstrtoul(count, 10, &n) || n > HUGETLB_MAX_COUNT) {
		shell_error("hugepage: %s: not a page count\n", count);
		return 1;
	}
	if (strcmp(verb, "take") == 0)
		ret = hugetlb_take_pages(h, n);
	else
		ret = hugetlb_give_pages(h, n);
	if (ret == -ENOMEM)
		shell_error("hugepage: take %lu: not that many free pages in %s\n", n, h->name);
	else if (ret)
		shell_error("hugepage: give %lu: not that many pages in use in %s\n", n, h->name);
	return ret ? 1 : 0;
}

static void print_vmemmap_run(const struct vmemmap_run *r, uintptr_t base)
{
	static const char *const sizes[] = {"4K", "2M", "1G"};
	char which[24];

	if (r->first == r->last)
		snprintf(which, sizeof(which), "page %lu", r->first);
	else
		snprintf(which, sizeof(which), "pages %lu-%lu", r->first, r->last);
	shell_printf("  %-16s 0x%016lx  %s %s  frame 0x%lx%s\n", which, base + r->first * PAGE_SIZE,
		     sizes[r->level < 3 ? r->level : 0], r->writable ? "RW" : "ro", r->pa,
		     r->shared ? "  shared tail page (HVO)" : "  own frames");
}

/* `hugepage vmemmap SIZE [N]`: how the N-th pool page's struct pages are mapped. */
static int hugepage_vmemmap(const char *size, const char *index)
{
	static struct vmemmap_run runs[64];
	struct hstate *h = parse_hstate(size);
	unsigned long n = 0;
	struct page *head;
	int nr;

	if (!h) {
		shell_error("hugepage: %s: not a huge page size (2M or 1G)\n", size);
		return 1;
	}
	if (index && kstrtoul(index, 10, &n)) {
		shell_error("hugepage: %s: not a page index\n", index);
		return 1;
	}
	head = hugetlb_pool_page(h, n);
	if (!head) {
		shell_error("hugepage: vmemmap: the %s pool has no page %lu\n", h->name, n);
		return 1;
	}
	nr = hugetlb_vmemmap_describe(head, runs, ARRAY_SIZE(runs));
	shell_printf("%s page %lu: pfn 0x%lx, struct pages at 0x%lx (%lu vmemmap pages), %s\n",
		     h->name + 10, n, page_to_pfn(head), (uintptr_t)head,
		     (sizeof(struct page) << h->order) / PAGE_SIZE,
		     PageVmemmapOptimized(head) ? "HVO optimized" : "not optimized");
	for (int i = 0; i < nr && i < (int)ARRAY_SIZE(runs); i++)
		print_vmemmap_run(&runs[i], (uintptr_t)head);
	if (nr > (int)ARRAY_SIZE(runs))
		shell_printf("  ... and %d more runs\n", nr - (int)ARRAY_SIZE(runs));
	return nr < 0;
}

static int cmd_hugepage(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "status") == 0)
		return hugepage_status();
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "vmemmap") == 0)
		return hugepage_vmemmap(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 4 && (strcmp(argv[1], "take") == 0 || strcmp(argv[1], "give") == 0))
		return hugepage_take_give(argv[1], argv[2], argv[3]);
	shell_error(
	    "usage: hugepage take|give SIZE N | hugepage status | hugepage vmemmap SIZE [N]\n");
	return 2;
}
DEFINE_SHELL_COMMAND(hugepage, "take|give SIZE N | status | vmemmap SIZE [N]",
		     "take hugetlb pages into use (SIZE 2M or 1G), give them back, list pools, "
		     "or show how one page's struct pages are mapped",
		     cmd_hugepage);
