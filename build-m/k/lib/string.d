build-m/k/lib/string.o: lib/string.c lib/string.h
lib/string.h:
