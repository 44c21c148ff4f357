build-m/u/user/ctxswitch.o: user/ctxswitch.c user/include/syscall.h \
 user/workload.h user/include/ulib.h mm/mman.h
user/include/syscall.h:
user/workload.h:
user/include/ulib.h:
mm/mman.h:
