build-m/k/smp/tlb_ledger.o: smp/tlb_ledger.c smp/tlb_ledger.h \
 kernel/pseudofs.h lib/kernel.h smp/tlbflush.h smp/percpu.h \
 kernel/platform.h arch/x86_64/cpu.h arch/x86_64/tlb.h smp/cpumask.h
smp/tlb_ledger.h:
kernel/pseudofs.h:
lib/kernel.h:
smp/tlbflush.h:
smp/percpu.h:
kernel/platform.h:
arch/x86_64/cpu.h:
arch/x86_64/tlb.h:
smp/cpumask.h:
