build-m/k/task/ramfs_pseudofs.o: task/ramfs_pseudofs.c kernel/pseudofs.h \
 lib/kernel.h lib/errno.h lib/string.h task/ramfs.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
task/ramfs.h:
