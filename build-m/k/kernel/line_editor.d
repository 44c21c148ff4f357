build-m/k/kernel/line_editor.o: kernel/line_editor.c kernel/line_editor.h \
 kernel/shell.h lib/kernel.h kernel/platform.h lib/string.h
kernel/line_editor.h:
kernel/shell.h:
lib/kernel.h:
kernel/platform.h:
lib/string.h:
