build-m/k/smp/tlb_procfs.o: smp/tlb_procfs.c arch/x86_64/cpufeature.h \
 arch/x86_64/tsc.h kernel/procfs.h kernel/pseudofs.h lib/kernel.h \
 kernel/shell.h lib/errno.h lib/kstrtox.h smp/shootdown.h smp/cpumask.h \
 smp/percpu.h kernel/platform.h smp/smp.h smp/tlb_ledger.h smp/tlbflush.h \
 smp/tlbdemo.h smp/tlbflush_priv.h smp/asid.h
arch/x86_64/cpufeature.h:
arch/x86_64/tsc.h:
kernel/procfs.h:
kernel/pseudofs.h:
lib/kernel.h:
kernel/shell.h:
lib/errno.h:
lib/kstrtox.h:
smp/shootdown.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
smp/smp.h:
smp/tlb_ledger.h:
smp/tlbflush.h:
smp/tlbdemo.h:
smp/tlbflush_priv.h:
smp/asid.h:
