build-m/k/arch/x86_64/pgtable_user.o: arch/x86_64/pgtable_user.c \
 arch/x86_64/cpu.h arch/x86_64/cpufeature.h arch/x86_64/pgtable.h \
 include/flushlab/boot_info.h include/flushlab/layout.h lib/errno.h \
 lib/kernel.h lib/string.h mm/mm_user.h mm/mman.h mm/mmu.h mm/page.h \
 mm/gfp.h mm/list.h mm/pgtable_alloc.h arch/x86_64/pgtable_user_priv.h
arch/x86_64/cpu.h:
arch/x86_64/cpufeature.h:
arch/x86_64/pgtable.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
lib/errno.h:
lib/kernel.h:
lib/string.h:
mm/mm_user.h:
mm/mman.h:
mm/mmu.h:
mm/page.h:
mm/gfp.h:
mm/list.h:
mm/pgtable_alloc.h:
arch/x86_64/pgtable_user_priv.h:
