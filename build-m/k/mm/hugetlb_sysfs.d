build-m/k/mm/hugetlb_sysfs.o: mm/hugetlb_sysfs.c kernel/pseudofs.h \
 lib/kernel.h lib/errno.h lib/kstrtox.h mm/hugetlb.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/gfp.h mm/hugetlb_vmemmap.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/kstrtox.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_vmemmap.h:
