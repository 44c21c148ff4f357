build-m/k/mm/khugepaged_scan.o: mm/khugepaged_scan.c kernel/platform.h \
 lib/kernel.h kernel/spinlock.h arch/x86_64/cpu.h lib/errno.h \
 mm/huge_memory.h mm/mmu.h include/flushlab/layout.h mm/khugepaged.h \
 mm/mm_internal.h mm/list.h mm/mm_types.h mm/vma.h smp/cpumask.h \
 smp/percpu.h mm/mm_user.h mm/mman.h mm/page_alloc.h mm/gfp.h mm/page.h
kernel/platform.h:
lib/kernel.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
lib/errno.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/khugepaged.h:
mm/mm_internal.h:
mm/list.h:
mm/mm_types.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
mm/gfp.h:
mm/page.h:
