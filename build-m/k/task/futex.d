build-m/k/task/futex.o: task/futex.c task/futex.h arch/x86_64/uaccess.h \
 mm/mm_user.h mm/mman.h kernel/spinlock.h arch/x86_64/cpu.h lib/errno.h \
 task/sched.h task/task.h arch/x86_64/traps.h kernel/pseudofs.h \
 lib/kernel.h smp/percpu.h kernel/platform.h
task/futex.h:
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
lib/errno.h:
task/sched.h:
task/task.h:
arch/x86_64/traps.h:
kernel/pseudofs.h:
lib/kernel.h:
smp/percpu.h:
kernel/platform.h:
