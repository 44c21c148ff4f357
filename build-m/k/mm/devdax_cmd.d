build-m/k/mm/devdax_cmd.o: mm/devdax_cmd.c kernel/pseudofs.h lib/kernel.h \
 kernel/shell.h lib/errno.h lib/kstrtox.h lib/string.h mm/devmem.h \
 mm/hugetlb_vmemmap.h mm/list.h mm/page.h include/flushlab/layout.h \
 mm/gfp.h
kernel/pseudofs.h:
lib/kernel.h:
kernel/shell.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
mm/devmem.h:
mm/hugetlb_vmemmap.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
