build-m/k/tests/kernel/task_ktest.o: tests/kernel/task_ktest.c \
 arch/x86_64/cpu.h arch/x86_64/gdt.h arch/x86_64/syscall.h \
 arch/x86_64/traps.h arch/x86_64/uaccess.h mm/mm_user.h mm/mman.h \
 include/flushlab/elf64.h kernel/ktest.h lib/kernel.h kernel/platform.h \
 lib/errno.h lib/string.h mm/page_alloc.h kernel/spinlock.h mm/gfp.h \
 mm/list.h mm/page.h include/flushlab/layout.h task/file.h smp/smp.h \
 smp/cpumask.h smp/percpu.h task/ramfs.h task/task.h kernel/pseudofs.h
arch/x86_64/cpu.h:
arch/x86_64/gdt.h:
arch/x86_64/syscall.h:
arch/x86_64/traps.h:
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
include/flushlab/elf64.h:
kernel/ktest.h:
lib/kernel.h:
kernel/platform.h:
lib/errno.h:
lib/string.h:
mm/page_alloc.h:
kernel/spinlock.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
task/file.h:
smp/smp.h:
smp/cpumask.h:
smp/percpu.h:
task/ramfs.h:
task/task.h:
kernel/pseudofs.h:
