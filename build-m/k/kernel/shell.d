build-m/k/kernel/shell.o: kernel/shell.c kernel/shell.h lib/kernel.h \
 kernel/line_editor.h kernel/platform.h kernel/pseudofs.h lib/errno.h \
 lib/string.h
kernel/shell.h:
lib/kernel.h:
kernel/line_editor.h:
kernel/platform.h:
kernel/pseudofs.h:
lib/errno.h:
lib/string.h:
