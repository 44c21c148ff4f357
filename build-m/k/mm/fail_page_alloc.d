build-m/k/mm/fail_page_alloc.o: mm/fail_page_alloc.c mm/fail_page_alloc.h \
 mm/gfp.h kernel/spinlock.h arch/x86_64/cpu.h lib/errno.h lib/kernel.h \
 lib/string.h
mm/fail_page_alloc.h:
mm/gfp.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
