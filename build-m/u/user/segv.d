build-m/u/user/segv.o: user/segv.c user/include/ulib.h mm/mman.h
user/include/ulib.h:
mm/mman.h:
