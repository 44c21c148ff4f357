build-m/u/user/munmap_lat.o: user/munmap_lat.c user/workload.h \
 user/include/ulib.h mm/mman.h
user/workload.h:
user/include/ulib.h:
mm/mman.h:
