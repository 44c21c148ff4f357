build-m/k/mm/arena.o: mm/arena.c lib/errno.h lib/kernel.h \
 mm/page_alloc_priv.h mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h \
 mm/gfp.h mm/list.h mm/page.h include/flushlab/layout.h
lib/errno.h:
lib/kernel.h:
mm/page_alloc_priv.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
