build-m/u/user/lib/thread.o: user/lib/thread.c user/include/syscall.h \
 user/include/ulib.h mm/mman.h task/clone_flags.h
user/include/syscall.h:
user/include/ulib.h:
mm/mman.h:
task/clone_flags.h:
