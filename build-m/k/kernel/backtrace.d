build-m/k/kernel/backtrace.o: kernel/backtrace.c kernel/backtrace.h \
 include/flushlab/boot_info.h include/flushlab/layout.h \
 include/flushlab/elf64.h lib/kernel.h
kernel/backtrace.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
include/flushlab/elf64.h:
lib/kernel.h:
