build-m/k/mm/vma.o: mm/vma.c lib/errno.h mm/mm_user.h mm/mman.h mm/vma.h \
 mm/list.h
lib/errno.h:
mm/mm_user.h:
mm/mman.h:
mm/vma.h:
mm/list.h:
