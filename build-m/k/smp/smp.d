build-m/k/smp/smp.o: smp/smp.c smp/smp.h smp/cpumask.h smp/percpu.h \
 kernel/platform.h lib/kernel.h arch/x86_64/acpi.h arch/x86_64/cpu.h \
 arch/x86_64/gdt.h arch/x86_64/lapic.h arch/x86_64/mce.h \
 arch/x86_64/traps.h arch/x86_64/tsc.h include/flushlab/boot_info.h \
 include/flushlab/layout.h kernel/boot.h kernel/trace.h lib/errno.h \
 mm/mm.h mm/efi_memmap.h mm/page_alloc.h kernel/spinlock.h mm/gfp.h \
 mm/list.h mm/page.h smp/cross_call.h smp/shootdown.h smp/smp_priv.h
smp/smp.h:
smp/cpumask.h:
smp/percpu.h:
kernel/platform.h:
lib/kernel.h:
arch/x86_64/acpi.h:
arch/x86_64/cpu.h:
arch/x86_64/gdt.h:
arch/x86_64/lapic.h:
arch/x86_64/mce.h:
arch/x86_64/traps.h:
arch/x86_64/tsc.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/boot.h:
kernel/trace.h:
lib/errno.h:
mm/mm.h:
mm/efi_memmap.h:
mm/page_alloc.h:
kernel/spinlock.h:
mm/gfp.h:
mm/list.h:
mm/page.h:
smp/cross_call.h:
smp/shootdown.h:
smp/smp_priv.h:
