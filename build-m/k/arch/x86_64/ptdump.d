build-m/k/arch/x86_64/ptdump.o: arch/x86_64/ptdump.c \
 arch/x86_64/pgtable.h include/flushlab/boot_info.h \
 include/flushlab/layout.h arch/x86_64/ptdump.h kernel/pseudofs.h \
 lib/kernel.h
arch/x86_64/pgtable.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
arch/x86_64/ptdump.h:
kernel/pseudofs.h:
lib/kernel.h:
