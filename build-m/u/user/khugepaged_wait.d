build-m/u/user/khugepaged_wait.o: user/khugepaged_wait.c user/workload.h \
 user/include/ulib.h mm/mman.h
user/workload.h:
user/include/ulib.h:
mm/mman.h:
