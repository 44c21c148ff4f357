build-m/k/arch/x86_64/ioremap.o: arch/x86_64/ioremap.c \
 arch/x86_64/ioremap.h arch/x86_64/cpu.h arch/x86_64/pgtable.h \
 include/flushlab/boot_info.h include/flushlab/layout.h kernel/spinlock.h \
 lib/kernel.h mm/mmu.h
arch/x86_64/ioremap.h:
arch/x86_64/cpu.h:
arch/x86_64/pgtable.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/spinlock.h:
lib/kernel.h:
mm/mmu.h:
