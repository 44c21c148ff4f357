build-m/u/user/lib/syscalls.o: user/lib/syscalls.c user/include/syscall.h \
 user/include/ulib.h mm/mman.h
user/include/syscall.h:
user/include/ulib.h:
mm/mman.h:
