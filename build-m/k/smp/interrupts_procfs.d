build-m/k/smp/interrupts_procfs.o: smp/interrupts_procfs.c \
 arch/x86_64/traps.h kernel/procfs.h kernel/pseudofs.h lib/kernel.h \
 smp/smp.h smp/cpumask.h smp/percpu.h kernel/platform.h smp/tlb_ledger.h \
 smp/tlbflush.h
arch/x86_64/traps.h:
kernel/procfs.h:
kernel/pseudofs.h:
lib/kernel.h:
smp/smp.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
smp/tlb_ledger.h:
smp/tlbflush.h:
