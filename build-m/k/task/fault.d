build-m/k/task/fault.o: task/fault.c arch/x86_64/cpu.h \
 arch/x86_64/traps.h lib/errno.h mm/mm_user.h mm/mman.h task/task.h \
 kernel/pseudofs.h lib/kernel.h smp/percpu.h kernel/platform.h \
 task/task_priv.h
arch/x86_64/cpu.h:
arch/x86_64/traps.h:
lib/errno.h:
mm/mm_user.h:
mm/mman.h:
task/task.h:
kernel/pseudofs.h:
lib/kernel.h:
smp/percpu.h:
kernel/platform.h:
task/task_priv.h:
