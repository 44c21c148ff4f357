build-m/k/smp/shootdown_target.o: smp/shootdown_target.c \
 arch/x86_64/cpu.h arch/x86_64/lapic.h arch/x86_64/tlb.h kernel/trace.h \
 kernel/platform.h lib/kernel.h lib/string.h smp/shootdown_priv.h \
 arch/x86_64/traps.h smp/percpu.h smp/shootdown.h smp/cpumask.h \
 smp/tlb_ledger.h kernel/pseudofs.h smp/tlbflush.h smp/tlbflush_priv.h \
 smp/asid.h
arch/x86_64/cpu.h:
arch/x86_64/lapic.h:
arch/x86_64/tlb.h:
kernel/trace.h:
kernel/platform.h:
lib/kernel.h:
lib/string.h:
smp/shootdown_priv.h:
arch/x86_64/traps.h:
smp/percpu.h:
smp/shootdown.h:
smp/cpumask.h:
smp/tlb_ledger.h:
kernel/pseudofs.h:
smp/tlbflush.h:
smp/tlbflush_priv.h:
smp/asid.h:
