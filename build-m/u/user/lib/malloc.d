build-m/u/user/lib/malloc.o: user/lib/malloc.c user/include/ulib.h \
 mm/mman.h
user/include/ulib.h:
mm/mman.h:
