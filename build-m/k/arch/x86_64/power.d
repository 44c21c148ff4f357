build-m/k/arch/x86_64/power.o: arch/x86_64/power.c arch/x86_64/cpu.h \
 kernel/platform.h lib/kernel.h
arch/x86_64/cpu.h:
kernel/platform.h:
lib/kernel.h:
