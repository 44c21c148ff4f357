build-m/k/bench/devdax_bench.o: bench/devdax_bench.c arch/x86_64/cpu.h \
 arch/x86_64/tsc.h bench/bench.h lib/kernel.h kernel/shell.h lib/errno.h \
 lib/kstrtox.h lib/string.h mm/devmem.h smp/tlbflush.h
arch/x86_64/cpu.h:
arch/x86_64/tsc.h:
bench/bench.h:
lib/kernel.h:
kernel/shell.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
mm/devmem.h:
smp/tlbflush.h:
