build-m/k/mm/hugetlb_mm.o: mm/hugetlb_mm.c lib/errno.h lib/kernel.h \
 lib/string.h mm/hugetlb_mapcount.h mm/mmu.h include/flushlab/layout.h \
 mm/page.h mm/gfp.h mm/list.h mm/hugetlb_mm.h mm/hugetlb.h mm/vma.h \
 mm/mm_internal.h mm/mm_types.h kernel/spinlock.h arch/x86_64/cpu.h \
 smp/cpumask.h smp/percpu.h kernel/platform.h mm/mm_user.h mm/mman.h \
 smp/tlbflush.h
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/hugetlb_mapcount.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/page.h:
mm/gfp.h:
mm/list.h:
mm/hugetlb_mm.h:
mm/hugetlb.h:
mm/vma.h:
mm/mm_internal.h:
mm/mm_types.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
smp/tlbflush.h:
