build-m/k/tests/kernel/nfit_ktest.o: tests/kernel/nfit_ktest.c \
 arch/x86_64/nfit.h kernel/ktest.h lib/kernel.h lib/errno.h lib/string.h
arch/x86_64/nfit.h:
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
