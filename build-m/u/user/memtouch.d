build-m/u/user/memtouch.o: user/memtouch.c user/include/ulib.h mm/mman.h
user/include/ulib.h:
mm/mman.h:
