build-m/k/bench/bench.o: bench/bench.c arch/x86_64/cpufeature.h \
 bench/bench.h lib/kernel.h kernel/shell.h lib/kstrtox.h lib/string.h \
 smp/smp.h smp/cpumask.h smp/percpu.h kernel/platform.h
arch/x86_64/cpufeature.h:
bench/bench.h:
lib/kernel.h:
kernel/shell.h:
lib/kstrtox.h:
lib/string.h:
smp/smp.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
