build-m/k/mm/mmap.o: mm/mmap.c lib/errno.h lib/kernel.h mm/huge_memory.h \
 mm/mmu.h include/flushlab/layout.h mm/hugetlb_mm.h mm/hugetlb.h \
 mm/list.h mm/page.h mm/gfp.h mm/vma.h mm/khugepaged.h mm/mm_internal.h \
 mm/mm_types.h kernel/spinlock.h arch/x86_64/cpu.h smp/cpumask.h \
 smp/percpu.h kernel/platform.h mm/mm_user.h mm/mman.h
lib/errno.h:
lib/kernel.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/hugetlb_mm.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
mm/gfp.h:
mm/vma.h:
mm/khugepaged.h:
mm/mm_internal.h:
mm/mm_types.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
