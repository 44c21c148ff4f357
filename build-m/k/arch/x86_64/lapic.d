build-m/k/arch/x86_64/lapic.o: arch/x86_64/lapic.c arch/x86_64/lapic.h \
 arch/x86_64/cpu.h arch/x86_64/cpufeature.h arch/x86_64/ioremap.h \
 arch/x86_64/tsc.h include/flushlab/boot_info.h include/flushlab/layout.h \
 lib/kernel.h
arch/x86_64/lapic.h:
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/ioremap.h:
arch/x86_64/tsc.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
lib/kernel.h:
