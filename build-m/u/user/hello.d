build-m/u/user/hello.o: user/hello.c user/include/ulib.h mm/mman.h
user/include/ulib.h:
mm/mman.h:
