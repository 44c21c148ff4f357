build-m/k/arch/x86_64/cpuinfo.o: arch/x86_64/cpuinfo.c \
 arch/x86_64/cpufeature.h arch/x86_64/tsc.h kernel/procfs.h \
 kernel/pseudofs.h lib/kernel.h smp/smp.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h
arch/x86_64/cpufeature.h:
arch/x86_64/tsc.h:
kernel/procfs.h:
kernel/pseudofs.h:
lib/kernel.h:
smp/smp.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
