build-m/k/tests/kernel/tsc_ktest.o: tests/kernel/tsc_ktest.c \
 arch/x86_64/acpi.h arch/x86_64/cpu.h arch/x86_64/tsc.h kernel/ktest.h \
 lib/kernel.h lib/string.h
arch/x86_64/acpi.h:
arch/x86_64/cpu.h:
arch/x86_64/tsc.h:
kernel/ktest.h:
lib/kernel.h:
lib/string.h:
