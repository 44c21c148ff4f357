build-m/k/mm/hugetlb_mapcount.o: mm/hugetlb_mapcount.c kernel/pseudofs.h \
 lib/kernel.h lib/errno.h lib/kstrtox.h mm/hugetlb.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/gfp.h mm/hugetlb_mapcount.h mm/mmu.h \
 mm/hugetlb_mm.h mm/vma.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/kstrtox.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_mapcount.h:
mm/mmu.h:
mm/hugetlb_mm.h:
mm/vma.h:
