build-m/k/mm/memory.o: mm/memory.c arch/x86_64/cpu.h lib/errno.h \
 lib/kernel.h lib/string.h mm/huge_memory.h mm/mmu.h \
 include/flushlab/layout.h mm/hugetlb_mm.h mm/hugetlb.h mm/list.h \
 mm/page.h mm/gfp.h mm/vma.h mm/khugepaged.h mm/mm_internal.h \
 mm/mm_types.h kernel/spinlock.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h mm/mm_user.h mm/mman.h mm/page_alloc.h \
 mm/pgtable_alloc.h mm/slab.h smp/tlbflush.h
arch/x86_64/cpu.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
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
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
mm/pgtable_alloc.h:
mm/slab.h:
smp/tlbflush.h:
