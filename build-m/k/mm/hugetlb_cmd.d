build-m/k/mm/hugetlb_cmd.o: mm/hugetlb_cmd.c kernel/shell.h lib/kernel.h \
 lib/errno.h lib/kstrtox.h lib/string.h mm/hugetlb.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/gfp.h mm/hugetlb_vmemmap.h mm/mmu.h \
 mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h
kernel/shell.h:
lib/kernel.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_vmemmap.h:
mm/mmu.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
