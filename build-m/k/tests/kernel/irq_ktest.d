build-m/k/tests/kernel/irq_ktest.o: tests/kernel/irq_ktest.c \
 arch/x86_64/acpi.h arch/x86_64/cpu.h arch/x86_64/cpufeature.h \
 arch/x86_64/irqchip.h arch/x86_64/lapic.h arch/x86_64/traps.h \
 arch/x86_64/tsc.h kernel/ktest.h lib/kernel.h kernel/platform.h \
 smp/tlbflush.h smp/cross_call.h smp/cpumask.h smp/percpu.h smp/smp.h
arch/x86_64/acpi.h:
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/irqchip.h:
arch/x86_64/lapic.h:
arch/x86_64/traps.h:
arch/x86_64/tsc.h:
kernel/ktest.h:
lib/kernel.h:
kernel/platform.h:
smp/tlbflush.h:
smp/cross_call.h:
smp/cpumask.h:
smp/percpu.h:
smp/smp.h:
