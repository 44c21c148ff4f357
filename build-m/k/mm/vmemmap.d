build-m/k/mm/vmemmap.o: mm/vmemmap.c lib/errno.h lib/kernel.h \
 lib/string.h mm/memblock.h mm/gfp.h mm/page.h include/flushlab/layout.h \
 mm/list.h mm/mmu.h mm/vmemmap.h
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/memblock.h:
mm/gfp.h:
mm/page.h:
include/flushlab/layout.h:
mm/list.h:
mm/mmu.h:
mm/vmemmap.h:
