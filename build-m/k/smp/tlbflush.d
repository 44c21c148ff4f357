build-m/k/smp/tlbflush.o: smp/tlbflush.c arch/x86_64/cpu.h \
 arch/x86_64/cpufeature.h arch/x86_64/tsc.h kernel/trace.h \
 kernel/platform.h lib/kernel.h smp/tlbflush.h smp/cross_call.h \
 smp/cpumask.h smp/percpu.h smp/shootdown.h smp/smp.h smp/tlb_ledger.h \
 kernel/pseudofs.h smp/tlbflush_priv.h smp/asid.h
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/tsc.h:
kernel/trace.h:
kernel/platform.h:
lib/kernel.h:
smp/tlbflush.h:
smp/cross_call.h:
smp/cpumask.h:
smp/percpu.h:
smp/shootdown.h:
smp/smp.h:
smp/tlb_ledger.h:
kernel/pseudofs.h:
smp/tlbflush_priv.h:
smp/asid.h:
