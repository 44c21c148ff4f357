build-m/u/user/lib/string.o: user/lib/string.c user/include/ulib.h \
 mm/mman.h
user/include/ulib.h:
mm/mman.h:
