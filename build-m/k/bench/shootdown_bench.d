build-m/k/bench/shootdown_bench.o: bench/shootdown_bench.c \
 arch/x86_64/cpu.h include/flushlab/layout.h arch/x86_64/tsc.h \
 bench/bench.h lib/kernel.h smp/tlbflush.h smp/shootdown.h smp/cpumask.h \
 smp/percpu.h kernel/platform.h
arch/x86_64/cpu.h:
include/flushlab/layout.h:
arch/x86_64/tsc.h:
bench/bench.h:
lib/kernel.h:
smp/tlbflush.h:
smp/shootdown.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
