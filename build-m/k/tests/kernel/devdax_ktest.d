build-m/k/tests/kernel/devdax_ktest.o: tests/kernel/devdax_ktest.c \
 arch/x86_64/cpu.h kernel/ktest.h lib/kernel.h lib/errno.h lib/string.h \
 mm/devdax_vmemmap.h mm/devmem.h mm/hugetlb_vmemmap.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/gfp.h mm/mmu.h mm/page_alloc.h \
 kernel/spinlock.h smp/tlbflush.h
arch/x86_64/cpu.h:
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
mm/devdax_vmemmap.h:
mm/devmem.h:
mm/hugetlb_vmemmap.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/mmu.h:
mm/page_alloc.h:
kernel/spinlock.h:
smp/tlbflush.h:
