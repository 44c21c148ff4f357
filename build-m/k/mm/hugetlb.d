build-m/k/mm/hugetlb.o: mm/hugetlb.c kernel/spinlock.h arch/x86_64/cpu.h \
 lib/errno.h lib/kernel.h mm/hugetlb.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/gfp.h mm/hugetlb_vmemmap.h mm/page_alloc.h \
 smp/tlbflush.h
kernel/spinlock.h:
arch/x86_64/cpu.h:
lib/errno.h:
lib/kernel.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_vmemmap.h:
mm/page_alloc.h:
smp/tlbflush.h:
