build-m/k/arch/x86_64/nfit.o: arch/x86_64/nfit.c arch/x86_64/acpi.h \
 arch/x86_64/nfit.h lib/errno.h lib/kernel.h lib/string.h mm/devmem.h
arch/x86_64/acpi.h:
arch/x86_64/nfit.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/devmem.h:
