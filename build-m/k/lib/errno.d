build-m/k/lib/errno.o: lib/errno.c lib/errno.h
lib/errno.h:
