build-m/k/tests/kernel/pseudofs_ktest.o: tests/kernel/pseudofs_ktest.c \
 kernel/ktest.h lib/kernel.h kernel/pseudofs.h lib/errno.h lib/string.h \
 mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h mm/gfp.h mm/list.h \
 mm/page.h include/flushlab/layout.h
kernel/ktest.h:
lib/kernel.h:
kernel/pseudofs.h:
lib/errno.h:
lib/string.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
