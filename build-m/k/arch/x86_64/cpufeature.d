build-m/k/arch/x86_64/cpufeature.o: arch/x86_64/cpufeature.c \
 arch/x86_64/cpufeature.h arch/x86_64/cpu.h lib/kernel.h lib/string.h
arch/x86_64/cpufeature.h:
arch/x86_64/cpu.h:
lib/kernel.h:
lib/string.h:
