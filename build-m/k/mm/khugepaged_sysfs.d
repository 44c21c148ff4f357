build-m/k/mm/khugepaged_sysfs.o: mm/khugepaged_sysfs.c kernel/pseudofs.h \
 lib/kernel.h lib/errno.h lib/kstrtox.h mm/khugepaged.h mm/mmu.h \
 include/flushlab/layout.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/kstrtox.h:
mm/khugepaged.h:
mm/mmu.h:
include/flushlab/layout.h:
