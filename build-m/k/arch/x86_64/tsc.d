build-m/k/arch/x86_64/tsc.o: arch/x86_64/tsc.c arch/x86_64/tsc.h \
 arch/x86_64/acpi.h arch/x86_64/cpu.h arch/x86_64/cpufeature.h \
 kernel/platform.h lib/kernel.h lib/string.h
arch/x86_64/tsc.h:
arch/x86_64/acpi.h:
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
kernel/platform.h:
lib/kernel.h:
lib/string.h:
