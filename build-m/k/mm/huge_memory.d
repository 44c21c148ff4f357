build-m/k/mm/huge_memory.o: mm/huge_memory.c arch/x86_64/cpu.h \
 lib/errno.h lib/kernel.h lib/string.h mm/huge_memory.h mm/mmu.h \
 include/flushlab/layout.h mm/mm_internal.h mm/list.h mm/mm_types.h \
 kernel/spinlock.h mm/vma.h smp/cpumask.h smp/percpu.h kernel/platform.h \
 mm/mm_user.h mm/mman.h mm/page_alloc.h mm/gfp.h mm/page.h \
 mm/pgtable_alloc.h smp/tlbflush.h
arch/x86_64/cpu.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/mm_internal.h:
mm/list.h:
mm/mm_types.h:
kernel/spinlock.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
mm/gfp.h:
mm/page.h:
mm/pgtable_alloc.h:
smp/tlbflush.h:
