build-m/k/mm/hugetlb_vmemmap_flush.o: mm/hugetlb_vmemmap_flush.c \
 kernel/pseudofs.h lib/kernel.h kernel/trace.h kernel/platform.h \
 lib/errno.h lib/kstrtox.h lib/string.h mm/hugetlb_vmemmap.h mm/list.h \
 mm/page.h include/flushlab/layout.h mm/gfp.h mm/hugetlb_vmemmap_priv.h \
 smp/tlbflush.h
kernel/pseudofs.h:
lib/kernel.h:
kernel/trace.h:
kernel/platform.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
mm/hugetlb_vmemmap.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_vmemmap_priv.h:
smp/tlbflush.h:
