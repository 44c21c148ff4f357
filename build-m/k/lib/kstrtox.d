build-m/k/lib/kstrtox.o: lib/kstrtox.c lib/errno.h lib/kernel.h \
 lib/kstrtox.h
lib/errno.h:
lib/kernel.h:
lib/kstrtox.h:
