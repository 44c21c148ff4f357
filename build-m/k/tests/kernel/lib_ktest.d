build-m/k/tests/kernel/lib_ktest.o: tests/kernel/lib_ktest.c \
 kernel/ktest.h lib/kernel.h lib/errno.h lib/kstrtox.h lib/string.h
kernel/ktest.h:
lib/kernel.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
