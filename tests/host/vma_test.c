/*
 * Host tests of the VMA set (mm/vma.c): insert and lookup, split, merge of
 * compatible neighbours, munmap and mprotect on any sub-range (holes,
 * straddling, MAP_FIXED's replace), the top-down gap search, mmap's
 * argument rules, and allocation failure leaving the set unchanged.
 * VMAs come from malloc; a counter catches leaks and a knob fails allocations.
 */
#include <stdint.h>

#include "tests/host/host_test.h"
#include "lib/errno.h"
#include "mm/mm_user.h"
#include "mm/vm_ops.h"
#include "mm/vma.h"

#define P 4096UL

static long live_vmas;
static int fail_after = -1; /* >= 0: that many more allocations succeed */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	vma = calloc(1, sizeof(*vma));
	vma->vm_mm = mm;
	live_vmas++;
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	live_vmas--;
	free(vma);
}

static struct vm_area_struct *add(struct vma_set *s, uintptr_t start, uintptr_t end,
				  unsigned long flags)
{
	struct vm_area_struct *v = vm_area_alloc(NULL);

	v->vm_start = start;
	v->vm_end = end;
	v->vm_flags = flags | VM_ANON;
	v->vm_pgoff = start / P; /* anonymous: Linux uses the address as pgoff */
	if (vma_insert(s, v)) {
		vm_area_free(v);
		return NULL;
	}
	return v;
}

/* Sorted, disjoint, non-empty, and the counters agree: else the first fault. */
static const char *check_set(struct vma_set *s)
{
	struct vm_area_struct *v;
	uintptr_t prev_end = 0;
	unsigned long nr = 0, pages = 0;

	for_each_vma(s, v)
	{
		if (v->vm_start >= v->vm_end)
			return "empty vma";
		if (v->vm_start < prev_end)
			return "overlap or unsorted";
		prev_end = v->vm_end;
		nr++;
		pages += vma_pages(v);
	}
	if (nr != s->nr)
		return "nr wrong";
	if (pages != s->total_pages)
		return "total_pages wrong";
	return NULL;
}

/* "start-end:flags ..." of the set, for compact expectations. */
static const char *layout(struct vma_set *s)
{
	static char buf[512];
	struct vm_area_struct *v;
	int n = 0;

	buf[0] = 0;
	for_each_vma(s, v) n +=
	    snprintf(buf + n, sizeof(buf) - n, "%s%lx-%lx:%lx", n ? " " : "", v->vm_start / P,
		     v->vm_end / P, v->vm_flags & VM_ACCESS_FLAGS);
	return buf;
}

static void destroy(struct vma_set *s)
{
	vma_unmap_range(s, 0, TASK_SIZE, NULL, NULL);
}

