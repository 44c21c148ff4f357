build-m/k/task/initramfs.o: task/initramfs.c include/flushlab/boot_info.h \
 include/flushlab/layout.h lib/errno.h lib/kernel.h lib/string.h \
 task/ramfs.h
include/flushlab/boot_info.h:
include/flushlab/layout.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
task/ramfs.h:
