build-m/k/smp/tlbdemo.o: smp/tlbdemo.c smp/tlbdemo.h \
 include/flushlab/layout.h kernel/shell.h lib/kernel.h lib/errno.h \
 lib/kstrtox.h lib/string.h mm/mm_types.h kernel/spinlock.h \
 arch/x86_64/cpu.h mm/list.h mm/vma.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h mm/mmu.h mm/page_alloc.h mm/gfp.h mm/page.h \
 smp/cross_call.h smp/smp.h smp/tlb_ledger.h kernel/pseudofs.h \
 smp/tlbflush.h task/task.h arch/x86_64/traps.h
smp/tlbdemo.h:
include/flushlab/layout.h:
kernel/shell.h:
lib/kernel.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
mm/mm_types.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/list.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mmu.h:
mm/page_alloc.h:
mm/gfp.h:
mm/page.h:
smp/cross_call.h:
smp/smp.h:
smp/tlb_ledger.h:
kernel/pseudofs.h:
smp/tlbflush.h:
task/task.h:
arch/x86_64/traps.h:
