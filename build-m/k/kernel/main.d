build-m/k/kernel/main.o: kernel/main.c arch/x86_64/acpi.h \
 arch/x86_64/cpu.h arch/x86_64/cpufeature.h arch/x86_64/gdt.h \
 arch/x86_64/irqchip.h arch/x86_64/mce.h arch/x86_64/nfit.h \
 arch/x86_64/serial.h arch/x86_64/traps.h arch/x86_64/tsc.h \
 include/flushlab/boot_info.h include/flushlab/layout.h \
 kernel/backtrace.h kernel/boot.h kernel/platform.h lib/kernel.h \
 kernel/shell.h lib/string.h smp/smp.h smp/cpumask.h smp/percpu.h \
 smp/tlbflush.h task/khugepaged_thread.h task/ramfs.h task/task.h \
 kernel/pseudofs.h
arch/x86_64/acpi.h:
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/gdt.h:
arch/x86_64/irqchip.h:
arch/x86_64/mce.h:
arch/x86_64/nfit.h:
arch/x86_64/serial.h:
arch/x86_64/traps.h:
arch/x86_64/tsc.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/backtrace.h:
kernel/boot.h:
kernel/platform.h:
lib/kernel.h:
kernel/shell.h:
lib/string.h:
smp/smp.h:
smp/cpumask.h:
smp/percpu.h:
smp/tlbflush.h:
task/khugepaged_thread.h:
task/ramfs.h:
task/task.h:
kernel/pseudofs.h:
