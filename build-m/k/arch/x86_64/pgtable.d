build-m/k/arch/x86_64/pgtable.o: arch/x86_64/pgtable.c arch/x86_64/cpu.h \
 arch/x86_64/cpufeature.h arch/x86_64/pgtable.h \
 include/flushlab/boot_info.h include/flushlab/layout.h kernel/spinlock.h \
 lib/errno.h lib/kernel.h mm/mmu.h mm/pgtable_alloc.h
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/pgtable.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/spinlock.h:
lib/errno.h:
lib/kernel.h:
mm/mmu.h:
mm/pgtable_alloc.h:
