build-m/k/task/syscall.o: task/syscall.c arch/x86_64/cpu.h \
 arch/x86_64/syscall.h arch/x86_64/traps.h arch/x86_64/uaccess.h \
 mm/mm_user.h mm/mman.h kernel/platform.h lib/kernel.h kernel/pseudofs.h \
 lib/errno.h lib/string.h smp/cpumask.h smp/percpu.h task/file.h \
 task/futex.h task/sched.h task/task.h task/task_priv.h
arch/x86_64/cpu.h:
arch/x86_64/syscall.h:
arch/x86_64/traps.h:
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
kernel/platform.h:
lib/kernel.h:
kernel/pseudofs.h:
lib/errno.h:
lib/string.h:
smp/cpumask.h:
smp/percpu.h:
task/file.h:
task/futex.h:
task/sched.h:
task/task.h:
task/task_priv.h:
