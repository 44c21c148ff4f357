build-m/k/tests/kernel/shootdown_ktest.o: tests/kernel/shootdown_ktest.c \
 arch/x86_64/cpu.h include/flushlab/layout.h arch/x86_64/tsc.h \
 kernel/ktest.h lib/kernel.h lib/errno.h mm/mmu.h mm/page_alloc.h \
 kernel/spinlock.h mm/gfp.h mm/list.h mm/page.h smp/tlbflush.h \
 smp/cross_call.h smp/cpumask.h smp/percpu.h kernel/platform.h \
 smp/shootdown.h smp/smp.h smp/tlb_ledger.h kernel/pseudofs.h \
 smp/tlbdemo.h
arch/x86_64/cpu.h:
include/flushlab/layout.h:
arch/x86_64/tsc.h:
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
mm/mmu.h:
mm/page_alloc.h:
kernel/spinlock.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
smp/tlbflush.h:
smp/cross_call.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
smp/shootdown.h:
smp/smp.h:
smp/tlb_ledger.h:
kernel/pseudofs.h:
smp/tlbdemo.h:
