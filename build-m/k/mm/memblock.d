build-m/k/mm/memblock.o: mm/memblock.c mm/memblock.h mm/gfp.h mm/page.h \
 include/flushlab/layout.h mm/list.h lib/errno.h lib/kernel.h \
 lib/string.h mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h
mm/memblock.h:
mm/gfp.h:
mm/page.h:
include/flushlab/layout.h:
mm/list.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
