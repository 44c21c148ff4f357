build-m/k/task/ramfs.o: task/ramfs.c lib/errno.h lib/kernel.h \
 lib/string.h task/ramfs.h
lib/errno.h:
lib/kernel.h:
lib/string.h:
task/ramfs.h:
