build-m/k/smp/shootdown.o: smp/shootdown.c smp/shootdown.h smp/cpumask.h \
 smp/percpu.h kernel/platform.h lib/kernel.h arch/x86_64/cpu.h \
 arch/x86_64/lapic.h arch/x86_64/tlb.h arch/x86_64/traps.h \
 arch/x86_64/tsc.h kernel/spinlock.h kernel/trace.h lib/errno.h \
 lib/kstrtox.h lib/string.h smp/shootdown_priv.h smp/smp.h \
 smp/tlb_ledger.h kernel/pseudofs.h smp/tlbflush.h
smp/shootdown.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
lib/kernel.h:
arch/x86_64/cpu.h:
arch/x86_64/lapic.h:
arch/x86_64/tlb.h:
arch/x86_64/traps.h:
arch/x86_64/tsc.h:
kernel/spinlock.h:
kernel/trace.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
smp/shootdown_priv.h:
smp/smp.h:
smp/tlb_ledger.h:
kernel/pseudofs.h:
smp/tlbflush.h:
