build-m/k/bench/buddy_bench.o: bench/buddy_bench.c arch/x86_64/cpu.h \
 arch/x86_64/tsc.h bench/bench.h lib/kernel.h mm/page_alloc.h \
 kernel/spinlock.h mm/gfp.h mm/list.h mm/page.h include/flushlab/layout.h
arch/x86_64/cpu.h:
arch/x86_64/tsc.h:
bench/bench.h:
lib/kernel.h:
mm/page_alloc.h:
kernel/spinlock.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
