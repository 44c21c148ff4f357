build-m/k/smp/percpu.o: smp/percpu.c smp/percpu.h kernel/platform.h \
 lib/kernel.h arch/x86_64/cpu.h
smp/percpu.h:
kernel/platform.h:
lib/kernel.h:
arch/x86_64/cpu.h:
