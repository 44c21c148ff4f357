build-m/k/lib/vsprintf.o: lib/vsprintf.c lib/kernel.h lib/string.h
lib/kernel.h:
lib/string.h:
