build-m/u/user/badcalls.o: user/badcalls.c user/include/syscall.h \
 user/include/ulib.h mm/mman.h
user/include/syscall.h:
user/include/ulib.h:
mm/mman.h:
