build-m/k/kernel/seq_buf_mem.o: kernel/seq_buf_mem.c kernel/pseudofs.h \
 lib/kernel.h mm/page.h include/flushlab/layout.h mm/gfp.h mm/list.h \
 mm/page_alloc.h kernel/spinlock.h arch/x86_64/cpu.h
kernel/pseudofs.h:
lib/kernel.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/list.h:
mm/page_alloc.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
