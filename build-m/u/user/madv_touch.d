build-m/u/user/madv_touch.o: user/madv_touch.c user/workload.h \
 user/include/ulib.h mm/mman.h
user/workload.h:
user/include/ulib.h:
mm/mman.h:
