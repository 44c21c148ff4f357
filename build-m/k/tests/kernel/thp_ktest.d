build-m/k/tests/kernel/thp_ktest.o: tests/kernel/thp_ktest.c \
 kernel/ktest.h lib/kernel.h lib/errno.h lib/string.h \
 mm/fail_page_alloc.h mm/gfp.h mm/huge_memory.h mm/mmu.h \
 include/flushlab/layout.h mm/mm_types.h kernel/spinlock.h \
 arch/x86_64/cpu.h mm/list.h mm/vma.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h mm/mm_user.h mm/mman.h mm/page_alloc.h mm/page.h \
 smp/tlbflush.h smp/cross_call.h smp/smp.h tests/kernel/mm_ktest_util.h
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
mm/fail_page_alloc.h:
mm/gfp.h:
mm/huge_memory.h:
mm/mmu.h:
include/flushlab/layout.h:
mm/mm_types.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
mm/list.h:
mm/vma.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
mm/mm_user.h:
mm/mman.h:
mm/page_alloc.h:
mm/page.h:
smp/tlbflush.h:
smp/cross_call.h:
smp/smp.h:
tests/kernel/mm_ktest_util.h:
