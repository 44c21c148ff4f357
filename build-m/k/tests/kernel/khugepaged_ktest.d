build-m/k/tests/kernel/khugepaged_ktest.o: \
 tests/kernel/khugepaged_ktest.c arch/x86_64/cpu.h kernel/ktest.h \
 lib/kernel.h lib/errno.h mm/fail_page_alloc.h mm/gfp.h mm/huge_memory.h \
 mm/mmu.h include/flushlab/layout.h mm/khugepaged.h mm/mm_types.h \
 kernel/spinlock.h mm/list.h mm/vma.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h mm/mm_user.h mm/mman.h mm/page_alloc.h mm/page.h \
 smp/tlbflush.h smp/tlb_ledger.h kernel/pseudofs.h task/kthread.h \
 task/sched.h task/task.h arch/x86_64/traps.h
arch/x86_64/cpu.h:
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/khugepaged.h:
mm/mm_types.h:
kernel/spinlock.h:
mm/list.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
mm/page.h:
smp/tlbflush.h:
smp/tlb_ledger.h:
kernel/pseudofs.h:
task/kthread.h:
task/sched.h:
task/task.h:
arch/x86_64/traps.h:
