build-m/k/kernel/trace_ring.o: kernel/trace_ring.c arch/x86_64/cpu.h \
 arch/x86_64/tsc.h kernel/trace_priv.h kernel/trace.h kernel/platform.h \
 lib/kernel.h kernel/trace_record.h lib/errno.h lib/string.h mm/gfp.h \
 mm/page.h include/flushlab/layout.h mm/list.h mm/page_alloc.h \
 kernel/spinlock.h smp/cross_call.h smp/cpumask.h smp/percpu.h smp/smp.h \
 task/task.h arch/x86_64/traps.h kernel/pseudofs.h
arch/x86_64/cpu.h:
arch/x86_64/tsc.h:
kernel/trace_priv.h:
kernel/trace.h:
kernel/platform.h:
lib/kernel.h:
kernel/trace_record.h:
lib/errno.h:
lib/string.h:
mm/gfp.h:
mm/page.h:
include/flushlab/layout.h:
mm/list.h:
mm/page_alloc.h:
kernel/spinlock.h:
smp/cross_call.h:
smp/cpumask.h:
smp/percpu.h:
smp/smp.h:
task/task.h:
arch/x86_64/traps.h:
kernel/pseudofs.h:
