build-m/k/task/khugepaged_thread.o: task/khugepaged_thread.c lib/kernel.h \
 mm/khugepaged.h task/khugepaged_thread.h task/kthread.h task/sched.h
lib/kernel.h:
mm/khugepaged.h:
task/khugepaged_thread.h:
task/kthread.h:
task/sched.h:
