build-m/u/user/thp_split.o: user/thp_split.c user/workload.h \
 user/include/ulib.h mm/mman.h
user/workload.h:
user/include/ulib.h:
mm/mman.h:
