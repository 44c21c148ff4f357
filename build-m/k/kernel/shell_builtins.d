build-m/k/kernel/shell_builtins.o: kernel/shell_builtins.c \
 kernel/platform.h lib/kernel.h kernel/pseudofs.h kernel/shell.h \
 lib/errno.h lib/kstrtox.h lib/string.h
kernel/platform.h:
lib/kernel.h:
kernel/pseudofs.h:
kernel/shell.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
