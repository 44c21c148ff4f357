build-m/k/mm/pgtable_alloc.o: mm/pgtable_alloc.c lib/string.h \
 mm/memblock.h mm/gfp.h mm/page.h include/flushlab/layout.h mm/list.h \
 mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h mm/pgtable_alloc.h
lib/string.h:
mm/memblock.h:
mm/gfp.h:
mm/page.h:
include/flushlab/layout.h:
mm/list.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/pgtable_alloc.h:
