build-m/k/mm/page_alloc.o: mm/page_alloc.c mm/page_alloc.h \
 kernel/spinlock.h arch/x86_64/cpu.h mm/gfp.h mm/list.h mm/page.h \
 include/flushlab/layout.h lib/kernel.h lib/string.h mm/fail_page_alloc.h \
 mm/page_alloc_priv.h
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
lib/kernel.h:
lib/string.h:
mm/fail_page_alloc.h:
mm/page_alloc_priv.h:
