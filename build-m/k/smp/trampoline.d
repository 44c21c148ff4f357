build-m/k/smp/trampoline.o: smp/trampoline.c arch/x86_64/cpu.h \
 include/flushlab/boot_info.h include/flushlab/layout.h kernel/boot.h \
 lib/kernel.h lib/string.h mm/mm.h mm/efi_memmap.h mm/page.h mm/gfp.h \
 mm/list.h smp/smp_priv.h
arch/x86_64/cpu.h:
include/flushlab/boot_info.h:
include/flushlab/layout.h:
kernel/boot.h:
lib/kernel.h:
lib/string.h:
mm/mm.h:
mm/efi_memmap.h:
mm/page.h:
mm/gfp.h:
mm/list.h:
smp/smp_priv.h:
