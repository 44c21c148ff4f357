build-m/k/arch/x86_64/mce.o: arch/x86_64/mce.c arch/x86_64/mce.h \
 arch/x86_64/cpu.h arch/x86_64/cpufeature.h kernel/platform.h \
 lib/kernel.h lib/string.h
arch/x86_64/mce.h:
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
kernel/platform.h:
lib/kernel.h:
lib/string.h:
