build-m/k/task/clone.o: task/clone.c arch/x86_64/cpu.h \
 arch/x86_64/uaccess.h mm/mm_user.h mm/mman.h lib/errno.h \
 task/clone_flags.h task/sched.h task/task.h arch/x86_64/traps.h \
 kernel/pseudofs.h lib/kernel.h smp/percpu.h kernel/platform.h \
 task/task_priv.h
arch/x86_64/cpu.h:
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
lib/errno.h:
task/clone_flags.h:
task/sched.h:
task/task.h:
arch/x86_64/traps.h:
kernel/pseudofs.h:
lib/kernel.h:
smp/percpu.h:
kernel/platform.h:
task/task_priv.h:
