build-m/k/tests/kernel/directmap_ktest.o: tests/kernel/directmap_ktest.c \
 arch/x86_64/acpi.h arch/x86_64/cpu.h arch/x86_64/cpufeature.h \
 arch/x86_64/ioremap.h arch/x86_64/lapic.h include/flushlab/layout.h \
 include/flushlab/boot_info.h kernel/boot.h kernel/ktest.h lib/kernel.h \
 lib/errno.h mm/efi_memmap.h mm/mmu.h
arch/x86_64/acpi.h:
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/ioremap.h:
arch/x86_64/lapic.h:
include/flushlab/layout.h:
include/flushlab/boot_info.h:
kernel/boot.h:
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
mm/efi_memmap.h:
mm/mmu.h:
