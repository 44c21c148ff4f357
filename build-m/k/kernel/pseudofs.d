build-m/k/kernel/pseudofs.o: kernel/pseudofs.c kernel/pseudofs.h \
 lib/kernel.h lib/errno.h lib/string.h
kernel/pseudofs.h:
lib/kernel.h:
lib/errno.h:
lib/string.h:
