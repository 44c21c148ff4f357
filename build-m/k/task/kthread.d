build-m/k/task/kthread.o: task/kthread.c task/kthread.h arch/x86_64/cpu.h \
 arch/x86_64/syscall.h arch/x86_64/traps.h kernel/platform.h lib/kernel.h \
 kernel/spinlock.h lib/errno.h lib/string.h task/sched.h task/task.h \
 kernel/pseudofs.h smp/percpu.h task/task_priv.h
task/kthread.h:
arch/x86_64/cpu.h:
arch/x86_64/syscall.h:
arch/x86_64/traps.h:
kernel/platform.h:
lib/kernel.h:
kernel/spinlock.h:
lib/errno.h:
lib/string.h:
task/sched.h:
task/task.h:
kernel/pseudofs.h:
smp/percpu.h:
task/task_priv.h:
