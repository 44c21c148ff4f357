build-m/k/arch/x86_64/uaccess.o: arch/x86_64/uaccess.c \
 arch/x86_64/uaccess.h mm/mm_user.h mm/mman.h arch/x86_64/cpu.h \
 lib/errno.h
arch/x86_64/uaccess.h:
mm/mm_user.h:
mm/mman.h:
arch/x86_64/cpu.h:
lib/errno.h:
