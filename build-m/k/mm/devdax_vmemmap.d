build-m/k/mm/devdax_vmemmap.o: mm/devdax_vmemmap.c lib/errno.h \
 lib/kernel.h lib/string.h mm/devdax_vmemmap.h mm/hugetlb_vmemmap_priv.h \
 mm/list.h mm/hugetlb_vmemmap.h mm/page.h include/flushlab/layout.h \
 mm/gfp.h mm/mmu.h mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h \
 mm/pgtable_alloc.h smp/tlbflush.h
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/devdax_vmemmap.h:
mm/hugetlb_vmemmap_priv.h:
mm/list.h:
mm/hugetlb_vmemmap.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/mmu.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/pgtable_alloc.h:
smp/tlbflush.h:
