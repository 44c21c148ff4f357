build-m/k/arch/x86_64/tlb.o: arch/x86_64/tlb.c arch/x86_64/cpu.h \
 arch/x86_64/cpufeature.h arch/x86_64/tlb.h lib/kernel.h
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/tlb.h:
lib/kernel.h:
