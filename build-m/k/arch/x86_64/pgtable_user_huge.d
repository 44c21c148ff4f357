build-m/k/arch/x86_64/pgtable_user_huge.o: \
 arch/x86_64/pgtable_user_huge.c arch/x86_64/cpu.h arch/x86_64/pgtable.h \
 include/flushlab/boot_info.h include/flushlab/layout.h \
 arch/x86_64/pgtable_user_priv.h lib/errno.h lib/kernel.h mm/mm_user.h \
 mm/mman.h mm/mmu.h
arch/x86_64/cpu.h:
arch/x86_64/pgtable.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
arch/x86_64/pgtable_user_priv.h:
lib/errno.h:
lib/kernel.h:
mm/mm_user.h:
mm/mman.h:
mm/mmu.h:
