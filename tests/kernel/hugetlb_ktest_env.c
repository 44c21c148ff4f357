/*
 * What the hugetlb and hvo suites share with a user's session: the pools and
 * the HVO knobs. A suite runs only when every pool is empty (it grows and
 * shrinks the real pools, so it would take pages a user holds, say with
 * `hugepage take`), and puts the knobs back as it found them.
 */
#include "lib/kernel.h"
#include "mm/hugetlb.h"
#include "mm/hugetlb_vmemmap.h"
#include "tests/kernel/hugetlb_ktest_env.h"

static struct {
	bool optimize_vmemmap;
	const char *strategy, *init, *restore;
} saved;

const char *hugetlb_ktest_enter(void)
{
	static char why[160];
	struct hstate *h;

	for_each_hstate (h) {
		if (h->nr_huge_pages || h->surplus_huge_pages) {
			snprintf(why, sizeof(why),
				 "the %lukB pool holds %lu pages (%lu in use); selftest leaves "
				 "live pools alone: shrink it to 0 first",
				 huge_page_size_kb(h), h->nr_huge_pages, hugetlb_pages_in_use(h));
			return why;
		}
	}
	saved.optimize_vmemmap = hugetlb_optimize_vmemmap;
	saved.strategy = hugetlb_vmemmap_strategy();
	saved.init = hugetlb_vmemmap_init_form();
	saved.restore = hugetlb_vmemmap_restore_form();
	return NULL;
}

void hugetlb_ktest_exit(void)
{
	hugetlb_optimize_vmemmap = saved.optimize_vmemmap;
	hugetlb_vmemmap_set_strategy(saved.strategy);
	hugetlb_vmemmap_set_init(saved.init);
	hugetlb_vmemmap_set_restore(saved.restore);
}
