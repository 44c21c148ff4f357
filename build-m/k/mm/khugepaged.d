build-m/k/mm/khugepaged.o: mm/khugepaged.c lib/errno.h lib/kernel.h \
 lib/string.h mm/huge_memory.h mm/mmu.h include/flushlab/layout.h \
 mm/khugepaged.h mm/mm_internal.h mm/list.h mm/mm_types.h \
 kernel/spinlock.h arch/x86_64/cpu.h mm/vma.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h mm/mm_user.h mm/mman.h mm/page_alloc.h mm/gfp.h \
 mm/page.h smp/tlbflush.h
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/khugepaged.h:
mm/mm_internal.h:
mm/list.h:
mm/mm_types.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
mm/gfp.h:
mm/page.h:
smp/tlbflush.h:
