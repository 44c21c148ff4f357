build-m/k/bench/hugetlb_bench.o: bench/hugetlb_bench.c arch/x86_64/cpu.h \
 arch/x86_64/cpufeature.h arch/x86_64/tsc.h bench/bench.h lib/kernel.h \
 kernel/shell.h lib/string.h mm/hugetlb.h mm/list.h mm/page.h \
 include/flushlab/layout.h mm/gfp.h mm/hugetlb_vmemmap.h mm/page_alloc.h \
 kernel/spinlock.h smp/tlbflush.h
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/tsc.h:
bench/bench.h:
lib/kernel.h:
kernel/shell.h:
lib/string.h:
mm/hugetlb.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
mm/gfp.h:
mm/hugetlb_vmemmap.h:
mm/page_alloc.h:
kernel/spinlock.h:
smp/tlbflush.h:
