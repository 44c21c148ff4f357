build-m/k/arch/x86_64/syscall.o: arch/x86_64/syscall.c \
 arch/x86_64/syscall.h arch/x86_64/traps.h arch/x86_64/cpu.h \
 arch/x86_64/gdt.h smp/percpu.h kernel/platform.h lib/kernel.h
arch/x86_64/syscall.h:
arch/x86_64/traps.h:
arch/x86_64/cpu.h:
arch/x86_64/gdt.h:
smp/percpu.h:
kernel/platform.h:
lib/kernel.h:
