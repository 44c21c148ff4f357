build-m/u/user/lib/util.o: user/lib/util.c user/include/syscall.h \
 user/include/ulib.h mm/mman.h
user/include/syscall.h:
user/include/ulib.h:
mm/mman.h:
