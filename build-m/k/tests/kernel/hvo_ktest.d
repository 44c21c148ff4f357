build-m/k/tests/kernel/hvo_ktest.o: tests/kernel/hvo_ktest.c \
 arch/x86_64/cpu.h kernel/ktest.h lib/kernel.h lib/string.h \
 mm/fail_page_alloc.h mm/gfp.h mm/hugetlb.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/hugetlb_vmemmap.h mm/mmu.h mm/page_alloc.h \
 kernel/spinlock.h tests/kernel/hugetlb_ktest_env.h
arch/x86_64/cpu.h:
kernel/ktest.h:
lib/kernel.h:
lib/string.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/hugetlb_vmemmap.h:
mm/mmu.h:
mm/page_alloc.h:
kernel/spinlock.h:
tests/kernel/hugetlb_ktest_env.h:
