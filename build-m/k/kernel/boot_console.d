build-m/k/kernel/boot_console.o: kernel/boot_console.c arch/x86_64/cpu.h \
 arch/x86_64/ptdump.h arch/x86_64/pgtable.h include/flushlab/boot_info.h \
 include/flushlab/layout.h kernel/pseudofs.h lib/kernel.h \
 arch/x86_64/serial.h kernel/boot.h kernel/platform.h kernel/shell.h \
 kernel/procfs.h kernel/trace.h mm/devmem.h mm/hugetlb_mapcount.h \
 mm/mmu.h mm/page.h mm/gfp.h mm/list.h mm/hugetlb_vmemmap.h task/sched.h \
 task/ramfs.h
arch/x86_64/cpu.h:
arch/x86_64/ptdump.h:
arch/x86_64/pgtable.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/pseudofs.h:
lib/kernel.h:
arch/x86_64/serial.h:
kernel/boot.h:
kernel/platform.h:
kernel/shell.h:
kernel/procfs.h:
kernel/trace.h:
mm/devmem.h:
mm/hugetlb_mapcount.h:
mm/mmu.h:
mm/page.h:
mm/gfp.h:
mm/list.h:
mm/hugetlb_vmemmap.h:
task/sched.h:
task/ramfs.h:
