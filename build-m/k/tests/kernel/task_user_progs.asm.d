build-m/k/tests/kernel/task_user_progs.asm.o : \
  tests/kernel/task_user_progs.asm

tests/kernel/task_user_progs.asm :

