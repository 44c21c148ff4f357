build-m/k/mm/contig_alloc.o: mm/contig_alloc.c lib/kernel.h \
 mm/fail_page_alloc.h mm/gfp.h mm/page_alloc_priv.h mm/page_alloc.h \
 kernel/spinlock.h arch/x86_64/cpu.h mm/list.h mm/page.h \
 include/flushlab/layout.h
lib/kernel.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/page_alloc_priv.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
