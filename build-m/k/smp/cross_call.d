build-m/k/smp/cross_call.o: smp/cross_call.c smp/cross_call.h \
 smp/cpumask.h smp/percpu.h kernel/platform.h lib/kernel.h \
 arch/x86_64/cpu.h arch/x86_64/lapic.h arch/x86_64/traps.h kernel/trace.h \
 lib/errno.h smp/shootdown.h smp/smp.h
smp/cross_call.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
lib/kernel.h:
arch/x86_64/cpu.h:
arch/x86_64/lapic.h:
arch/x86_64/traps.h:
kernel/trace.h:
lib/errno.h:
smp/shootdown.h:
smp/smp.h:
