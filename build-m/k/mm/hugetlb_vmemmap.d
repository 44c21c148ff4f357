build-m/k/mm/hugetlb_vmemmap.o: mm/hugetlb_vmemmap.c lib/errno.h \
 lib/kernel.h lib/string.h mm/hugetlb_vmemmap.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/gfp.h mm/hugetlb_vmemmap_priv.h mm/mmu.h \
 mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/hugetlb_vmemmap.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_vmemmap_priv.h:
mm/mmu.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
