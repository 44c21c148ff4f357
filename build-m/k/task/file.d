build-m/k/task/file.o: task/file.c task/file.h arch/x86_64/uaccess.h \
 mm/mm_user.h mm/mman.h kernel/platform.h lib/kernel.h kernel/pseudofs.h \
 kernel/spinlock.h arch/x86_64/cpu.h lib/errno.h lib/string.h \
 mm/page_alloc.h mm/gfp.h mm/list.h mm/page.h include/flushlab/layout.h \
 task/ramfs.h task/task.h arch/x86_64/traps.h smp/percpu.h
task/file.h:
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
kernel/platform.h:
lib/kernel.h:
kernel/pseudofs.h:
kernel/spinlock.h:
arch/x86_64/cpu.h:
lib/errno.h:
lib/string.h:
mm/page_alloc.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
task/ramfs.h:
task/task.h:
arch/x86_64/traps.h:
smp/percpu.h:
