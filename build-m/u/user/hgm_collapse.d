build-m/u/user/hgm_collapse.o: user/hgm_collapse.c user/workload.h \
 user/include/ulib.h mm/mman.h
user/workload.h:
user/include/ulib.h:
mm/mman.h:
