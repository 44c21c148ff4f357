build-m/k/mm/huge_memory_sysfs.o: mm/huge_memory_sysfs.c \
 kernel/pseudofs.h lib/kernel.h lib/errno.h lib/string.h mm/huge_memory.h \
 mm/mmu.h include/flushlab/layout.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