HOST_TEST(vma_insert_find_and_overlap)
{
	struct vma_set s;

	vma_set_init(&s);
	ASSERT_TRUE(add(&s, 10 * P, 20 * P, VM_READ));
	ASSERT_TRUE(add(&s, 30 * P, 40 * P, VM_READ));
	ASSERT_TRUE(add(&s, 0, 5 * P, VM_READ));
	EXPECT_TRUE(add(&s, 19 * P, 21 * P, VM_READ) == NULL); /* overlaps the tail */
	EXPECT_TRUE(add(&s, 5 * P, 31 * P, VM_READ) == NULL);  /* spans a whole VMA */
	EXPECT_TRUE(add(&s, 25 * P, 25 * P, VM_READ) == NULL); /* zero length */
	EXPECT_TRUE(check_set(&s) == NULL);
	EXPECT_STREQ("0-5:1 a-14:1 1e-28:1", layout(&s));
	EXPECT_EQ(10 * P, find_vma(&s, 5 * P)->vm_start); /* in a gap: the next one */
	EXPECT_EQ(10 * P, find_vma(&s, 19 * P + 123)->vm_start);
	EXPECT_TRUE(find_vma(&s, 40 * P) == NULL);
	EXPECT_TRUE(find_vma_intersection(&s, 20 * P, 30 * P) == NULL); /* ends are exclusive */
	EXPECT_EQ(30 * P, find_vma_intersection(&s, 20 * P, 30 * P + 1)->vm_start);
	destroy(&s);
	EXPECT_EQ(0, s.nr);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_split_keeps_pages_and_pgoff)
{
	struct vma_set s;
	struct vm_area_struct *v, *n;

	vma_set_init(&s);
	v = add(&s, 10 * P, 20 * P, VM_READ | VM_WRITE);
	ASSERT_TRUE(v);
	EXPECT_TRUE(split_vma(&s, v, 10 * P, false) == NULL);	  /* at the start: no */
	EXPECT_TRUE(split_vma(&s, v, 20 * P, false) == NULL);	  /* at the end: no */
	EXPECT_TRUE(split_vma(&s, v, 15 * P + 1, false) == NULL); /* unaligned: no */
	n = split_vma(&s, v, 15 * P, false);
	ASSERT_TRUE(n);
	EXPECT_EQ(15 * P, n->vm_start);
	EXPECT_EQ(15, n->vm_pgoff);
	n = split_vma(&s, v, 12 * P, true);
	ASSERT_TRUE(n);
	EXPECT_EQ(10 * P, n->vm_start);
	EXPECT_EQ(12, v->vm_pgoff);
	EXPECT_TRUE(check_set(&s) == NULL);
	EXPECT_EQ(3, s.nr);
	EXPECT_EQ(10, s.total_pages);
	EXPECT_STREQ("a-c:3 c-f:3 f-14:3", layout(&s));
	/* Compatible again: one merge pass joins all three. */
	v = vma_merge_neighbours(&s, v);
	EXPECT_STREQ("a-14:3", layout(&s));
	EXPECT_EQ(10, v->vm_pgoff);
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_merge_only_compatible_neighbours)
{
	struct vma_set s;
	struct vm_area_struct *mid;

	vma_set_init(&s);
	add(&s, 0, 4 * P, VM_READ);
	mid = add(&s, 4 * P, 8 * P, VM_READ);
	add(&s, 8 * P, 12 * P, VM_READ | VM_WRITE); /* other flags */
	add(&s, 13 * P, 14 * P, VM_READ);	    /* not adjacent */
	vma_merge_neighbours(&s, mid);
	EXPECT_STREQ("0-8:1 8-c:3 d-e:1", layout(&s));
	EXPECT_TRUE(check_set(&s) == NULL);
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

/*
 * Two kinds with no hooks: vma.c compares their addresses to merge and
 * calls a kind's open when a split copies a VMA (none here).
 */
static const struct vm_operations_struct kind_a_ops = {.name = "a"}, kind_b_ops = {.name = "b"};
static const struct vm_operations_struct *const kind_a = &kind_a_ops;
static const struct vm_operations_struct *const kind_b = &kind_b_ops;

HOST_TEST(vma_merge_needs_same_kind_and_no_special_flag)
{
	struct vma_set s;
	struct vm_area_struct *a, *b, *c;

	vma_set_init(&s);
	a = add(&s, 0, 4 * P, VM_READ);
	b = add(&s, 4 * P, 8 * P, VM_READ);
	c = add(&s, 8 * P, 12 * P, VM_READ | VM_MIXEDMAP);
	a->vm_ops = kind_a;
	b->vm_ops = kind_b; /* same flags, another kind */
	c->vm_ops = kind_b;
	vma_merge_neighbours(&s, b);
	EXPECT_STREQ("0-4:1 4-8:1 8-c:1", layout(&s));
	b->vm_ops = kind_a;
	vma_merge_neighbours(&s, b);
	EXPECT_STREQ("0-8:1 8-c:1", layout(&s));
	/* A split keeps the kind on both halves; VM_SPECIAL halves never merge back. */
	EXPECT_EQ(0, vma_change_flags(&s, 9 * P, 10 * P, 0, 0, NULL, NULL));
	EXPECT_STREQ("0-8:1 8-9:1 9-a:1 a-c:1", layout(&s));
	for_each_vma(&s, a) EXPECT_TRUE(a->vm_ops == (a->vm_start < 8 * P ? kind_a : kind_b));
	EXPECT_TRUE(check_set(&s) == NULL);
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_unmap_any_subrange)
{
	struct vma_set s;

	vma_set_init(&s);
	add(&s, 10 * P, 20 * P, VM_READ);
	add(&s, 30 * P, 40 * P, VM_READ | VM_WRITE);
	/* A hole in the middle of one VMA splits it in two. */
	EXPECT_EQ(0, vma_unmap_range(&s, 12 * P, 14 * P, NULL, NULL));
	EXPECT_STREQ("a-c:1 e-14:1 1e-28:3", layout(&s));
	/* Across a gap: tail of one, head of the next. */
	EXPECT_EQ(0, vma_unmap_range(&s, 18 * P, 32 * P, NULL, NULL));
	EXPECT_STREQ("a-c:1 e-12:1 20-28:3", layout(&s));
	/* Nothing mapped there: fine, nothing changes. */
	EXPECT_EQ(0, vma_unmap_range(&s, 100 * P, 200 * P, NULL, NULL));
	/* Exactly one whole VMA. */
	EXPECT_EQ(0, vma_unmap_range(&s, 10 * P, 12 * P, NULL, NULL));
	EXPECT_STREQ("e-12:1 20-28:3", layout(&s));
	EXPECT_TRUE(check_set(&s) == NULL);
	EXPECT_EQ(12, s.total_pages);
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

static void count_zap(struct vm_area_struct *vma, void *arg)
{
	*(unsigned long *)arg += vma_pages(vma);
}

HOST_TEST(vma_unmap_calls_zap_on_exact_pieces)
{
	struct vma_set s;
	unsigned long zapped = 0;

	vma_set_init(&s);
	add(&s, 10 * P, 20 * P, VM_READ);
	add(&s, 20 * P, 30 * P, VM_WRITE);
	EXPECT_EQ(0, vma_unmap_range(&s, 15 * P, 25 * P, count_zap, &zapped));
	EXPECT_EQ(10, zapped);
	EXPECT_STREQ("a-f:1 19-1e:2", layout(&s));
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_map_fixed_replaces_what_was_there)
{
	struct vma_set s;

	/* MAP_FIXED over the middle of two VMAs: unmap the range, insert, merge. */
	vma_set_init(&s);
	add(&s, 10 * P, 20 * P, VM_READ);
	add(&s, 20 * P, 30 * P, VM_READ | VM_WRITE);
	EXPECT_TRUE(find_vma_intersection(&s, 15 * P, 25 * P) !=
		    NULL); /* NOREPLACE would say EEXIST */
	EXPECT_EQ(0, vma_unmap_range(&s, 15 * P, 25 * P, NULL, NULL));
	EXPECT_TRUE(add(&s, 15 * P, 25 * P, VM_READ) != NULL);
	vma_merge_neighbours(&s, find_vma(&s, 15 * P));
	EXPECT_STREQ("a-19:1 19-1e:3", layout(&s));
	EXPECT_TRUE(check_set(&s) == NULL);
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_mprotect_splits_then_merges_back)
{
	struct vma_set s;

	vma_set_init(&s);
	add(&s, 10 * P, 20 * P, VM_READ | VM_WRITE);
	EXPECT_EQ(0, vma_change_flags(&s, 12 * P, 14 * P, VM_WRITE, 0, NULL, NULL));
	EXPECT_STREQ("a-c:3 c-e:1 e-14:3", layout(&s));
	/* Back to RW: the three merge into one again. */
	EXPECT_EQ(0, vma_change_flags(&s, 12 * P, 14 * P, 0, VM_WRITE, NULL, NULL));
	EXPECT_STREQ("a-14:3", layout(&s));
	/* Whole VMA, and the head only. */
	EXPECT_EQ(0, vma_change_flags(&s, 10 * P, 20 * P, VM_WRITE, 0, NULL, NULL));
	EXPECT_STREQ("a-14:1", layout(&s));
	EXPECT_EQ(0, vma_change_flags(&s, 10 * P, 11 * P, 0, VM_EXEC, NULL, NULL));
	EXPECT_STREQ("a-b:5 b-14:1", layout(&s));
	EXPECT_EQ(2, s.nr);
	EXPECT_TRUE(check_set(&s) == NULL);
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_mprotect_over_a_hole_is_enomem_and_changes_nothing)
{
	struct vma_set s;

	vma_set_init(&s);
	add(&s, 10 * P, 20 * P, VM_READ);
	add(&s, 21 * P, 30 * P, VM_READ);
	EXPECT_EQ(-ENOMEM, vma_change_flags(&s, 15 * P, 25 * P, 0, VM_WRITE, NULL, NULL));
	EXPECT_EQ(-ENOMEM, vma_change_flags(&s, 5 * P, 12 * P, 0, VM_WRITE, NULL, NULL));
	EXPECT_STREQ("a-14:1 15-1e:1", layout(&s));
	EXPECT_TRUE(vma_range_mapped(&s, 10 * P, 20 * P));
	EXPECT_TRUE(!vma_range_mapped(&s, 10 * P, 22 * P));
	/* Adjacent VMAs with other flags still cover a range together. */
	add(&s, 20 * P, 21 * P, VM_WRITE);
	EXPECT_TRUE(vma_range_mapped(&s, 10 * P, 30 * P));
	EXPECT_EQ(0, vma_change_flags(&s, 10 * P, 30 * P, VM_ACCESS_FLAGS, VM_READ, NULL, NULL));
	EXPECT_STREQ("a-1e:1", layout(&s)); /* all three merged */
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_split_failure_changes_nothing)
{
	struct vma_set s;

	vma_set_init(&s);
	add(&s, 10 * P, 20 * P, VM_READ);
	fail_after = 1; /* the first split's VMA, not the second's */
	EXPECT_EQ(-ENOMEM, vma_unmap_range(&s, 12 * P, 14 * P, NULL, NULL));
	EXPECT_STREQ("a-14:1", layout(&s));
	fail_after = 0;
	EXPECT_EQ(-ENOMEM, vma_change_flags(&s, 11 * P, 12 * P, 0, VM_WRITE, NULL, NULL));
	EXPECT_STREQ("a-14:1", layout(&s));
	EXPECT_EQ(1, live_vmas);
	/* Whole-VMA operations need no allocation and still work. */
	EXPECT_EQ(0, vma_change_flags(&s, 10 * P, 20 * P, 0, VM_WRITE, NULL, NULL));
	EXPECT_EQ(0, vma_unmap_range(&s, 0, 30 * P, NULL, NULL));
	fail_after = -1;
	EXPECT_EQ(0, s.nr);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(vma_unmapped_area_top_down)
{
	struct vma_set s;

	vma_set_init(&s);
	EXPECT_EQ(100 * P - 4 * P, vma_get_unmapped_area(&s, 4 * P, 10 * P, 100 * P));
	add(&s, 90 * P, 100 * P, VM_READ);
	add(&s, 80 * P, 88 * P, VM_READ);
	EXPECT_EQ(88 * P, vma_get_unmapped_area(&s, 2 * P, 10 * P, 100 * P));  /* gap 88-90 */
	EXPECT_EQ(76 * P, vma_get_unmapped_area(&s, 4 * P, 10 * P, 100 * P));  /* below 80 */
	EXPECT_EQ(10 * P, vma_get_unmapped_area(&s, 70 * P, 10 * P, 100 * P)); /* exactly fits */
	EXPECT_EQ(0, vma_get_unmapped_area(&s, 71 * P, 10 * P, 100 * P));      /* no room */
	EXPECT_EQ(0, vma_get_unmapped_area(&s, 0, 10 * P, 100 * P));
	/* A VMA above the window does not count; one straddling its top does. */
	add(&s, 200 * P, 210 * P, VM_READ);
	EXPECT_EQ(196 * P, vma_get_unmapped_area(&s, 4 * P, 100 * P, 205 * P));
	EXPECT_EQ(196 * P, vma_get_unmapped_area(&s, 4 * P, 100 * P, 200 * P));
	EXPECT_EQ(0, vma_get_unmapped_area(&s, 4 * P, 201 * P, 204 * P)); /* window inside a VMA */
	destroy(&s);
	EXPECT_EQ(0, live_vmas);
}

HOST_TEST(user_range_check_edges)
{
	uintptr_t end = 0;

	EXPECT_EQ(0, user_range_check(0x400000, 1, &end));
	EXPECT_EQ(0x401000, end);				 /* length rounded up to a page */
	EXPECT_EQ(-EINVAL, user_range_check(0x400000, 0, &end)); /* zero length */
	EXPECT_EQ(-EINVAL, user_range_check(0x400001, P, &end)); /* unaligned */
	EXPECT_EQ(-EINVAL, user_range_check(0xfffffffffffff000UL, 2 * P, &end)); /* wraps */
	EXPECT_EQ(-ENOMEM, user_range_check(0x1000, SIZE_MAX, &end));	  /* aligning overflows */
	EXPECT_EQ(-ENOMEM, user_range_check(TASK_SIZE - P, 2 * P, &end)); /* past TASK_SIZE */
	EXPECT_EQ(-ENOMEM, user_range_check(0xffff800000000000UL, P, &end)); /* kernel half */
	EXPECT_EQ(0, user_range_check(TASK_SIZE - P, P, &end)); /* the last user page */
	EXPECT_EQ(TASK_SIZE, end);
}

HOST_TEST(mmap_flag_rules_follow_linux)
{
	EXPECT_EQ(0, mmap_check_flags(PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
	EXPECT_EQ(0, mmap_check_flags(PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED));
	EXPECT_EQ(0, mmap_check_flags(PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE |
						     MAP_FIXED_NOREPLACE | MAP_STACK));
	EXPECT_EQ(-EINVAL, mmap_check_flags(PROT_READ, MAP_ANONYMOUS));		  /* neither type */
	EXPECT_EQ(-EINVAL, mmap_check_flags(PROT_READ, 0x7 | MAP_ANONYMOUS));	  /* bad type */
	EXPECT_EQ(-EINVAL, mmap_check_flags(0x100, MAP_PRIVATE | MAP_ANONYMOUS)); /* bad prot */
	EXPECT_EQ(0, mmap_check_flags(PROT_READ, MAP_SHARED | MAP_ANONYMOUS));
	EXPECT_EQ(-EOPNOTSUPP,
		  mmap_check_flags(PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB));
	EXPECT_EQ(-EOPNOTSUPP, mmap_check_flags(PROT_READ, MAP_SHARED));  /* a file */
	EXPECT_EQ(-EOPNOTSUPP, mmap_check_flags(PROT_READ, MAP_PRIVATE)); /* a file */
	EXPECT_EQ(VM_READ | VM_EXEC, calc_vm_prot_bits(PROT_READ | PROT_EXEC));
	EXPECT_EQ(0, calc_vm_prot_bits(PROT_NONE));
}

HOST_TEST_MAIN("vma")
