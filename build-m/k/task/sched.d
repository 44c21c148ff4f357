build-m/k/task/sched.o: task/sched.c task/sched.h arch/x86_64/cpu.h \
 arch/x86_64/gdt.h arch/x86_64/syscall.h arch/x86_64/traps.h \
 kernel/spinlock.h lib/string.h smp/tlbflush.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h lib/kernel.h smp/smp.h task/task.h kernel/pseudofs.h \
 task/task_priv.h
task/sched.h:
arch/x86_64/cpu.h:
arch/x86_64/gdt.h:
arch/x86_64/syscall.h:
arch/x86_64/traps.h:
kernel/spinlock.h:
lib/string.h:
smp/tlbflush.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
lib/kernel.h:
smp/smp.h:
task/task.h:
kernel/pseudofs.h:
task/task_priv.h:
