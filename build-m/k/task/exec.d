build-m/k/task/exec.o: task/exec.c task/exec.h arch/x86_64/cpu.h \
 arch/x86_64/gdt.h arch/x86_64/uaccess.h mm/mm_user.h mm/mman.h \
 include/flushlab/elf64.h lib/errno.h lib/kernel.h lib/string.h \
 mm/page_alloc.h kernel/spinlock.h mm/gfp.h mm/list.h mm/page.h \
 include/flushlab/layout.h task/task.h arch/x86_64/traps.h \
 kernel/pseudofs.h smp/percpu.h kernel/platform.h
task/exec.h:
arch/x86_64/cpu.h:
arch/x86_64/gdt.h:
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
include/flushlab/elf64.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/page_alloc.h:
kernel/spinlock.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
include/flushlab/layout.h:
task/task.h:
arch/x86_64/traps.h:
kernel/pseudofs.h:
smp/percpu.h:
kernel/platform.h:
