build-m/k/kernel/program.o: kernel/program.c kernel/pseudofs.h \
 lib/kernel.h kernel/shell.h lib/errno.h lib/kstrtox.h lib/string.h \
 task/ramfs.h task/task.h arch/x86_64/traps.h smp/percpu.h \
 kernel/platform.h
kernel/pseudofs.h:
lib/kernel.h:
kernel/shell.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
task/ramfs.h:
task/task.h:
arch/x86_64/traps.h:
smp/percpu.h:
kernel/platform.h:
