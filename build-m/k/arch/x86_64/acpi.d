build-m/k/arch/x86_64/acpi.o: arch/x86_64/acpi.c arch/x86_64/acpi.h \
 arch/x86_64/ioremap.h include/flushlab/boot_info.h \
 include/flushlab/layout.h kernel/boot.h lib/errno.h lib/kernel.h \
 lib/string.h
arch/x86_64/acpi.h:
arch/x86_64/ioremap.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/boot.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
