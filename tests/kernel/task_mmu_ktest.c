/*
 * /proc/PID/{maps,smaps,pagemap}'s formatting (mm/task_mmu.c) on an
 * address space built here: Linux's maps line, smaps counting exactly the
 * pages faulted, and pagemap's rules (whole entries only, present bit and
 * the frame the page tables hold, nothing past the user half).
 */
#include "kernel/ktest.h"
#include "kernel/pseudofs.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "mm/mmu.h"
#include "uapi/mman.h"

#define P PAGE_SIZE
#define BASE 0x10000000UL
#define NR_PAGES 4

#define PM_PRESENT (1ULL << 63)
#define PM_EXCLUSIVE (1ULL << 56)
#define PM_PFN_MASK ((1ULL << 55) - 1)

/* A 4-page private read-write mapping at BASE with page 1 written; NULL if memory is short. */
static struct mm_struct *mm_with_one_page(void)
{
	struct mm_struct *mm = mm_alloc();
	uintptr_t out = 0;

	if (!mm)
		return NULL;
	if (do_mmap(mm, BASE, NR_PAGES * P, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out) ||
	    handle_mm_fault(mm, BASE + P, FAULT_FLAG_WRITE | FAULT_FLAG_USER)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

static void pagemap_entries_and_rules(struct ktest *t)
{
	struct mm_struct *mm = mm_with_one_page();
	uint64_t e[NR_PAGES + 1], end = TASK_SIZE / P * 8;
	struct mmu_mapping m;

	if (!mm)
		KTEST_SKIP(t, "no memory for an address space");
	KASSERT_EQ(t, (long)sizeof(e), mm_read_pagemap(mm, (char *)e, sizeof(e), BASE / P * 8));
	KASSERT_EQ(t, 0, arch_mmu_user_query(mm_pgd_phys(mm), BASE + P, &m));
	KEXPECT_EQ(t, 0, e[0]);
	KEXPECT_EQ(t, PM_PRESENT | PM_EXCLUSIVE | (m.pa / P), e[1]);
	KEXPECT_TRUE(t, (e[1] & PM_PFN_MASK) != 0);
	KEXPECT_EQ(t, 0, e[2] | e[3] | e[4]);
	/* Whole entries only, as Linux's pagemap_read; nothing past the user half. */
	KEXPECT_EQ(t, -EINVAL, mm_read_pagemap(mm, (char *)e, 8, BASE / P * 8 + 4));
	KEXPECT_EQ(t, -EINVAL, mm_read_pagemap(mm, (char *)e, 5, BASE / P * 8));
	KEXPECT_EQ(t, 8, mm_read_pagemap(mm, (char *)e, 16, end - 8));
	KEXPECT_EQ(t, 0, mm_read_pagemap(mm, (char *)e, 16, end));
	KEXPECT_EQ(t, 0, mm_read_pagemap(mm, (char *)e, 16, ~0ULL & ~7ULL));
	mmput(mm);
}

/* The value of smaps line @name ("Rss:") in @text, or -1. */
static long smaps_kb(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);
	long v = 0;

	while (p && strncmp(p, name, n)) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return -1;
	for (p += n; *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

static bool contains(const char *hay, const char *needle)
{
	for (size_t n = strlen(needle); *hay; hay++)
		if (!strncmp(hay, needle, n))
			return true;
	return false;
}

static void maps_and_smaps_as_linux(struct ktest *t)
{
	static char buf[4096];
	struct mm_struct *mm = mm_with_one_page();
	struct seq_buf s;
	char want[64];

	if (!mm)
		KTEST_SKIP(t, "no memory for an address space");
	/* A read maps the shared zero page, which smaps does not count (Linux's vm_normal_page). */
	KEXPECT_EQ(t, 0, handle_mm_fault(mm, BASE + 2 * P, FAULT_FLAG_USER));
	seq_buf_init(&s, buf, sizeof(buf));
	KEXPECT_EQ(t, 0, mm_show_maps(&s, mm));
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0 \n", BASE,
		 BASE + NR_PAGES * P);
	KEXPECT_TRUE(t, !strcmp(buf, want)); /* the trailing space Linux prints */
	seq_buf_init(&s, buf, sizeof(buf));
	KEXPECT_EQ(t, 0, mm_show_smaps(&s, mm));
	KEXPECT_TRUE(t, !strncmp(buf, want, strlen(want)));
	KEXPECT_EQ(t, NR_PAGES * 4, smaps_kb(buf, "Size:"));
	KEXPECT_EQ(t, 4, smaps_kb(buf, "Rss:"));
	KEXPECT_EQ(t, 4, smaps_kb(buf, "Pss:"));
	KEXPECT_EQ(t, 4, smaps_kb(buf, "Private_Dirty:"));
	KEXPECT_EQ(t, 0, smaps_kb(buf, "AnonHugePages:"));
	KEXPECT_TRUE(t, contains(buf, "\nVmFlags: rd wr mr mw me "));
	mmput(mm);
}

static const struct ktest_case task_mmu_cases[] = {
    KTEST_CASE(pagemap_entries_and_rules),
    KTEST_CASE(maps_and_smaps_as_linux),
    {},
};
DEFINE_KTEST_SUITE(task_mmu, task_mmu_cases);
