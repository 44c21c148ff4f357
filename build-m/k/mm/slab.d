build-m/k/mm/slab.o: mm/slab.c lib/kernel.h lib/string.h \
 mm/fail_page_alloc.h mm/gfp.h mm/page_alloc.h kernel/spinlock.h \
 arch/x86_64/cpu.h mm/list.h mm/page.h include/flushlab/layout.h \
 mm/slab.h
lib/kernel.h:
lib/string.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/slab.h:
