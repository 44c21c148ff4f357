build-m/k/kernel/ktest.o: kernel/ktest.c kernel/ktest.h lib/kernel.h \
 lib/string.h mm/fail_page_alloc.h mm/gfp.h
kernel/ktest.h:
lib/kernel.h:
lib/string.h:
mm/fail_page_alloc.h:
mm/gfp.h:
