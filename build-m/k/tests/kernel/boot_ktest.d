build-m/k/tests/kernel/boot_ktest.o: tests/kernel/boot_ktest.c \
 arch/x86_64/cpu.h arch/x86_64/cpufeature.h arch/x86_64/tsc.h \
 include/flushlab/boot_info.h include/flushlab/layout.h \
 kernel/backtrace.h kernel/boot.h kernel/ktest.h lib/kernel.h \
 kernel/platform.h lib/string.h mm/mm.h mm/efi_memmap.h
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/tsc.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/backtrace.h:
kernel/boot.h:
kernel/ktest.h:
lib/kernel.h:
kernel/platform.h:
lib/string.h:
mm/mm.h:
mm/efi_memmap.h:
