build-m/k/smp/tlb_mm.o: smp/tlb_mm.c arch/x86_64/cpu.h \
 arch/x86_64/cpufeature.h arch/x86_64/tlb.h kernel/trace.h \
 kernel/platform.h lib/kernel.h mm/mm_types.h kernel/spinlock.h mm/list.h \
 mm/vma.h smp/cpumask.h smp/percpu.h mm/mmu.h include/flushlab/layout.h \
 smp/asid.h smp/cross_call.h smp/shootdown.h smp/smp.h smp/tlb_ledger.h \
 kernel/pseudofs.h smp/tlbflush.h smp/tlbdemo.h smp/tlbflush_priv.h
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/tlb.h:
kernel/trace.h:
kernel/platform.h:
lib/kernel.h:
mm/mm_types.h:
kernel/spinlock.h:
mm/list.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
mm/mmu.h:
include/flushlab/layout.h:
smp/asid.h:
smp/cross_call.h:
smp/shootdown.h:
smp/smp.h:
smp/tlb_ledger.h:
kernel/pseudofs.h:
smp/tlbflush.h:
smp/tlbdemo.h:
smp/tlbflush_priv.h:
