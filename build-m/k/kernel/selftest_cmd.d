build-m/k/kernel/selftest_cmd.o: kernel/selftest_cmd.c arch/x86_64/cpu.h \
 arch/x86_64/lapic.h kernel/ktest.h lib/kernel.h kernel/shell.h \
 lib/string.h
arch/x86_64/cpu.h:
arch/x86_64/lapic.h:
kernel/ktest.h:
lib/kernel.h:
kernel/shell.h:
lib/string.h:
