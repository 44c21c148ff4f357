build-m/k/mm/thp_cmd.o: mm/thp_cmd.c kernel/shell.h lib/kernel.h \
 lib/errno.h mm/huge_memory.h mm/mmu.h include/flushlab/layout.h \
 mm/mm_types.h kernel/spinlock.h arch/x86_64/cpu.h mm/list.h mm/vma.h \
 smp/cpumask.h smp/percpu.h kernel/platform.h mm/mm_user.h mm/mman.h \
 mm/page.h mm/gfp.h smp/tlbflush.h
kernel/shell.h:
lib/kernel.h:
lib/errno.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/mm_types.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/list.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
mm/page.h:
mm/gfp.h:
smp/tlbflush.h:
