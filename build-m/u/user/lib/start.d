build-m/u/user/lib/start.o: user/lib/start.c user/include/ulib.h \
 mm/mman.h
user/include/ulib.h:
mm/mman.h:
