build-m/k/arch/x86_64/traps.o: arch/x86_64/traps.c arch/x86_64/traps.h \
 arch/x86_64/cpu.h arch/x86_64/gdt.h arch/x86_64/lapic.h \
 arch/x86_64/mce.h arch/x86_64/tsc.h arch/x86_64/syscall.h \
 kernel/backtrace.h kernel/platform.h lib/kernel.h
arch/x86_64/traps.h:
arch/x86_64/cpu.h:
arch/x86_64/gdt.h:
arch/x86_64/lapic.h:
arch/x86_64/mce.h:
arch/x86_64/tsc.h:
arch/x86_64/syscall.h:
kernel/backtrace.h:
kernel/platform.h:
lib/kernel.h:
