build-m/k/kernel/printk.o: kernel/printk.c arch/x86_64/cpu.h \
 arch/x86_64/serial.h kernel/backtrace.h kernel/platform.h lib/kernel.h
arch/x86_64/cpu.h:
arch/x86_64/serial.h:
kernel/backtrace.h:
kernel/platform.h:
lib/kernel.h:
