build-m/u/user/lib/printf.o: user/lib/printf.c user/include/ulib.h \
 mm/mman.h
user/include/ulib.h:
mm/mman.h:
