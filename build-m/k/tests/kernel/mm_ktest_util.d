build-m/k/tests/kernel/mm_ktest_util.o: tests/kernel/mm_ktest_util.c \
 lib/kernel.h smp/tlbflush.h tests/kernel/mm_ktest_util.h
lib/kernel.h:
smp/tlbflush.h:
tests/kernel/mm_ktest_util.h:
