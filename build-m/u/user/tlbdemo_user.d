build-m/u/user/tlbdemo_user.o: user/tlbdemo_user.c user/workload.h \
 user/include/ulib.h mm/mman.h
user/workload.h:
user/include/ulib.h:
mm/mman.h:
