build-m/u/user/rtcheck.o: user/rtcheck.c user/include/ulib.h mm/mman.h
user/include/ulib.h:
mm/mman.h:
