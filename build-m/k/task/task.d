build-m/k/task/task.o: task/task.c task/task.h arch/x86_64/traps.h \
 kernel/pseudofs.h lib/kernel.h smp/percpu.h kernel/platform.h \
 arch/x86_64/cpu.h arch/x86_64/uaccess.h mm/mm_user.h mm/mman.h \
 kernel/spinlock.h lib/errno.h lib/string.h mm/page_alloc.h mm/gfp.h \
 mm/list.h mm/page.h include/flushlab/layout.h smp/tlbflush.h \
 smp/cpumask.h smp/smp.h task/exec.h task/file.h task/futex.h \
 task/sched.h task/task_priv.h
task/task.h:
arch/x86_64/traps.h:
kernel/pseudofs.h:
lib/kernel.h:
smp/percpu.h:
kernel/platform.h:
arch/x86_64/cpu.h:
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
kernel/spinlock.h:
lib/errno.h:
lib/string.h:
mm/page_alloc.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
smp/tlbflush.h:
smp/cpumask.h:
smp/smp.h:
task/exec.h:
task/file.h:
task/futex.h:
task/sched.h:
task/task_priv.h:
