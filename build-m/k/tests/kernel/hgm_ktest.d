build-m/k/tests/kernel/hgm_ktest.o: tests/kernel/hgm_ktest.c \
 kernel/ktest.h lib/kernel.h lib/errno.h lib/string.h \
 mm/fail_page_alloc.h mm/gfp.h mm/hugetlb.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/hugetlb_mapcount.h mm/mmu.h mm/hugetlb_mm.h \
 mm/vma.h mm/hugetlb_vmemmap.h mm/mm_types.h kernel/spinlock.h \
 arch/x86_64/cpu.h smp/cpumask.h smp/percpu.h kernel/platform.h \
 mm/mm_user.h mm/mman.h mm/page_alloc.h smp/tlbflush.h \
 tests/kernel/hugetlb_ktest_env.h
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/hugetlb_mapcount.h:
mm/mmu.h:
mm/hugetlb_mm.h:
mm/vma.h:
mm/hugetlb_vmemmap.h:
mm/mm_types.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
smp/tlbflush.h:
tests/kernel/hugetlb_ktest_env.h:
