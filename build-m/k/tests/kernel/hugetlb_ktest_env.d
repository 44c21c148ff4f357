build-m/k/tests/kernel/hugetlb_ktest_env.o: \
 tests/kernel/hugetlb_ktest_env.c lib/kernel.h mm/hugetlb.h mm/list.h \
 mm/page.h include/flushlab/layout.h mm/gfp.h mm/hugetlb_vmemmap.h \
 tests/kernel/hugetlb_ktest_env.h
lib/kernel.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_vmemmap.h:
tests/kernel/hugetlb_ktest_env.h:
