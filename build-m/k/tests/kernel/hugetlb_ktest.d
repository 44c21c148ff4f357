build-m/k/tests/kernel/hugetlb_ktest.o: tests/kernel/hugetlb_ktest.c \
 kernel/ktest.h lib/kernel.h kernel/pseudofs.h lib/errno.h lib/kstrtox.h \
 lib/string.h mm/fail_page_alloc.h mm/gfp.h mm/hugetlb.h mm/list.h \
 mm/page.h include/flushlab/layout.h mm/hugetlb_vmemmap.h mm/page_alloc.h \
 kernel/spinlock.h arch/x86_64/cpu.h tests/kernel/hugetlb_ktest_env.h
kernel/ktest.h:
lib/kernel.h:
kernel/pseudofs.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/hugetlb_vmemmap.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
tests/kernel/hugetlb_ktest_env.h:
