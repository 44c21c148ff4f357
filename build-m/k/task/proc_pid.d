build-m/k/task/proc_pid.o: task/proc_pid.c kernel/pseudofs.h lib/kernel.h \
 lib/errno.h lib/string.h mm/mm_types.h kernel/spinlock.h \
 arch/x86_64/cpu.h mm/list.h mm/vma.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h mm/mm_user.h mm/mman.h mm/page_alloc.h mm/gfp.h \
 mm/page.h include/flushlab/layout.h task/task.h arch/x86_64/traps.h \
 task/task_priv.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
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
mm/gfp.h:
mm/page.h:
include/flushlab/layout.h:
task/task.h:
arch/x86_64/traps.h:
task/task_priv.h:
