/*
 * `hugepage`: take pages from a hugetlb pool and give them back, the lab's
 * stand-in for a process that maps hugetlb pages, so that pages in use (and
 * the surplus pages a shrink leaves behind) can be made and seen.
 */
#include "kernel/shell.h"
#include "lib/errno.h"
#include "lib/kstrtox.h"
#include "lib/string.h"
#include "mm/hugetlb.h"

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
	for_each_hstate(h) {
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

static int cmd_hugepage(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "status") == 0)
		return hugepage_status();
	if (argc == 4 && (strcmp(argv[1], "take") == 0 || strcmp(argv[1], "give") == 0))
		return hugepage_take_give(argv[1], argv[2], argv[3]);
	shell_error("usage: hugepage take|give SIZE N | hugepage status\n");
	return 2;
}
DEFINE_SHELL_COMMAND(hugepage, "take|give SIZE N | status",
		     "take hugetlb pages into use (SIZE 2M or 1G), give them back, or list pools",
		     cmd_hugepage);
